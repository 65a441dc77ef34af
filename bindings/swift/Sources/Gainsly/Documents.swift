import CGainsly
import Foundation

// Whole documents: a session with its exercises, user export and import.

/// A session and its exercises in order (gs_session_get).
public struct SessionWithExercises: Decodable, Hashable, Sendable {
    public var session: Session
    public var exercises: [SessionExercise]

    private enum Keys: String, CodingKey { case exercises }

    public init(session: Session, exercises: [SessionExercise]) {
        self.session = session
        self.exercises = exercises
    }

    public init(from decoder: Decoder) throws {
        session = try Session(from: decoder)  // the session's columns sit next to "exercises"
        exercises = try decoder.container(keyedBy: Keys.self).decode([SessionExercise].self, forKey: .exercises)
    }
}

/// The document formats `importJSON` reads (GS_IMPORT_*).
public enum ImportFormat: Sendable, CaseIterable {
    /// A document made by `exportUserJSON`, restored into a database without that user.
    case userExport
    /// The catalog format: {"movements": [...], ...} (catalog/README.md).
    case catalog
    /// An array of open exercise-database records; bad records are listed in the report.
    case freeExerciseDB

    var cValue: gs_import_format {
        switch self {
        case .userExport: return GS_IMPORT_USER_EXPORT
        case .catalog: return GS_IMPORT_CATALOG
        case .freeExerciseDB: return GS_IMPORT_FREE_EXERCISE_DB
        }
    }
}

extension GainslyDatabase {
    /// The session with key `id` and its exercises, as JSON text.
    public func getSessionJSON(id: Int64) throws -> String {
        try callReturningString { gs_session_get($0, id, $1) }
    }

    /// The session with key `id` and its exercises in order; `.notFound` if there is none.
    public func getSession(id: Int64) throws -> SessionWithExercises {
        try decode(SessionWithExercises.self, from: getSessionJSON(id: id), table: "sessions")
    }

    /// Every row the user owns as one JSON document (references as uids), for `importJSON(_:format:.userExport)`.
    public func exportUserJSON(userId: Int64) throws -> String {
        try callReturningString { gs_user_export($0, userId, $1) }
    }

    /// Imports a document; returns the library's report (counts, skipped and failed records).
    @discardableResult
    public func importJSON(_ json: String, format: ImportFormat) throws -> JSONValue {
        try GainslyDatabase.checkNoNUL(json, "json")
        let report = try callReturningString { gs_db_import($0, format.cValue, json, $1) }
        return try decode(JSONValue.self, from: report, table: "import")
    }
}
