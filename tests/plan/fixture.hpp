// Shared set-up for the planner tests: a database with the reference catalog (built once per
// run, then copied per test) and helpers to add users and their data.
#pragma once
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "store/database.hpp"
#include "test_util.hpp"

namespace plan_test {

using gainsly::store::Database;
using nlohmann::json;

// A fresh database holding the catalog (copied from a template made on first use).
class Db {
public:
    Db() {
        static TempDir templates;
        static std::string source = [] {
            std::string path = templates.file("catalog.db");
            Database db(path);
            gainsly::catalog::install(db);
            return path;
        }();
        path_ = dir_.file("plan.db");
        std::filesystem::copy_file(source, path_);
        db_ = std::make_unique<Database>(path_);
    }
    Database& operator*() { return *db_; }
    Database* operator->() { return db_.get(); }
    const std::string& path() const { return path_; }

private:
    TempDir dir_;
    std::string path_;
    std::unique_ptr<Database> db_;
};

inline int64_t movement_id(Database& db, const std::string& name) {
    auto rows = db.select("movements", {{"name", name}});
    if (rows.empty()) throw std::runtime_error("no movement " + name);
    return rows[0]["id"].get<int64_t>();
}

inline int64_t add_user(Database& db, const std::string& email, const std::string& experience = "intermediate", int aggression = 3,
                        const std::string& tone = "supportive") {
    return db.insert("users", {{"email", email}, {"experience_level", experience}, {"persona_aggression", aggression}, {"persona_tone", tone}});
}

// A tiny deterministic generator so the cases are the same on every platform.
struct Gen {
    uint64_t s;
    uint64_t next() {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        return s;
    }
    int in(int lo, int hi) { return lo + int(next() % uint64_t(hi - lo + 1)); }
    bool chance(int percent) { return in(1, 100) <= percent; }
    template <class T>
    const T& pick(const std::vector<T>& v) { return v[size_t(in(0, int(v.size()) - 1))]; }
};

inline int64_t count(Database& db, const std::string& table) {
    return db.sql().execAndGet("SELECT COUNT(*) FROM " + table).getInt64();
}

}  // namespace plan_test
