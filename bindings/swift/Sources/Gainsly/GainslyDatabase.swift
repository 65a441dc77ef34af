import CGainsly
import Foundation

/// An open Gainsly database file: the user's training data and the reference catalog.
///
/// A `GainslyDatabase` is used by one thread at a time (it is not `Sendable`). To share one
/// connection between tasks and threads, wrap it in a `GainslyQueue` (async `read`/`write`, like
/// GRDB's `DatabaseQueue`); several handles on one file also work together. Every failure throws a
/// `GainslyError`. The file is closed by `close()` or when the object is released.
///
/// The `Gainsly` prefix (`GainslyDatabase`, `GainslyRecord`, `GainslyValue`, `GainslyQueue`, like
/// `GainslyError`) keeps these names apart from GRDB's `Database`, `TableRecord` and `DatabaseValue`
/// in an app that imports both.
///
/// ```swift
/// let db = try GainslyDatabase(path: path)
/// var user = User(email: "ana@example.com", name: "Ana 🏋️")
/// try db.insert(&user)                                  // user.id is set
/// let found = try db.select(User.self, where: ["email": "ana@example.com"])
/// try db.transaction { db in try db.delete(user) }
/// ```
public final class GainslyDatabase {
    private var handle: OpaquePointer?
    /// The registered token sealer: it must outlive its registration on the handle.
    var sealerBox: SealerBox?
    /// The path the database was opened with.
    public let path: String
    private let encoder: JSONEncoder
    private let decoder: JSONDecoder

    /// Opens (creating, migrating and loading the catalog as needed) the database file at `path`.
    public convenience init(path: String) throws {
        try GainslyDatabase.checkNoNUL(path, "path")
        var h: OpaquePointer?
        let status = gs_db_open(path, &h)
        guard status == GS_OK, let h else { throw GainslyError.lastOnThread(status) }
        self.init(handle: h, path: path)
    }

    /// Opens the database file at `path` with options. `readOnly`: nothing is ever written (a
    /// missing file is `.notFound`, a file that would need migrating `.readOnly`, and every write
    /// through this connection throws `.readOnly`). `busyTimeoutMs` (0-600000): how long a call
    /// waits for another connection's lock (5000 for `GainslyDatabase(path:)`).
    public convenience init(path: String, readOnly: Bool, busyTimeoutMs: Int32 = 5_000) throws {
        try GainslyDatabase.checkNoNUL(path, "path")
        var options = gs_db_options()
        var status = gs_db_options_init(&options, UInt32(MemoryLayout<gs_db_options>.size))
        if status != GS_OK { throw GainslyError.lastOnThread(status) }
        options.flags = readOnly ? GS_OPEN_READ_ONLY : 0
        options.busy_timeout_ms = busyTimeoutMs
        var h: OpaquePointer?
        status = gs_db_open_v2(path, &options, &h)
        guard status == GS_OK, let h else { throw GainslyError.lastOnThread(status) }
        self.init(handle: h, path: path)
    }

    private init(handle h: OpaquePointer, path: String) {
        handle = h
        self.path = path
        encoder = GainslyDatabase.makeEncoder()
        decoder = GainslyDatabase.makeDecoder()
    }

    /// Opens the database file at `path` (same as `GainslyDatabase(path:)`).
    public static func open(_ path: String) throws -> GainslyDatabase { try GainslyDatabase(path: path) }

    deinit { gs_db_close(handle) }

    /// Closes the file. Closing twice does nothing; any other call afterwards throws `.invalid`.
    public func close() {
        gs_db_close(handle)
        handle = nil
        sealerBox = nil
    }

    /// Whether `close()` has not been called yet.
    public var isOpen: Bool { handle != nil }

    // MARK: Library facts

    /// The library version, e.g. "0.1.0".
    public static var version: String { String(cString: gs_library_version()) }
    /// The schema version the library creates and migrates files to.
    public static var schemaVersion: Int32 { gs_schema_version() }
    /// Open handles plus unreleased library buffers in the process (0 when nothing leaks).
    public static var liveObjects: Int64 { gs_debug_live_objects() }

    // MARK: Rows as JSON text (the C ABI as is)

    /// Inserts one row given as a JSON object; returns its key.
    @discardableResult
    public func insertJSON(_ table: String, _ json: String) throws -> Int64 {
        try GainslyDatabase.checkNoNUL(table, "table")
        try GainslyDatabase.checkNoNUL(json, "json")
        var id: Int64 = 0
        try call { gs_row_insert($0, table, json, &id) }
        return id
    }

    /// One row as a JSON object.
    public func getJSON(_ table: String, id: Int64) throws -> String {
        try GainslyDatabase.checkNoNUL(table, "table")
        return try callReturningString { gs_row_get($0, table, id, $1) }
    }

    /// The rows whose columns equal every value of `filterJSON` (nil: every row), as a JSON array.
    public func selectJSON(_ table: String, where filterJSON: String? = nil) throws -> String {
        try GainslyDatabase.checkNoNUL(table, "table")
        if let filterJSON { try GainslyDatabase.checkNoNUL(filterJSON, "filter") }
        return try callReturningString { h, out in
            guard let filterJSON else { return gs_row_select(h, table, nil, out) }
            return gs_row_select(h, table, filterJSON, out)
        }
    }

    /// Sets the columns given in the JSON object on the row with key `id`.
    public func updateJSON(_ table: String, id: Int64, _ json: String) throws {
        try GainslyDatabase.checkNoNUL(table, "table")
        try GainslyDatabase.checkNoNUL(json, "json")
        try call { gs_row_update($0, table, id, json) }
    }

    // MARK: Rows as Codable values (any table, any Codable type; keys = column names)

    /// Inserts `row` (encoded as a JSON object; nil optionals are left out) into `table`; returns its key.
    @discardableResult
    public func insert<Row: Encodable>(_ table: String, _ row: Row) throws -> Int64 {
        try insertJSON(table, encode(row, table: table))
    }

    /// The row of `table` with key `id`, decoded as `T`; `.notFound` if there is none.
    public func get<T: Decodable>(_ table: String, id: Int64, as type: T.Type = T.self) throws -> T {
        try decode(T.self, from: getJSON(table, id: id), table: table)
    }

    /// The rows of `table` whose columns equal every value of `filter` (`nil` matches NULL), by key.
    public func select<T: Decodable>(_ table: String, where filter: [String: GainslyValue] = [:],
                                     as type: T.Type = T.self) throws -> [T] {
        try decode([T].self, from: selectJSON(table, where: encode(filter, table: table)), table: table)
    }

    /// Sets the columns `changes` encodes (nil optionals are left out) on the row with key `id`.
    public func update<Changes: Encodable>(_ table: String, id: Int64, _ changes: Changes) throws {
        try updateJSON(table, id: id, encode(changes, table: table))
    }

    /// Sets the given columns (`nil` stores NULL) on the row with key `id`.
    public func update(_ table: String, id: Int64, set changes: [String: GainslyValue]) throws {
        try updateJSON(table, id: id, encode(changes, table: table))
    }

    /// Deletes the row with key `id` (children cascade where the schema says so).
    public func delete(_ table: String, id: Int64) throws {
        try GainslyDatabase.checkNoNUL(table, "table")
        try call { gs_row_delete($0, table, id) }
    }

    // MARK: Records (the generated GainslyRecord types)

    /// Inserts `record` and returns its key; nil properties take the column defaults.
    @discardableResult
    public func insert<R: GainslyRecord>(_ record: R) throws -> Int64 {
        try insert(R.tableName, record)
    }

    /// Inserts `record` and sets its `primaryKey`.
    public func insert<R: GainslyRecord>(_ record: inout R) throws {
        record.primaryKey = try insert(R.tableName, record)
    }

    /// Inserts `record` and returns the stored row, with its key, uid and defaults filled in.
    public func insertAndGet<R: GainslyRecord>(_ record: R) throws -> R {
        try get(R.self, id: insert(record))
    }

    /// The record with key `id`; throws `.notFound` if there is none.
    public func get<R: GainslyRecord>(_ type: R.Type, id: Int64) throws -> R {
        try get(R.tableName, id: id, as: R.self)
    }

    /// The record with key `id`, or nil if there is none (other errors throw).
    public func find<R: GainslyRecord>(_ type: R.Type, id: Int64) throws -> R? {
        do {
            return try get(type, id: id)
        } catch let error as GainslyError where error.code == .notFound {
            return nil
        }
    }

    /// The records whose columns equal every value of `filter` (`nil` matches NULL), ordered by key.
    public func select<R: GainslyRecord>(_ type: R.Type, where filter: [String: GainslyValue] = [:]) throws -> [R] {
        try select(R.tableName, where: filter, as: R.self)
    }

    /// Writes every column of `record` to its row: nil stores NULL in nullable columns and keeps the
    /// stored value in NOT NULL ones; the key and uid never change and updated_at becomes now.
    public func update<R: GainslyRecord>(_ record: R) throws {
        guard let key = record.primaryKey else {
            throw GainslyError.invalid("\(R.tableName).\(R.keyColumn): the record has no key (insert it first)")
        }
        guard case .object(var columns) = try decode(JSONValue.self, from: encode(record, table: R.tableName),
                                                     table: R.tableName) else {
            throw GainslyError.invalid("\(R.tableName): the record did not encode as a JSON object")
        }
        for name in R.columnNames where columns[name] == nil && !R.notNullColumns.contains(name) {
            columns[name] = .null
        }
        for fixed in [R.keyColumn, "uid", "updated_at"] { columns[fixed] = nil }
        try updateJSON(R.tableName, id: key, encode(JSONValue.object(columns), table: R.tableName))
    }

    /// Deletes the row of `record`.
    public func delete<R: GainslyRecord>(_ record: R) throws {
        guard let key = record.primaryKey else {
            throw GainslyError.invalid("\(R.tableName).\(R.keyColumn): the record has no key")
        }
        try delete(R.tableName, id: key)
    }

    /// Deletes the row of `type` with key `id`.
    public func delete<R: GainslyRecord>(_ type: R.Type, id: Int64) throws {
        try delete(R.tableName, id: id)
    }

    // MARK: Transactions

    /// Starts a transaction (`.invalid` if one is open). Prefer `transaction`.
    public func begin() throws { try call { gs_db_begin($0) } }
    /// Commits the open transaction.
    public func commit() throws { try call { gs_db_commit($0) } }
    /// Rolls back the open transaction.
    public func rollback() throws { try call { gs_db_rollback($0) } }

    /// Runs `body` in a transaction: commits when it returns, rolls back and rethrows when it throws.
    @discardableResult
    public func transaction<T>(_ body: (GainslyDatabase) throws -> T) throws -> T {
        try begin()
        let result: T
        do {
            result = try body(self)
            try commit()
        } catch {
            try? rollback()
            throw error
        }
        return result
    }

    // MARK: Calling the C ABI

    /// Runs a C call on the open handle and throws its error. New wrappers are one line on top:
    /// `try call { gs_something($0, ...) }`.
    func call(_ body: (OpaquePointer) -> Int32) throws {
        let h = try openHandle()
        let status = body(h)
        if status != GS_OK { throw error(status, h) }
    }

    /// Runs a C call that returns a library-owned string through its `char **` argument and returns
    /// it as a Swift String, always releasing the buffer with gs_string_free.
    func callReturningString(_ body: (OpaquePointer, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32) throws -> String {
        guard let text = try callReturningOptionalString(body) else {
            throw GainslyError(code: .internal, message: "the library returned no result")
        }
        return text
    }

    /// As `callReturningString`, for calls whose result may be NULL.
    func callReturningOptionalString(_ body: (OpaquePointer, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32) throws -> String? {
        let h = try openHandle()
        var out: UnsafeMutablePointer<CChar>?
        let status = body(h, &out)
        defer { gs_string_free(out) }
        if status != GS_OK { throw error(status, h) }
        return out.map { String(cString: $0) }
    }

    /// Runs a C call without a handle that returns a library-owned string (or NULL); errors come
    /// from this thread's slot (gs_error_message(NULL)).
    static func callWithoutHandle(_ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32) throws -> String? {
        var out: UnsafeMutablePointer<CChar>?
        let status = body(&out)
        defer { gs_string_free(out) }
        if status != GS_OK { throw GainslyError.lastOnThread(status) }
        return out.map { String(cString: $0) }
    }

    private func openHandle() throws -> OpaquePointer {
        guard let h = handle else { throw GainslyError.invalid("database: closed (\(path))") }
        return h
    }

    private func error(_ status: Int32, _ h: OpaquePointer) -> GainslyError {
        GainslyError(code: GainslyError.Code(rawValue: status), message: String(cString: gs_error_message(h)))
    }

    static func checkNoNUL(_ s: String, _ what: String) throws {
        if s.utf8.contains(0) { throw GainslyError.invalid("\(what): contains a NUL character") }
    }

    // MARK: JSON coding

    static func makeEncoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.withoutEscapingSlashes]
        e.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(Timestamp.format(date))
        }
        return e
    }

    static func makeDecoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .custom { decoder in
            let c = try decoder.singleValueContainer()
            let text = try c.decode(String.self)
            guard let date = Timestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "'\(text)' is not an ISO-8601 timestamp")
            }
            return date
        }
        return d
    }

    func encode<T: Encodable>(_ value: T, table: String) throws -> String {
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch let error as EncodingError {
            throw GainslyError.invalid("\(table): cannot encode \(T.self): \(GainslyDatabase.describe(error))")
        }
    }

    func decode<T: Decodable>(_ type: T.Type, from json: String, table: String) throws -> T {
        do {
            return try decoder.decode(T.self, from: Data(json.utf8))
        } catch let error as DecodingError {
            throw GainslyError.invalid("\(table): cannot decode \(T.self): \(GainslyDatabase.describe(error))")
        }
    }

    private static func path(_ codingPath: [CodingKey]) -> String {
        codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    static func describe(_ error: EncodingError) -> String {
        switch error {
        case .invalidValue(_, let context): return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): missing"
        case .valueNotFound(_, let context), .typeMismatch(_, let context), .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
