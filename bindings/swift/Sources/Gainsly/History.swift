import CGainsly
import Foundation

// Training history from Strong and Hevy (gs_history_import) and back out as Strong's CSV
// (gs_history_export).

/// The CSV formats of `importHistory` (GS_HISTORY_*).
public enum HistoryFormat: Sendable, CaseIterable {
    /// Strong's export: Date, Workout Name, Duration, Exercise Name, Set Order, Weight, Reps, ... (`,` or `;`).
    case strong
    /// Hevy's export: title, start_time, end_time, ..., exercise_title, set_type, weight_kg or weight_lbs, reps, ...
    case hevy

    var cValue: gs_history_format {
        switch self {
        case .strong: return GS_HISTORY_STRONG
        case .hevy: return GS_HISTORY_HEVY
        }
    }
}

/// What `importHistory` did (the library's report, typed; `json` keeps the whole document).
public struct HistoryImportReport: Decodable, Hashable, Sendable {
    public struct Count: Decodable, Hashable, Sendable {
        public var imported: Int
        public var existing: Int
        public init(imported: Int, existing: Int) {
            self.imported = imported
            self.existing = existing
        }
    }

    /// How one exercise name of the file was matched: "mapping", "exact", "alias", "fuzzy", "none" or "skipped".
    public struct Name: Decodable, Hashable, Sendable {
        public var name: String
        public var match: String
        public var movementId: Int64?
        public var movement: String?
        public var score: Double
        public var sets: Int
        enum CodingKeys: String, CodingKey { case name, match, movementId = "movement_id", movement, score, sets }
    }

    public struct Suggestion: Decodable, Hashable, Sendable {
        public var movementId: Int64
        public var movement: String
        public var score: Double
        enum CodingKeys: String, CodingKey { case movementId = "movement_id", movement, score }
    }

    /// A name matched to no movement: its sets were not imported (map it and run the import again).
    public struct Unmatched: Decodable, Hashable, Sendable {
        public var name: String
        public var sets: Int
        public var firstLine: Int
        public var suggestion: Suggestion?
        enum CodingKeys: String, CodingKey { case name, sets, firstLine = "first_line", suggestion }
    }

    public struct LineError: Decodable, Hashable, Sendable {
        public var line: Int
        public var message: String
    }

    public struct Skipped: Decodable, Hashable, Sendable {
        public var line: Int
        public var reason: String
    }

    public struct Days: Decodable, Hashable, Sendable {
        public var from: CalendarDate
        public var to: CalendarDate
    }

    public var format: String
    public var delimiter: String
    public var records: Int
    public var workouts: Count
    public var sets: Count
    public var restTimerRows: Int
    public var names: [Name]
    public var fuzzy: [Name]
    public var unmatched: [Unmatched]
    public var skipped: [Skipped]
    public var errors: [LineError]
    /// The days whose state was recomputed; nil when nothing was imported.
    public var recomputed: Days?
    public var json: JSONValue

    enum CodingKeys: String, CodingKey {
        case format, delimiter, records, workouts, sets, restTimerRows = "rest_timer_rows", names, fuzzy, unmatched, skipped,
             errors, recomputed
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decode(String.self, forKey: .format)
        delimiter = try c.decode(String.self, forKey: .delimiter)
        records = try c.decode(Int.self, forKey: .records)
        workouts = try c.decode(Count.self, forKey: .workouts)
        sets = try c.decode(Count.self, forKey: .sets)
        restTimerRows = try c.decode(Int.self, forKey: .restTimerRows)
        names = try c.decode([Name].self, forKey: .names)
        fuzzy = try c.decode([Name].self, forKey: .fuzzy)
        unmatched = try c.decode([Unmatched].self, forKey: .unmatched)
        skipped = try c.decode([Skipped].self, forKey: .skipped)
        errors = try c.decode([LineError].self, forKey: .errors)
        recomputed = try c.decodeIfPresent(Days.self, forKey: .recomputed)
        json = try JSONValue(from: decoder)
    }
}

/// Holds the caller's progress closure for the C callback (passed as its context pointer).
private final class HistoryProgressBox {
    let body: (JSONValue) -> Bool
    init(_ body: @escaping (JSONValue) -> Bool) { self.body = body }
}

extension GainslyDatabase {
    /// Imports a Strong or Hevy CSV export into the user's log, in one transaction. `mapping` names
    /// the movement for exercise names of the file (a movement id; nil: do not import that name);
    /// `imperial`: a file without unit columns holds lb and miles. `progress` gets
    /// {"phase", "done", "total"} and returns false to cancel (`.canceled`, nothing written).
    /// Re-importing the same file changes nothing.
    @discardableResult
    public func importHistory(userId: Int64, format: HistoryFormat, csv: String, mapping: [String: Int64?] = [:],
                              imperial: Bool = false, progress: ((JSONValue) -> Bool)? = nil) throws -> HistoryImportReport {
        try GainslyDatabase.checkNoNUL(csv, "csv")
        var map: [String: JSONValue] = [:]
        for (name, id) in mapping { map[name] = id.map { .integer($0) } ?? .null }
        let mappingJSON = try encode(JSONValue.object(map), table: "mapping")
        let box = progress.map(HistoryProgressBox.init)
        let report: String = try withExtendedLifetime(box) {
            try mappingJSON.withCString { mappingPointer in
                var options = gs_history_options()
                options.size = UInt32(MemoryLayout<gs_history_options>.size)
                options.flags = imperial ? GS_HISTORY_IMPERIAL : 0
                options.mapping_json = mappingPointer
                if let box {
                    options.progress_context = Unmanaged.passUnretained(box).toOpaque()
                    options.progress = { context, text in
                        let box = Unmanaged<HistoryProgressBox>.fromOpaque(context!).takeUnretainedValue()
                        let value = (try? JSONDecoder().decode(JSONValue.self, from: Data(String(cString: text!).utf8))) ?? .null
                        return box.body(value) ? 0 : 1
                    }
                }
                return try callReturningString { gs_history_import($0, userId, format.cValue, csv, &options, $1) }
            }
        }
        return try decode(HistoryImportReport.self, from: report, table: "report")
    }

    /// The user's whole log as CSV with Strong's columns (weights in kg), which `importHistory` reads back.
    public func exportHistory(userId: Int64) throws -> String {
        try callReturningString { gs_history_export($0, userId, GS_HISTORY_STRONG, $1) }
    }
}
