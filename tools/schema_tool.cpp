// gainsly-schema: prints the DDL generated from schema/schema.json.
//   gainsly-schema sqlite [VERSION]   full SQLite schema (as of VERSION, default latest)
//   gainsly-schema postgres           full PostgreSQL schema
//   gainsly-schema migration FROM     SQLite statements that move a file from FROM to FROM+1
#include <iostream>
#include <string>

#include "model/error.hpp"
#include "model/schema.hpp"

int main(int argc, char** argv) {
    using namespace gainsly::model;
    try {
        const Schema& s = Schema::builtin();
        std::string what = argc > 1 ? argv[1] : "";
        if (what == "sqlite") std::cout << sqlite_ddl(s, argc > 2 ? std::stoi(argv[2]) : s.version());
        else if (what == "postgres") std::cout << postgres_ddl(s);
        else if (what == "migration" && argc > 2) std::cout << sqlite_migration(s, std::stoi(argv[2]));
        else {
            std::cerr << "usage: gainsly-schema sqlite [VERSION] | postgres | migration FROM\n";
            return 2;
        }
    } catch (const std::exception& e) {
        std::cerr << "gainsly-schema: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
