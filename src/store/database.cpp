#include "store/database.hpp"

#include <sqlite3.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <mutex>
#include <optional>
#include <limits>

#include "model/error.hpp"
#include "model/time.hpp"
#include "model/uuid.hpp"
#include "store/migrate.hpp"

namespace gainsly::store {
namespace {

using model::Column;
using model::Table;
using model::Type;

std::string where(const Table& t, const Column& c) { return t.name + "." + c.name; }

std::string type_name(const json& v) {
    switch (v.type()) {
        case json::value_t::null: return "null";
        case json::value_t::boolean: return "boolean";
        case json::value_t::string: return "string";
        case json::value_t::array: return "array";
        case json::value_t::object: return "object";
        default: return "number";
    }
}

size_t utf8_length(const std::string& s) {
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

std::string quote(std::string_view id) { return "\"" + std::string(id) + "\""; }

void bind_value(sqlite::Statement& stmt, int index, const SqlValue& v) {
    if (std::holds_alternative<int64_t>(v)) stmt.bind(index, static_cast<int64_t>(std::get<int64_t>(v)));
    else if (std::holds_alternative<double>(v)) stmt.bind(index, std::get<double>(v));
    else if (std::holds_alternative<std::string>(v)) stmt.bindNoCopy(index, std::get<std::string>(v));
    else stmt.bind(index);
}

// Depth and NUL checks of a parsed JSON value without recursion (a deep value would overflow
// the stack in any recursive walk, including json::dump).
void check_json_value(const json& root, const std::string& what) {
    std::vector<std::pair<const json*, int>> stack{{&root, 1}};
    while (!stack.empty()) {
        auto [v, depth] = stack.back();
        stack.pop_back();
        if (v->is_string() && v->get_ref<const std::string&>().find('\0') != std::string::npos)
            invalid(what + ": contains a NUL character (\\u0000), which PostgreSQL refuses");
        if (!v->is_structured()) continue;
        if (depth > json_max_depth) invalid(what + ": JSON nested deeper than " + std::to_string(json_max_depth) + " levels");
        for (auto it = v->begin(); it != v->end(); ++it) {
            if (v->is_object() && it.key().find('\0') != std::string::npos)
                invalid(what + ": contains a NUL character (\\u0000), which PostgreSQL refuses");
            stack.emplace_back(&*it, depth + 1);
        }
    }
}

const json& require_object(const json& doc, const std::string& what) {
    if (!doc.is_object()) invalid(what + ": expected a JSON object, got " + type_name(doc));
    return doc;
}

}  // namespace

[[noreturn]] void rethrow_as_error(const std::exception& e, const std::string& context) {
    if (auto err = dynamic_cast<const Error*>(&e)) throw *err;
    if (auto sq = dynamic_cast<const sqlite::Exception*>(&e)) {
        std::string msg = context.empty() ? sq->what() : context + ": " + sq->what();
        switch (sq->getErrorCode()) {
            case SQLITE_CONSTRAINT: throw Error(Status::constraint, msg);
            case SQLITE_BUSY:
            case SQLITE_LOCKED: throw Error(Status::busy, msg);
            case SQLITE_NOTADB:
            case SQLITE_CORRUPT: throw Error(Status::corrupt, msg);
            case SQLITE_READONLY: throw Error(Status::readonly, msg);
            case SQLITE_CANTOPEN:
            case SQLITE_IOERR:
            case SQLITE_FULL:
            case SQLITE_PERM: throw Error(Status::io, msg);
            case SQLITE_NOMEM: throw Error(Status::internal, "out of memory: " + msg);
            default: throw Error(Status::internal, msg);
        }
    }
    if (dynamic_cast<const json::exception*>(&e)) throw Error(Status::invalid, context + ": " + e.what());
    if (dynamic_cast<const std::bad_alloc*>(&e)) throw;
    throw Error(Status::internal, context + ": " + e.what());
}

void check_json_depth(std::string_view text, const std::string& what, int max_depth) {
    int depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char ch = text[i];
        if (in_string) {
            if (ch == '\\') ++i;
            else if (ch == '"') in_string = false;
        } else if (ch == '"') {
            in_string = true;
        } else if (ch == '[' || ch == '{') {
            if (++depth > max_depth) invalid(what + ": JSON nested deeper than " + std::to_string(max_depth) + " levels");
        } else if (ch == ']' || ch == '}') {
            --depth;
        }
    }
}

SqlValue to_sql(const Table& t, const Column& c, const json& v, bool mirror_limits) {
    if (v.is_null()) {
        if (c.not_null) invalid(where(t, c) + ": must not be null");
        return std::monostate{};
    }
    auto expected = [&](const char* what) { return Error(Status::invalid, where(t, c) + ": expected " + what + ", got " + type_name(v)); };
    auto integer = [&]() -> int64_t {
        if (v.is_number_integer()) {
            if (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(std::numeric_limits<int64_t>::max()))
                invalid(where(t, c) + ": integer out of range");
            return v.get<int64_t>();
        }
        if (v.is_number_float()) {  // 3.0 from a JavaScript client is still the integer 3
            double d = v.get<double>();
            if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15) return int64_t(d);
        }
        throw expected("an integer");
    };
    switch (c.type) {
        case Type::pk: return integer();
        case Type::integer: {
            const int64_t i = integer();
            // PostgreSQL's `integer` (every int column but references) is 32 bits.
            if (mirror_limits && c.ref_table.empty() && (i < std::numeric_limits<int32_t>::min() || i > std::numeric_limits<int32_t>::max()))
                invalid(where(t, c) + ": " + std::to_string(i) + " is out of range (a 32-bit integer, -2147483648 to 2147483647)");
            return i;
        }
        case Type::real:
            if (!v.is_number()) throw expected("a number");
            if (!std::isfinite(v.get<double>())) invalid(where(t, c) + ": must be finite");
            return v.get<double>();
        case Type::boolean:
            if (!v.is_boolean()) throw expected("true or false");
            return int64_t(v.get<bool>() ? 1 : 0);
        case Type::text:
        case Type::varchar: {
            if (!v.is_string()) throw expected("a string");
            const auto& s = v.get_ref<const std::string&>();
            if (c.type == Type::varchar && utf8_length(s) > size_t(c.length))
                invalid(where(t, c) + ": longer than " + std::to_string(c.length) + " characters");
            if (s.find('\0') != std::string::npos) invalid(where(t, c) + ": contains a NUL character");
            if (mirror_limits && s.size() > value_max_bytes) invalid(where(t, c) + ": longer than " + std::to_string(value_max_bytes) + " bytes");
            return s;
        }
        case Type::date: {
            if (!v.is_string()) throw expected("a date string YYYY-MM-DD");
            if (!model::parse_date(v.get_ref<const std::string&>()))
                invalid(where(t, c) + ": '" + v.get<std::string>() + "' is not a valid date (YYYY-MM-DD)");
            return v.get<std::string>();
        }
        case Type::timestamp: {
            if (!v.is_string()) throw expected("an ISO-8601 timestamp string");
            auto ts = model::normalize_timestamp(v.get_ref<const std::string&>());
            if (!ts) invalid(where(t, c) + ": '" + v.get<std::string>() + "' is not an ISO-8601 timestamp with a zone");
            return *ts;
        }
        case Type::json: {
            // Without mirror_limits (sync's wire) the value came from SQLite or PostgreSQL, whose
            // parsers bound the depth, or through a C ABI document already bounded as a whole.
            if (mirror_limits) check_json_value(v, where(t, c));
            std::string text = v.dump();
            if (mirror_limits && text.size() > value_max_bytes) invalid(where(t, c) + ": longer than " + std::to_string(value_max_bytes) + " bytes");
            return text;
        }
        case Type::uuid: {
            if (!v.is_string()) throw expected("a UUID string");
            std::string s = v.get<std::string>();
            for (auto& ch : s) ch = char(std::tolower(static_cast<unsigned char>(ch)));
            if (!model::is_canonical_uuid(s)) invalid(where(t, c) + ": '" + v.get<std::string>() + "' is not a UUID");
            return s;
        }
        case Type::enumeration: {
            const auto& e = *c.enumeration;
            if (e.integer) {
                int64_t i = integer();
                if (!e.contains(std::to_string(i))) invalid(where(t, c) + ": " + std::to_string(i) + " is not a " + e.name + " value");
                return i;
            }
            if (!v.is_string()) throw expected("a string");
            if (!e.contains(v.get_ref<const std::string&>())) {
                std::string allowed;
                for (const auto& a : e.values) allowed += (allowed.empty() ? "" : ", ") + a;
                invalid(where(t, c) + ": '" + v.get<std::string>() + "' is not a " + e.name + " value (" + allowed + ")");
            }
            return v.get<std::string>();
        }
    }
    throw Error(Status::internal, where(t, c) + ": unhandled type");
}

namespace {

// Validates a JSON object against a table: every key a column, every value of the column's type.
Row to_row(const Table& t, const json& doc, bool for_update) {
    require_object(doc, t.name);
    Row row;
    row.reserve(doc.size() + 2);
    for (const auto& [key, value] : doc.items()) {
        const Column* c = t.find(key);
        if (!c) invalid(t.name + "." + key + ": unknown column");
        if (for_update && (c == &t.key() || c->name == "uid")) invalid(where(t, *c) + ": cannot be changed");
        row.emplace_back(c, to_sql(t, *c, value));
    }
    return row;
}

}  // namespace

Database::Database(const std::string& path, const OpenOptions& options) try
    : path_(path), db_(path, options.read_only ? sqlite::OPEN_READONLY : sqlite::OPEN_READWRITE | sqlite::OPEN_CREATE) {
    bring_up_to_date(db_, path_, options);
    sqlite3_rollback_hook(db_.getHandle(), [](void* self) { static_cast<Database*>(self)->note_rollback(); }, this);
} catch (const std::exception& e) {
    rethrow_as_error(e, path);
}

Database::~Database() = default;

sqlite::Statement& Database::prepare(const std::string& sql) {
    auto& slot = statements_[sql];
    if (!slot) {
        slot = std::make_unique<sqlite::Statement>(db_, sql);
    } else {
        slot->tryReset();
        slot->clearBindings();
    }
    return *slot;
}

sqlite3_stmt* Database::prepare_raw(const std::string& key, const std::function<std::string()>& make_sql) {
    auto& slot = raw_statements_[key];
    if (!slot) {
        std::string sql = make_sql ? make_sql() : key;
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v3(db_.getHandle(), sql.c_str(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK)
            throw sqlite::Exception(db_.getHandle(), sqlite3_errcode(db_.getHandle()));
        slot.reset(st);
    }
    return slot.get();
}

bool Database::step(sqlite3_stmt* st) {
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite3_reset(st);  // returns the same error code; the message stays on the connection
    throw sqlite::Exception(db_.getHandle(), rc);
}

void Database::reset_statements() noexcept {
    sqlite3* handle = db_.getHandle();
    for (sqlite3_stmt* st = sqlite3_next_stmt(handle, nullptr); st; st = sqlite3_next_stmt(handle, st))
        if (sqlite3_stmt_busy(st)) sqlite3_reset(st);
}

bool Database::in_transaction() const { return sqlite3_get_autocommit(db_.getHandle()) == 0; }

void Database::begin() {
    if (in_transaction()) invalid("begin: a transaction is already open");
    db_.exec("BEGIN IMMEDIATE");
}

void Database::commit() {
    if (!in_transaction()) invalid("commit: no transaction is open");
    db_.exec("COMMIT");
}

Database::WriteToken Database::write_token() {
    WriteToken t;
    t.changes = sqlite3_total_changes64(db_.getHandle());
    auto& q = prepare("PRAGMA data_version");  // moves on when another connection commits
    if (q.executeStep()) t.data_version = q.getColumn(0).getInt64();
    q.tryReset();
    t.rollbacks = rollbacks_;
    return t;
}

void Database::rollback() {
    if (!in_transaction()) invalid("rollback: no transaction is open");
    db_.exec("ROLLBACK");
}

std::string Database::meta(std::string_view key, std::string_view fallback) {
    auto& q = prepare("SELECT value FROM gs_meta WHERE key = ?");
    q.bind(1, std::string(key));
    std::string value = q.executeStep() ? q.getColumn(0).getString() : std::string(fallback);
    q.tryReset();  // a statement left on a row holds its read snapshot open
    return value;
}

void Database::set_meta(std::string_view key, std::string_view value) {
    auto& q = prepare("INSERT INTO gs_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    q.bind(1, std::string(key));
    q.bind(2, std::string(value));
    q.exec();
}

int64_t Database::insert(std::string_view table, const json& doc) {
    const Table& t = schema().table(table);
    return insert(t, to_row(t, doc, false));
}

int64_t Database::insert(const Table& t, Row row) {
    bool has_uid = false;
    for (const auto& [c, v] : row) has_uid |= c->name == "uid";
    if (!has_uid) row.emplace_back(t.find("uid"), model::new_uuid_v7());
    std::string key = "I:" + t.name;
    for (const auto& [c, v] : row) key += "," + c->name;
    auto& stmt = [&]() -> sqlite::Statement& {
        auto it = statements_.find(key);
        if (it != statements_.end()) {
            it->second->tryReset();
            return *it->second;
        }
        std::string cols, marks;
        for (const auto& [c, v] : row) {
            cols += (cols.empty() ? "" : ", ") + quote(c->name);
            marks += marks.empty() ? "?" : ", ?";
        }
        auto& slot = statements_[key];
        slot = std::make_unique<sqlite::Statement>(db_, "INSERT INTO " + quote(t.name) + " (" + cols + ") VALUES (" + marks + ")");
        return *slot;
    }();
    std::optional<Savepoint> together;
    if (insert_hook_ && !in_transaction()) together.emplace(*this);
    try {
        for (size_t i = 0; i < row.size(); ++i) bind_value(stmt, int(i + 1), row[i].second);
        stmt.exec();
    } catch (const std::exception& e) {
        stmt.tryReset();
        rethrow_write_error(e, t, &row, 0);
    }
    stmt.tryReset();
    int64_t id = db_.getLastInsertRowid();
    if (!t.key().ref_table.empty())
        for (const auto& [c, v] : row)
            if (c == &t.key()) id = std::get<int64_t>(v);
    if (insert_hook_) {
        try {
            insert_hook_(t, id);
        } catch (const std::exception& e) {
            // Only I/O errors, a full disk or no memory get here. A savepoint per insert to undo the
            // row alone would cost more than the hook saves, so the caller's transaction goes.
            if (!together && in_transaction()) try {
                    db_.exec("ROLLBACK");
                } catch (...) {
                }
            rethrow_as_error(e, t.name + " insert (recording it for sync; the open transaction was rolled back)");
        }
    }
    if (together) together->commit();
    return id;
}

void Database::update(std::string_view table, int64_t id, const json& changes) {
    const Table& t = schema().table(table);
    update(t, id, to_row(t, changes, true));
}

void Database::update(const Table& t, int64_t id, Row row) {
    bool touches_updated_at = false;
    for (const auto& [c, v] : row) touches_updated_at |= c->name == "updated_at";
    if (!touches_updated_at && t.has("updated_at")) row.emplace_back(t.find("updated_at"), model::now_timestamp());
    std::string sets;
    for (const auto& [c, v] : row) sets += (sets.empty() ? "" : ", ") + quote(c->name) + " = ?";
    if (sets.empty()) {  // nothing to set: still report a missing row
        if (!exists(t, id)) throw Error(Status::not_found, t.name + ": no row with " + t.key().name + " " + std::to_string(id));
        return;
    }
    auto& stmt = prepare("UPDATE " + quote(t.name) + " SET " + sets + " WHERE " + quote(t.key().name) + " = ?");
    try {
        for (size_t i = 0; i < row.size(); ++i) bind_value(stmt, int(i + 1), row[i].second);
        stmt.bind(int(row.size() + 1), static_cast<int64_t>(id));
        if (stmt.exec() == 0) throw Error(Status::not_found, t.name + ": no row with " + t.key().name + " " + std::to_string(id));
    } catch (const std::exception& e) {
        stmt.tryReset();
        rethrow_write_error(e, t, &row, id);
    }
    stmt.tryReset();
}

void Database::remove(std::string_view table, int64_t id) {
    const Table& t = schema().table(table);
    auto& stmt = prepare("DELETE FROM " + quote(t.name) + " WHERE " + quote(t.key().name) + " = ?");
    try {
        stmt.bind(1, static_cast<int64_t>(id));
        if (stmt.exec() == 0) throw Error(Status::not_found, t.name + ": no row with " + t.key().name + " " + std::to_string(id));
    } catch (const std::exception& e) {
        stmt.tryReset();
        rethrow_write_error(e, t, nullptr, id);
    }
    stmt.tryReset();
}

bool Database::exists(const Table& t, int64_t id) {
    auto& q = prepare("SELECT 1 FROM " + quote(t.name) + " WHERE " + quote(t.key().name) + " = ?");
    q.bind(1, static_cast<int64_t>(id));
    bool found = q.executeStep();
    q.tryReset();
    return found;
}

void append_json_string(std::string& out, std::string_view s) {
    out += '"';
    size_t clean = 0;  // copy runs that need no escaping in one go
    while (clean < s.size()) {
        unsigned char ch = static_cast<unsigned char>(s[clean]);
        if (ch < 0x20 || ch == '"' || ch == '\\') break;
        ++clean;
    }
    out.append(s.data(), clean);
    for (size_t i = clean; i < s.size(); ++i) {
        unsigned char ch = static_cast<unsigned char>(s[i]);
        switch (ch) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (ch < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", ch);
                    out += buf;
                } else {
                    out += char(ch);
                }
        }
    }
    out += '"';
}

void append_shortest(std::string& out, double d) {
    // to_chars picks the shortest digits; the layout is chosen here, as to_chars would write
    // 100000 as "1e+05".
    char buf[32];
    const auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    std::string_view s(buf, size_t(res.ptr - buf));  // [-]D[.DDD]e±XX, or inf / nan
    if (!std::isfinite(d)) {
        out += s;
        return;
    }
    if (s.front() == '-') {
        out += '-';
        s.remove_prefix(1);
    }
    const size_t e = s.find('e');
    std::string_view mantissa = s.substr(0, e);
    int exp = 0;
    std::from_chars(s.data() + e + (s[e + 1] == '+' ? 2 : 1), s.data() + s.size(), exp);
    char digits[20];
    size_t n = 0;
    for (char c : mantissa)
        if (c != '.') digits[n++] = c;
    if (exp < -4 || exp >= 16) {
        out += digits[0];
        if (n > 1) {
            out += '.';
            out.append(digits + 1, n - 1);
        }
        out += exp < 0 ? "e-" : "e+";
        const int a = exp < 0 ? -exp : exp;
        if (a < 10) out += '0';
        out += std::to_string(a);
    } else if (exp < 0) {
        out += "0.";
        out.append(size_t(-exp - 1), '0');
        out.append(digits, n);
    } else if (n <= size_t(exp) + 1) {
        out.append(digits, n);
        out.append(size_t(exp) + 1 - n, '0');
    } else {
        out.append(digits, size_t(exp) + 1);
        out += '.';
        out.append(digits + exp + 1, n - size_t(exp) - 1);
    }
}

namespace {

void append_double(std::string& out, double d) {
    if (!std::isfinite(d)) {  // cannot be stored through the library; never emit invalid JSON
        out += "null";
        return;
    }
    size_t start = out.size();
    append_shortest(out, d);
    if (out.find_first_of(".e", start) == std::string::npos) out += ".0";
}

void append_int(std::string& out, int64_t v) {
    char buf[24];
    auto res = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, res.ptr);
}

// `"name":` for every column of a table (with a leading comma after the first), built once.
const std::vector<std::string>& key_prefixes(const Table& t) {
    static std::mutex lock;
    static std::unordered_map<const Table*, std::vector<std::string>> cache;
    std::lock_guard guard(lock);
    auto& keys = cache[&t];
    if (keys.empty())
        for (size_t i = 0; i < t.columns.size(); ++i) {
            std::string k = i ? "," : "";
            append_json_string(k, t.columns[i].name);
            keys.push_back(k + ":");
        }
    return keys;
}

}  // namespace

// Writes the current row of `st` (columns in the table's order from `first`) as a JSON object.
// Serialising straight from SQLite's buffers keeps reads close to hand-written query speed.
void Database::append_row_json(std::string& out, const Table& t, sqlite3_stmt* st, int first) {
    const auto& keys = key_prefixes(t);
    out += '{';
    for (size_t i = 0; i < t.columns.size(); ++i) {
        const Column& c = t.columns[i];
        int col = first + int(i);
        out += keys[i];
        int type = sqlite3_column_type(st, col);
        if (type == SQLITE_NULL) {
            out += "null";
        } else if (c.type == Type::boolean) {
            out += sqlite3_column_int64(st, col) ? "true" : "false";
        } else if (c.is_integer_valued()) {
            append_int(out, sqlite3_column_int64(st, col));
        } else if (c.type == Type::real) {
            append_double(out, sqlite3_column_double(st, col));
        } else {
            std::string_view text(reinterpret_cast<const char*>(sqlite3_column_text(st, col)), size_t(sqlite3_column_bytes(st, col)));
            if (c.type == Type::json) out += text;  // stored JSON is valid (CHECK json_valid)
            else append_json_string(out, text);
        }
    }
    out += '}';
}

const std::string& Database::select_sql(const Table& t) {
    auto& sql = select_sql_[&t];
    if (sql.empty()) {
        for (const auto& c : t.columns) sql += (sql.empty() ? "SELECT " : ", ") + quote(c.name);
        sql += " FROM " + quote(t.name);
    }
    return sql;
}

std::string Database::get_text(std::string_view table, int64_t id) {
    const Table& t = schema().table(table);
    sqlite3_stmt* q = prepare_raw("G:" + t.name, [&] { return select_sql(t) + " WHERE " + quote(t.key().name) + " = ?"; });
    sqlite3_bind_int64(q, 1, id);
    std::string out;
    if (step(q)) append_row_json(out, t, q);
    sqlite3_reset(q);
    if (out.empty()) throw Error(Status::not_found, t.name + ": no row with " + t.key().name + " " + std::to_string(id));
    return out;
}

std::string Database::session_text(int64_t id) {
    const Table& sessions = schema().table("sessions");
    const Table& exercises = schema().table("session_exercises");
    std::string out = get_text("sessions", id);
    out.pop_back();  // reopen the object to add its exercises
    out += ",\"exercises\":[";
    sqlite3_stmt* q = prepare_raw("SE:", [&] { return select_sql(exercises) + " WHERE \"session_id\" = ? ORDER BY \"order_in_session\", \"id\""; });
    sqlite3_bind_int64(q, 1, id);
    bool first = true;
    try {
        while (step(q)) {
            if (!first) out += ',';
            first = false;
            append_row_json(out, exercises, q);
        }
    } catch (...) {
        sqlite3_reset(q);
        throw;
    }
    sqlite3_reset(q);
    (void)sessions;
    return out + "]}";
}

json Database::get(std::string_view table, int64_t id) { return json::parse(get_text(table, id)); }

std::string Database::select_text(std::string_view table, const json& filter) {
    const Table& t = schema().table(table);
    Row conditions;
    if (!filter.is_null()) {
        require_object(filter, t.name + " filter");
        for (const auto& [key, value] : filter.items()) {
            const Column* c = t.find(key);
            if (!c) invalid(t.name + "." + key + ": unknown column");
            conditions.emplace_back(c, value.is_null() ? SqlValue{} : to_sql(t, *c, value, false));
        }
    }
    std::string key = "S:" + t.name;  // short cache key; the SQL is built only on a miss
    for (const auto& [c, v] : conditions) key += (std::holds_alternative<std::monostate>(v) ? ",~" : ",") + c->name;
    sqlite3_stmt* q = prepare_raw(key, [&] {
        std::string sql = select_sql(t);
        for (size_t i = 0; i < conditions.size(); ++i) {
            bool is_null = std::holds_alternative<std::monostate>(conditions[i].second);
            sql += (i ? " AND " : " WHERE ") + quote(conditions[i].first->name) + (is_null ? " IS NULL" : " = ?");
        }
        return sql + " ORDER BY " + quote(t.key().name);
    });
    int index = 1;
    for (const auto& [c, v] : conditions) {
        if (std::holds_alternative<int64_t>(v)) sqlite3_bind_int64(q, index++, std::get<int64_t>(v));
        else if (std::holds_alternative<double>(v)) sqlite3_bind_double(q, index++, std::get<double>(v));
        else if (std::holds_alternative<std::string>(v))
            sqlite3_bind_text(q, index++, std::get<std::string>(v).data(), int(std::get<std::string>(v).size()), SQLITE_STATIC);
    }
    std::string out = "[";
    try {
        while (step(q)) {
            if (out.size() > 1) out += ',';
            append_row_json(out, t, q);
        }
    } catch (...) {
        sqlite3_reset(q);
        throw;
    }
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return out + "]";
}

json Database::select(std::string_view table, const json& filter) { return json::parse(select_text(table, filter)); }

// Turns a failed write into an Error whose message names the table and column at fault. SQLite's
// own foreign-key message names neither, so the offending reference is looked up.
void Database::rethrow_write_error(const std::exception& e, const Table& t, const Row* row, int64_t id) {
    auto sq = dynamic_cast<const sqlite::Exception*>(&e);
    // ON DELETE RESTRICT reports SQLITE_CONSTRAINT_TRIGGER, other violations _FOREIGNKEY.
    if (sq && sq->getErrorCode() == SQLITE_CONSTRAINT && std::string_view(sq->what()).find("FOREIGN KEY") != std::string_view::npos) {
        if (row) {
            for (const auto& [c, v] : *row) {
                if (c->ref_table.empty() || std::holds_alternative<std::monostate>(v)) continue;
                auto& q = prepare("SELECT 1 FROM " + quote(c->ref_table) + " WHERE " + quote(c->ref_column) + " = ?");
                bind_value(q, 1, v);
                bool found = q.executeStep();
                q.tryReset();
                if (!found) {
                    std::string shown = std::holds_alternative<int64_t>(v) ? std::to_string(std::get<int64_t>(v))
                                                                          : "'" + std::get<std::string>(v) + "'";
                    throw Error(Status::constraint, where(t, *c) + ": no " + c->ref_table + " row with " + c->ref_column + " " + shown);
                }
            }
        } else {
            for (const auto& child : schema().tables())
                for (const auto& c : child.columns) {
                    if (c.ref_table != t.name || c.on_delete == model::OnDelete::cascade || c.on_delete == model::OnDelete::set_null)
                        continue;
                    auto& q = prepare("SELECT 1 FROM " + quote(child.name) + " WHERE " + quote(c.name) + " = (SELECT " +
                                      quote(c.ref_column) + " FROM " + quote(t.name) + " WHERE " + quote(t.key().name) + " = ?) LIMIT 1");
                    q.bind(1, static_cast<int64_t>(id));
                    bool used = q.executeStep();
                    q.tryReset();
                    if (used)
                        throw Error(Status::constraint, t.name + " row " + std::to_string(id) + " is still referenced by " + child.name +
                                                            "." + c.name + "; delete or change those rows first");
                }
        }
        throw Error(Status::constraint, t.name + ": FOREIGN KEY constraint failed");
    }
    if (sq && sq->getErrorCode() == SQLITE_CONSTRAINT) {
        std::string msg = sq->what();
        for (const auto& chk : t.checks)  // add the rule itself, so the message explains the refusal
            if (msg.find(chk.name) != std::string::npos) throw Error(Status::constraint, t.name + ": " + msg + " (" + chk.expr + ")");
        throw Error(Status::constraint, t.name + ": " + msg);
    }
    rethrow_as_error(e, t.name);
}

Savepoint::Savepoint(Database& db) : db_(db) { db_.sql().exec("SAVEPOINT gs"); }

Savepoint::~Savepoint() {
    if (done_) return;
    db_.note_rollback();
    try {
        db_.sql().exec("ROLLBACK TO gs");
        db_.sql().exec("RELEASE gs");
    } catch (...) {  // the connection is gone or broken; SQLite rolls back on close
    }
}

void Savepoint::commit() {
    db_.sql().exec("RELEASE gs");
    done_ = true;
}

}  // namespace gainsly::store
