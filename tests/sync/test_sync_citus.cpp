// Scale-out on paper: the server schema gs_server_setup creates can be distributed by account with
// Citus using schema/citus.sql. Citus is not installable here, so this test introspects a live
// server (pg_catalog) and the script, and checks the rules Citus imposes:
//   - every user-owned table carries the owner key gs_owner (uuid NOT NULL);
//   - every primary key and unique index of a user table, and of the per-account bookkeeping
//     (change log, device cursors, sequences), includes the owner key;
//   - every foreign key between distributed tables includes the owner key on both sides, at the
//     same position; no reference table refers to a distributed table;
//   - the script names every table of the schema exactly once: catalog and shared bookkeeping as
//     reference tables, user tables and per-account bookkeeping distributed by their owner column
//     and co-located with users; reference tables first, every parent before its children.
#include <doctest/doctest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "sync_fixture.hpp"

using namespace synctest;

namespace {

struct Call {
    std::string table, kind, column, colocate;  // kind: reference | distributed
};

std::vector<Call> script_calls() {
    std::ifstream in(std::string(GAINSLY_SOURCE_DIR) + "/schema/citus.sql");
    REQUIRE(in.good());
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    std::vector<Call> out;
    std::regex call(R"(SELECT\s+(create_reference_table|create_distributed_table)\(\s*'([a-z_0-9]+)'(?:\s*,\s*'([a-z_0-9]+)')?(?:\s*,\s*colocate_with\s*=>\s*'([a-z_0-9]+)')?\s*\)\s*;)");
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.rfind("--", 0) == 0) continue;
        std::smatch m;
        if (std::regex_search(line, m, call))
            out.push_back({m[2], m[1] == "create_reference_table" ? "reference" : "distributed", m[3], m[4]});
        else if (line.find("create_") != std::string::npos)
            FAIL_CHECK("schema/citus.sql: cannot read " << line);
    }
    return out;
}

}  // namespace

TEST_SUITE("citus") {
    TEST_CASE("the server schema follows Citus's rules for tables distributed by account, and schema/citus.sql distributes it") {
        PgDb pgdb;
        auto& c = pgdb.conn();
        std::set<std::string> user_tables, catalog_tables, all_tables;
        auto t = c.exec("SELECT name, kind FROM gs_tables");
        for (int i = 0; i < t.rows(); ++i) (t.text(i, 1) == "user" ? user_tables : catalog_tables).insert(std::string(t.text(i, 0)));
        REQUIRE(user_tables.size() == size_t(std::count_if(sync::layout().begin(), sync::layout().end(), [](const auto& st) { return !st.catalog; })));
        auto all = c.exec("SELECT relname FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind IN ('r', 'p')");
        for (int i = 0; i < all.rows(); ++i) all_tables.insert(std::string(all.text(i, 0)));
        // Per-account bookkeeping, distributed by its owner column like the user tables.
        const std::map<std::string, std::string> per_account = {{"gs_changes", "owner"}, {"gs_devices", "owner"}, {"gs_owners", "owner"}};
        std::map<std::string, std::string> dist_column;
        for (const auto& u : user_tables) dist_column[u] = "gs_owner";
        for (const auto& [name, col] : per_account) dist_column[name] = col;
        auto distributed = [&](const std::string& name) { return dist_column.count(name) > 0; };

        // The owner key on every distributed table.
        for (const auto& entry : dist_column) {  // no structured binding: clang 14 cannot capture one in doctest's lambdas
            const std::string &table = entry.first, &col = entry.second;
            auto r = c.exec("SELECT data_type, is_nullable FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND "
                            "column_name = $2",
                            {table, col});
            CHECK_MESSAGE(r.rows() == 1, table << " has no " << col);
            if (r.rows() == 1) {
                CHECK_MESSAGE(r.text(0, 0) == "uuid", table << "." << col);
                CHECK_MESSAGE(r.text(0, 1) == "NO", table << "." << col << " is nullable");
            }
        }

        // Primary keys and unique indexes of distributed tables include the owner key.
        for (const auto& entry : dist_column) {
            const std::string &table = entry.first, &col = entry.second;
            auto pk = c.exec("SELECT 1 FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'p'", {pg::ident(table)});
            CHECK_MESSAGE(pk.rows() == 1, table << " has no primary key");
            auto u = c.exec("SELECT i.indexrelid::regclass::text FROM pg_index i WHERE i.indrelid = $1::regclass AND i.indisunique AND NOT EXISTS "
                            "(SELECT 1 FROM pg_attribute a WHERE a.attrelid = i.indrelid AND a.attname = $2 AND a.attnum = ANY (i.indkey))",
                            {pg::ident(table), col});
            for (int i = 0; i < u.rows(); ++i) FAIL_CHECK(table << ": unique key " << u.text(i, 0) << " does not include " << col);
        }
        // The keys sync looks rows up by: (owner, uid) on every user table.
        for (const auto& table : user_tables) {
            auto r = c.exec("SELECT 1 FROM pg_index i WHERE i.indrelid = $1::regclass AND i.indisunique AND i.indnatts = 2 AND "
                            "(SELECT array_agg(a.attname::text ORDER BY a.attname) FROM pg_attribute a WHERE a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)) "
                            "= ARRAY['gs_owner', 'uid']",
                            {pg::ident(table)});
            CHECK_MESSAGE(r.rows() == 1, table << " has no unique (gs_owner, uid)");
        }

        // Foreign keys: between distributed tables they include the owner key on both sides at the
        // same position; from distributed to reference tables anything goes; reference tables never
        // refer to distributed ones.
        std::vector<std::pair<std::string, std::string>> edges;  // child, parent
        auto fk = c.exec(
            "SELECT c.conname, c.conrelid::regclass::text, c.confrelid::regclass::text, "
            "(SELECT array_agg(a.attname::text ORDER BY k.i) FROM unnest(c.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n)::text, "
            "(SELECT array_agg(a.attname::text ORDER BY k.i) FROM unnest(c.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n)::text "
            "FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace");
        REQUIRE(fk.rows() > 20);
        auto unquote = [](std::string s) { return s.size() > 1 && s[0] == '"' ? s.substr(1, s.size() - 2) : s; };
        int composite = 0;
        for (int i = 0; i < fk.rows(); ++i) {
            std::string name(fk.text(i, 0)), child = unquote(std::string(fk.text(i, 1))), parent = unquote(std::string(fk.text(i, 2)));
            std::string cols(fk.text(i, 3)), pcols(fk.text(i, 4));
            edges.emplace_back(child, parent);
            if (distributed(child) && distributed(parent)) {
                const std::string want = "{" + dist_column[child] + ",", pwant = "{" + dist_column[parent] + ",";
                CHECK_MESSAGE(cols.rfind(want, 0) == 0, name << ": " << child << " " << cols << " -> " << parent << " " << pcols << " lacks the owner key");
                CHECK_MESSAGE(pcols.rfind(pwant, 0) == 0, name << ": " << child << " " << cols << " -> " << parent << " " << pcols << " lacks the owner key");
                ++composite;
            }
            if (!distributed(child)) CHECK_MESSAGE(!distributed(parent), name << ": reference table " << child << " refers to distributed " << parent);
        }
        CHECK(composite > 20);

        // The script: every table once, in an order Citus accepts, with the right kind and column.
        std::vector<Call> calls = script_calls();
        std::map<std::string, size_t> at;
        for (size_t i = 0; i < calls.size(); ++i) {
            const Call& call = calls[i];
            CHECK_MESSAGE(at.count(call.table) == 0, call.table << " appears twice in schema/citus.sql");
            at[call.table] = i;
            CHECK_MESSAGE(all_tables.count(call.table) == 1, "schema/citus.sql names " << call.table << ", which the server does not have");
            if (distributed(call.table)) {
                CHECK_MESSAGE(call.kind == "distributed", call.table << " must be distributed by " << dist_column[call.table]);
                CHECK_MESSAGE(call.column == dist_column[call.table], call.table << " distributed by '" << call.column << "'");
                if (call.table != "users") CHECK_MESSAGE(call.colocate == "users", call.table << " is not co-located with users");
            } else {
                CHECK_MESSAGE(call.kind == "reference", call.table << " must be a reference table");
            }
        }
        for (const auto& table : all_tables) CHECK_MESSAGE(at.count(table) == 1, "schema/citus.sql does not place " << table);
        if (at.count("users")) CHECK(calls[at["users"]].kind == "distributed");
        size_t last_reference = 0, first_distributed = calls.size();
        for (size_t i = 0; i < calls.size(); ++i) {
            if (calls[i].kind == "reference") last_reference = i;
            else first_distributed = std::min(first_distributed, i);
        }
        CHECK_MESSAGE(last_reference < first_distributed, "reference tables must come before distributed ones");
        if (at.count("users")) CHECK_MESSAGE(at["users"] == first_distributed, "users must be distributed first (the others are co-located with it)");
        for (const auto& edge : edges) {
            const std::string &child = edge.first, &parent = edge.second;
            if (at.count(child) && at.count(parent) && child != parent)
                CHECK_MESSAGE(at[parent] < at[child], "schema/citus.sql places " << child << " before its parent " << parent);
        }
        MESSAGE(user_tables.size() << " user tables and " << per_account.size() << " bookkeeping tables distributed by account, "
                                   << all_tables.size() - dist_column.size() << " reference tables, " << composite << " co-located foreign keys");
    }
}
