import Foundation

// Typed reports of planning and sync (the same fields as Kotlin's report classes). Each keeps the
// whole document in `json`: fields gainsly.h adds later are readable there before a binding types
// them. Integers decode as Int64, never through Double.

/// Reads a report field that may be missing or null.
private extension KeyedDecodingContainer where K == ReportKey {
    func value<T: Decodable>(_ key: String, _ fallback: T) throws -> T {
        try decodeIfPresent(T.self, forKey: ReportKey(key)) ?? fallback
    }
    func optional<T: Decodable>(_ key: String) throws -> T? {
        try decodeIfPresent(T.self, forKey: ReportKey(key))
    }
}

/// A report key by its JSON name.
struct ReportKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// One hard constraint of a plan: whether it holds, how many things were checked, what broke.
public struct ConstraintCheck: Decodable, Hashable, Sendable {
    public var id: Int64
    public var name: String
    public var ok: Bool
    public var checked: Int64
    public var violations: [String]

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: ReportKey.self)
        id = try c.value("id", 0)
        name = try c.value("name", "")
        ok = try c.value("ok", false)
        checked = try c.value("checked", 0)
        violations = try c.value("violations", [])
    }
}

/// The coach's rules (1-8) checked on a new plan, per week: `ProgramReport.coach`.
public struct CoachReport: Decodable, Hashable, Sendable {
    /// One rule in one week; `value` is the rule's own measure (a share, a count, a list ...).
    public struct Check: Decodable, Hashable, Sendable {
        public var rule: Int64
        public var week: Int64
        public var ok: Bool
        public var value: JSONValue
        /// Why the request cannot meet the rule (e.g. no barbell), if it cannot.
        public var yields: String?
        public var detail: String?

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: ReportKey.self)
            rule = try c.value("rule", 0)
            week = try c.value("week", 0)
            ok = try c.value("ok", false)
            value = try c.value("value", JSONValue.null)
            yields = try c.optional("yields")
            detail = try c.optional("detail")
        }
    }

    /// One rule over the whole plan: in how many of the weeks it was checked it holds.
    public struct Summary: Decodable, Hashable, Sendable {
        public var rule: Int64
        public var name: String
        public var weeks: Int64
        public var okWeeks: Int64
        public var yields: String?

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: ReportKey.self)
            rule = try c.value("rule", 0)
            name = try c.value("name", "")
            weeks = try c.value("weeks", 0)
            okWeeks = try c.value("ok_weeks", 0)
            yields = try c.optional("yields")
        }
    }

    public var windowGoal: String?
    public var rules: [Check]
    public var summary: [Summary]
    /// The whole coach report (with the per-week sets and main lifts).
    public var json: JSONValue

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: ReportKey.self)
        windowGoal = try c.optional("window_goal")
        rules = try c.value("rules", [])
        summary = try c.value("summary", [])
        json = try JSONValue(from: decoder)
    }
}

/// The report of `generateProgram` and `replanProgram` (the program planned or re-planned);
/// `sessionIdsByWeek` is empty for a re-plan and `replannedSessionIds` for a new plan.
public struct ProgramReport: Decodable, Hashable, Sendable {
    public var programId: Int64?
    /// The planner's objective (higher is better).
    public var objective: Double
    public var hardConstraints: [ConstraintCheck]
    /// Whether the search proved the plan optimal (false when it stopped at the time limit).
    public var provenOptimal: Bool
    public var timeLimitHit: Bool
    public var seed: Int64?
    public var solveMs: Double
    public var totalMs: Double
    /// The sessions of each planned week, in order (a new plan).
    public var sessionIdsByWeek: [[Int64]]
    public var replannedSessionIds: [Int64]
    /// The coach's rules checked on a new plan (nil for a re-plan).
    public var coach: CoachReport?
    /// The whole report.
    public var json: JSONValue

    private struct Objective: Decodable { var value: Double? }
    private struct Week: Decodable {
        var ids: [Int64]
        enum CodingKeys: String, CodingKey { case ids = "session_ids" }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: ReportKey.self)
        programId = try c.optional("program_id")
        objective = try c.optional("objective").flatMap { (o: Objective) in o.value } ?? 0
        hardConstraints = try c.value("hard_constraints", [])
        provenOptimal = try c.value("proven_optimal", false)
        timeLimitHit = try c.value("time_limit_hit", false)
        seed = try c.optional("seed")
        solveMs = try c.value("solve_ms", 0)
        totalMs = try c.value("total_ms", 0)
        sessionIdsByWeek = try c.value("microcycles", [Week]()).map(\.ids)
        replannedSessionIds = try c.value("replanned_session_ids", [])
        coach = try c.optional("coach")
        json = try JSONValue(from: decoder)
    }
}

/// A pushed change the server refused because its own state won (also counted in `conflicts`).
public struct RejectedChange: Decodable, Hashable, Sendable {
    public var table: String
    public var uid: String
    public var reason: String

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: ReportKey.self)
        table = try c.value("table", "")
        uid = try c.value("uid", "")
        reason = try c.value("reason", "")
    }
}

/// The report of `sync(conninfo:options:)`.
public struct SyncReport: Decodable, Hashable, Sendable {
    public var pushed: Int64
    public var pulled: Int64
    public var conflicts: Int64
    public var deleted: Int64
    public var parked: Int64
    /// The first 100 rejected changes.
    public var rejected: [RejectedChange]
    public var batches: Int64
    public var pages: Int64
    /// Changes still waiting to be pushed after the sync.
    public var outbox: Int64
    public var cursor: Int64
    public var durationMs: Int64
    public var resynced: Bool
    public var initialPullComplete: Bool
    /// The whole report.
    public var json: JSONValue

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: ReportKey.self)
        pushed = try c.value("pushed", 0)
        pulled = try c.value("pulled", 0)
        conflicts = try c.value("conflicts", 0)
        deleted = try c.value("deleted", 0)
        parked = try c.value("parked", 0)
        rejected = try c.value("rejected", [])
        batches = try c.value("batches", 0)
        pages = try c.value("pages", 0)
        outbox = try c.value("outbox", 0)
        cursor = try c.value("cursor", 0)
        durationMs = try c.value("duration_ms", 0)
        resynced = try c.value("resynced", false)
        initialPullComplete = try c.value("initial_pull_complete", false)
        json = try JSONValue(from: decoder)
    }
}

/// The report of `syncImport` (one pulled page).
public struct SyncPageReport: Decodable, Hashable, Sendable {
    public var applied: Int64
    public var deleted: Int64
    public var conflicts: Int64
    public var parked: Int64
    /// Whether another page is waiting: ask again.
    public var more: Bool
    public var cursor: Int64
    /// The whole report.
    public var json: JSONValue

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: ReportKey.self)
        applied = try c.value("applied", 0)
        deleted = try c.value("deleted", 0)
        conflicts = try c.value("conflicts", 0)
        parked = try c.value("parked", 0)
        more = try c.value("more", false)
        cursor = try c.value("cursor", 0)
        json = try JSONValue(from: decoder)
    }
}

/// The sync state of a file (`syncStatus`); nothing is read from the server.
public struct SyncStatus: Decodable, Hashable, Sendable {
    /// The uid of this device (made when the file is opened for the first time) and of the account it syncs as (nil before the first sync).
    public var device: String?
    public var user: String?
    /// Changes not yet pushed.
    public var outbox: Int64
    /// Whether a pushed batch awaits its acknowledgement.
    public var inflight: Bool
    /// Pulled rows waiting for a parent.
    public var parked: Int64
    public var cursor: Int64
    public var initialPullComplete: Bool
    public var lastPushAt: Date?
    public var lastPullAt: Date?
    /// The message of the last failed sync, or nil.
    public var lastError: String?
    /// The whole report.
    public var json: JSONValue

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: ReportKey.self)
        device = try c.optional("device")
        user = try c.optional("user")
        outbox = try c.value("outbox", 0)
        inflight = try c.value("inflight", false)
        parked = try c.value("parked", 0)
        cursor = try c.value("cursor", 0)
        initialPullComplete = try c.value("initial_pull_complete", false)
        lastPushAt = try c.optional("last_push_at")
        lastPullAt = try c.optional("last_pull_at")
        lastError = try c.optional("last_error").flatMap { (s: String) in s.isEmpty ? nil : s }
        json = try JSONValue(from: decoder)
    }
}

/// One ranked alternative of `listSubstitutes`.
public struct Substitute: Decodable, Hashable, Sendable {
    public var movementId: Int64
    public var name: String
    public var score: Double
    /// How it relates to the movement it would replace ("variation", ...), if the catalog says.
    public var relationship: String?
    public var reasons: [String]

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: ReportKey.self)
        movementId = try c.value("movement_id", 0)
        name = try c.value("name", "")
        score = try c.value("score", 0)
        relationship = try c.optional("relationship")
        reasons = try c.value("reasons", [])
    }
}

/// The alternatives for one session_exercises row (`listSubstitutes`), best first.
public struct SubstituteList: Decodable, Hashable, Sendable {
    public var sessionExerciseId: Int64
    public var sessionId: Int64
    /// The movement the row holds now.
    public var movementId: Int64
    public var name: String
    public var substitutes: [Substitute]
    /// Why there is no alternative at all (e.g. a rule that requires this movement), or nil.
    public var blockedBy: String?
    /// The whole report.
    public var json: JSONValue

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: ReportKey.self)
        sessionExerciseId = try c.value("session_exercise_id", 0)
        sessionId = try c.value("session_id", 0)
        movementId = try c.value("movement_id", 0)
        name = try c.value("name", "")
        substitutes = try c.value("substitutes", [])
        blockedBy = try c.optional("blocked_by")
        json = try JSONValue(from: decoder)
    }
}

/// A swap made by `substituteExercise`.
public struct Substitution: Decodable, Hashable, Sendable {
    public var sessionExerciseId: Int64
    public var sessionId: Int64
    /// The movement the row holds now, and the name of the one it replaced.
    public var movementId: Int64
    public var name: String
    public var replaced: String
    /// The whole report.
    public var json: JSONValue

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: ReportKey.self)
        sessionExerciseId = try c.value("session_exercise_id", 0)
        sessionId = try c.value("session_id", 0)
        movementId = try c.value("movement_id", 0)
        name = try c.value("name", "")
        replaced = try c.value("replaced", "")
        json = try JSONValue(from: decoder)
    }
}
