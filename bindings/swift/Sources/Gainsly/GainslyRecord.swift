/// A Codable struct for one table (generated for every table in Records.swift). Its coding keys are
/// the table's column names; `nil` properties are left out of inserts, so columns take their defaults.
public protocol GainslyRecord: Codable, Sendable {
    /// The table, e.g. "users".
    static var tableName: String { get }
    /// The key column, usually "id" ("user_id" for user_profiles).
    static var keyColumn: String { get }
    /// Every column the record maps, in schema order.
    static var columnNames: [String] { get }
    /// The columns that cannot hold NULL (a nil property there means "keep" on update).
    static var notNullColumns: Set<String> { get }
    /// The value of the key column; nil before the record is inserted.
    var primaryKey: Int64? { get set }
}
