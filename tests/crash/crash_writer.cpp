// Writer for the crash test: each transaction inserts a user and N top_set_logs rows tagged with
// the transaction number, then prints the number once COMMIT returned. The test kills it at random.
#include <cstdio>
#include <string>

#include "store/database.hpp"

int main(int argc, char** argv) {
    if (argc < 3) return 2;
    gainsly::store::Database db(argv[1]);
    int start = std::stoi(argv[2]);
    db.insert("movements", {{"name", "Crash Test Squat " + std::to_string(start)}});
    int64_t movement = db.sql().getLastInsertRowid();
    for (int tx = start;; ++tx) {
        db.begin();
        int64_t user = db.insert("users", {{"name", "tx" + std::to_string(tx)}});
        for (int i = 1; i <= 20; ++i)
            db.insert("top_set_logs", {{"user_id", user}, {"movement_id", movement}, {"set_number", i}, {"reps", 5},
                                       {"load_kg", 100.0 + i}, {"notes", "tx" + std::to_string(tx)}});
        db.commit();
        std::printf("%d\n", tx);
        std::fflush(stdout);
    }
}
