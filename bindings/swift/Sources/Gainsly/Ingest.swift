import CGainsly
import Foundation

// Ingestion of provider payloads, activities outside the gym, provider tokens and the adaptation of a
// program to the lifter's state (gs_ingest_run, gs_activity_*, gs_provider_tokens_*, gs_program_adapt
// in gainsly.h; src/ingest/README.md, src/plan/README.md). Each report keeps its whole document in `json`.

/// What an ingestion run covers (GS_INGEST_*; the raw value is the C value).
public enum IngestRunType: Int32, CaseIterable, Sendable {
    /// The records since the last run.
    case incremental = 0
    /// Everything the provider holds for the account.
    case full
    /// An older range, filled in after linking.
    case backfill
}

/// The report of `ingest`: how many records the payload held and what became of each, and the
/// recovery_signals and activity_instances rows derived. `status` is "succeeded", "partial" (some
/// records refused) or "failed" (all refused).
public struct IngestReport: Decodable, Hashable, Sendable {
    /// One record that was refused (it failed alone; the others were stored).
    public struct RecordError: Decodable, Hashable, Sendable {
        public var record: String
        public var message: String
    }

    public var runId: Int64
    public var status: String
    public var provider: String
    public var records: Int64
    public var inserted: Int64
    public var updated: Int64
    public var unchanged: Int64
    public var failed: Int64
    public var errors: [RecordError]
    /// recovery_signals ids written or rewritten.
    public var signals: [Int64]
    /// activity_instances ids derived from the payload's workouts.
    public var activities: [Int64]
    /// Duplicates across providers linked by this run.
    public var linked: Int64
    public var skipped: [String]
    public var json: JSONValue

    enum CodingKeys: String, CodingKey {
        case runId = "run_id", status, provider, records, inserted, updated, unchanged, failed, errors, signals, activities, linked, skipped
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        runId = try c.decode(Int64.self, forKey: .runId)
        status = try c.decode(String.self, forKey: .status)
        provider = try c.decode(String.self, forKey: .provider)
        records = try c.decode(Int64.self, forKey: .records)
        inserted = try c.decode(Int64.self, forKey: .inserted)
        updated = try c.decode(Int64.self, forKey: .updated)
        unchanged = try c.decode(Int64.self, forKey: .unchanged)
        failed = try c.decode(Int64.self, forKey: .failed)
        errors = try c.decodeIfPresent([RecordError].self, forKey: .errors) ?? []
        signals = try c.decodeIfPresent([Int64].self, forKey: .signals) ?? []
        activities = try c.decodeIfPresent([Int64].self, forKey: .activities) ?? []
        linked = try c.decodeIfPresent(Int64.self, forKey: .linked) ?? 0
        skipped = try c.decodeIfPresent([String].self, forKey: .skipped) ?? []
        json = try JSONValue(from: decoder)
    }
}

/// An ingested activity (`activities`): duplicates across providers are listed once.
public struct IngestedActivity: Decodable, Hashable, Sendable {
    public var instanceId: Int64
    public var activityDefinitionId: Int64?
    public var name: String?
    public var provider: String?
    public var startedAt: Date
    public var completedAt: Date
    public var durationSeconds: Int64
    /// 0-10; nil: not known.
    public var intensity: Double?

    enum CodingKeys: String, CodingKey {
        case instanceId = "instance_id", activityDefinitionId = "activity_definition_id", name, provider, startedAt = "started_at"
        case completedAt = "completed_at", durationSeconds = "duration_seconds", intensity
    }
}

/// An activity done outside the gym, for `logActivity`: `activity` is an `EnjoyableActivity` value
/// (`.cycling`) or an activity_definitions name; `durationMinutes` 0 < x <= 1440; `intensity` 0-10
/// (nil: the definition's default); `sessionId` a session of the user on that date (nil: a cardio
/// session without a program is created).
public struct ActivityEntry: Encodable, Hashable, Sendable {
    public var userId: Int64
    public var date: CalendarDate
    public var activity: String
    public var durationMinutes: Double
    public var intensity: Double?
    public var sessionId: Int64?
    public var notes: String?

    public init(userId: Int64, date: CalendarDate, activity: String, durationMinutes: Double, intensity: Double? = nil,
                sessionId: Int64? = nil, notes: String? = nil) {
        self.userId = userId
        self.date = date
        self.activity = activity
        self.durationMinutes = durationMinutes
        self.intensity = intensity
        self.sessionId = sessionId
        self.notes = notes
    }

    public init(userId: Int64, date: CalendarDate, activity: EnjoyableActivity, durationMinutes: Double, intensity: Double? = nil,
                sessionId: Int64? = nil, notes: String? = nil) {
        self.init(userId: userId, date: date, activity: activity.rawValue, durationMinutes: durationMinutes, intensity: intensity,
                  sessionId: sessionId, notes: notes)
    }

    enum CodingKeys: String, CodingKey {
        case userId = "user_id", date, activity, durationMinutes = "duration_minutes", intensity, sessionId = "session_id", notes
    }
}

/// What `logActivity` wrote, and the day's state after it.
public struct ActivityReport: Decodable, Hashable, Sendable {
    public var activityInstanceId: Int64
    public var sessionId: Int64?
    public var date: CalendarDate
    public var activity: String
    public var state: DayState
    public var json: JSONValue

    enum CodingKeys: String, CodingKey {
        case activityInstanceId = "activity_instance_id", sessionId = "session_id", date, activity, state
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        activityInstanceId = try c.decode(Int64.self, forKey: .activityInstanceId)
        sessionId = try c.decodeIfPresent(Int64.self, forKey: .sessionId)
        date = try c.decode(CalendarDate.self, forKey: .date)
        activity = try c.decode(String.self, forKey: .activity)
        state = try c.decode(DayState.self, forKey: .state)
        json = try JSONValue(from: decoder)
    }
}

/// A provider account whose tokens need refreshing (`providerTokensDue`); `tokenExpiresAt` nil with
/// `hasRefreshToken` means no expiry is known.
public struct ProviderAccountDue: Decodable, Hashable, Sendable {
    public var id: Int64
    public var userId: Int64?
    public var providerType: String?
    public var tokenExpiresAt: String?
    public var expired: Bool
    public var hasRefreshToken: Bool

    enum CodingKeys: String, CodingKey {
        case id, userId = "user_id", providerType = "provider_type", tokenExpiresAt = "token_expires_at", expired
        case hasRefreshToken = "has_refresh_token"
    }
}

/// The report of `adaptProgram`: the day's readiness, the sessions looked at, every change.
public struct AdaptReport: Decodable, Hashable, Sendable {
    /// A prescription before and after an adaptation (nil: none).
    public struct FromTo: Decodable, Hashable, Sendable {
        public var from: Double?
        public var to: Double?
    }

    public struct Readiness: Decodable, Hashable, Sendable {
        public var score: Double?
        /// Below the plan's red line.
        public var red: Bool
        public var signalsUsed: Int?
        enum CodingKeys: String, CodingKey { case score, red, signalsUsed = "signals_used" }
    }

    public struct AdaptedSession: Decodable, Hashable, Sendable {
        public var sessionId: Int64
        public var date: CalendarDate
        public var changed: Bool
        enum CodingKeys: String, CodingKey { case sessionId = "session_id", date, changed }
    }

    /// One exercise changed: `action` "lighter", "swapped" (a heavy main lift replaced by a
    /// lower-demand one of its pattern; the JSON's "replaced" names it) or "restored", its working sets and targets before
    /// and after, and why (`reasons`, e.g. "readiness 44/100").
    public struct Change: Decodable, Hashable, Sendable {
        public var sessionId: Int64
        public var sessionExerciseId: Int64
        public var movementId: Int64
        public var movement: String?
        public var role: String
        public var action: String
        public var sets: FromTo
        public var targetRpe: FromTo?
        public var targetRir: FromTo?
        public var reasons: [String]
        enum CodingKeys: String, CodingKey {
            case sessionId = "session_id", sessionExerciseId = "session_exercise_id", movementId = "movement_id", movement, role, action
            case sets, targetRpe = "target_rpe", targetRir = "target_rir", reasons
        }
    }

    public var programId: Int64
    public var userId: Int64
    public var date: CalendarDate
    public var readiness: Readiness
    public var sessions: [AdaptedSession]
    public var keptSessionIds: [Int64]
    public var changes: [Change]
    public var json: JSONValue

    enum CodingKeys: String, CodingKey {
        case programId = "program_id", userId = "user_id", date, readiness, sessions, keptSessionIds = "kept_session_ids", changes
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        programId = try c.decode(Int64.self, forKey: .programId)
        userId = try c.decode(Int64.self, forKey: .userId)
        date = try c.decode(CalendarDate.self, forKey: .date)
        readiness = try c.decode(Readiness.self, forKey: .readiness)
        sessions = try c.decodeIfPresent([AdaptedSession].self, forKey: .sessions) ?? []
        keptSessionIds = try c.decodeIfPresent([Int64].self, forKey: .keptSessionIds) ?? []
        changes = try c.decodeIfPresent([Change].self, forKey: .changes) ?? []
        json = try JSONValue(from: decoder)
    }
}

/// The request of `ingest` (the payload as a JSON value, so a payload that is not JSON is refused here).
struct IngestRequest: Encodable {
    var accountId: Int64
    var provider: String?
    var userId: Int64?
    var payload: JSONValue
    enum CodingKeys: String, CodingKey { case accountId = "account_id", provider, userId = "user_id", payload }
}

/// The request of `adaptProgram`.
struct AdaptRequest: Encodable {
    var programId: Int64
    var userId: Int64?
    var date: CalendarDate?
    var sessions: Int?
    enum CodingKeys: String, CodingKey { case programId = "program_id", userId = "user_id", date, sessions }
}

extension GainslyDatabase {
    /// Ingests one payload (`payloadJSON`, as the provider returned it) for the
    /// external_provider_accounts row `accountId`; `provider` and `userId`, when given, must match the
    /// account. Idempotent: a record stored before is left alone (unchanged) or updated, never stored
    /// twice. A faulty request (invalid JSON, an unknown provider or account, a payload not of the
    /// provider's shape) throws `.invalid` or `.notFound` naming the field and writes nothing; a
    /// faulty record fails alone (`IngestReport.errors`).
    @discardableResult
    public func ingest(accountId: Int64, payloadJSON: String, provider: String? = nil, userId: Int64? = nil,
                       runType: IngestRunType = .incremental) throws -> IngestReport {
        let payload = try decode(JSONValue.self, from: payloadJSON, table: "payload")
        let request = try encode(IngestRequest(accountId: accountId, provider: provider, userId: userId, payload: payload), table: "request")
        return try decode(IngestReport.self, from: ingestJSON(request, runType: runType), table: "report")
    }

    /// `ingest` with the whole request ({"account_id", "payload", "provider"?, "user_id"?}) and the
    /// report as JSON text.
    public func ingestJSON(_ requestJSON: String, runType: IngestRunType = .incremental) throws -> String {
        try GainslyDatabase.checkNoNUL(requestJSON, "request")
        var options = gs_ingest_options()
        let status = gs_ingest_options_init(&options, UInt32(MemoryLayout<gs_ingest_options>.size))
        if status != GS_OK { throw GainslyError.lastOnThread(status) }
        options.run_type = gs_ingest_run_type(rawValue: numericCast(runType.rawValue))
        return try callReturningString { gs_ingest_run($0, requestJSON, &options, $1) }
    }

    /// The user's ingested activities completed within from...to (nil `to`: today; nil `from`: 28
    /// days before `to`), oldest first.
    public func activities(userId: Int64, from: CalendarDate? = nil, to: CalendarDate? = nil) throws -> [IngestedActivity] {
        try decode([IngestedActivity].self, from: activitiesJSON(userId: userId, from: from, to: to), table: "activities")
    }

    /// `activities` as JSON text.
    public func activitiesJSON(userId: Int64, from: CalendarDate? = nil, to: CalendarDate? = nil) throws -> String {
        try callReturningString { db, out in
            withOptionalCString(from?.description) { f in withOptionalCString(to?.description) { t in gs_activity_list(db, userId, f, t, out) } }
        }
    }

    /// Logs an activity done outside the gym and recomputes the day's state: the activity adds
    /// muscle and systemic fatigue by its duration, intensity and muscles.
    @discardableResult
    public func logActivity(_ activity: ActivityEntry) throws -> ActivityReport {
        try decode(ActivityReport.self, from: logActivityJSON(encode(activity, table: "activity")), table: "activity")
    }

    /// `logActivity` with the activity and the report as JSON text.
    @discardableResult
    public func logActivityJSON(_ activityJSON: String) throws -> String {
        try GainslyDatabase.checkNoNUL(activityJSON, "activity")
        return try callReturningString { gs_activity_log($0, activityJSON, $1) }
    }

    /// Stores the OAuth tokens of a provider account, sealed by the sealer set with
    /// `setTokenSealer` (`.invalid` without one), and their expiry. A nil argument leaves that
    /// column as it is. `.notFound` for an unknown account.
    public func setProviderTokens(accountId: Int64, accessToken: String?, refreshToken: String? = nil, expiresAt: Date? = nil) throws {
        if let accessToken { try GainslyDatabase.checkNoNUL(accessToken, "access_token") }
        if let refreshToken { try GainslyDatabase.checkNoNUL(refreshToken, "refresh_token") }
        let expiry = expiresAt.map { Timestamp.format($0) }
        try call { db in
            withOptionalCString(accessToken) { a in
                withOptionalCString(refreshToken) { r in withOptionalCString(expiry) { e in gs_provider_tokens_set(db, accountId, a, r, e) } }
            }
        }
    }

    /// The active accounts of `userId` (0: of every user) whose tokens need refreshing: the access
    /// token expires within `withinSeconds` or has expired, or a refresh token is held with no expiry
    /// known. Soonest first.
    public func providerTokensDue(userId: Int64 = 0, withinSeconds: Int64 = 0) throws -> [ProviderAccountDue] {
        try decode([ProviderAccountDue].self, from: callReturningString { gs_provider_tokens_list($0, userId, withinSeconds, $1) },
                   table: "accounts")
    }

    /// Adapts the next `sessions` (1-14; nil: 2) sessions of a program not yet done to the lifter's
    /// state on `date` (nil: today): a red readiness day, fatigued or sore muscles, an activity done
    /// the day before make a working exercise lighter; a fresh day restores it. `userId`, when given,
    /// must own the program. Every change is listed with its reasons and written in the notes; a call
    /// that changes nothing writes nothing. `.notFound` for an unknown program.
    @discardableResult
    public func adaptProgram(id programId: Int64, userId: Int64? = nil, date: CalendarDate? = nil, sessions: Int? = nil) throws -> AdaptReport {
        let request = try encode(AdaptRequest(programId: programId, userId: userId, date: date, sessions: sessions), table: "request")
        return try decode(AdaptReport.self, from: adaptProgramJSON(request), table: "report")
    }

    /// `adaptProgram` with the request and the report as JSON text.
    @discardableResult
    public func adaptProgramJSON(_ requestJSON: String) throws -> String {
        try GainslyDatabase.checkNoNUL(requestJSON, "request")
        return try callReturningString { gs_program_adapt($0, requestJSON, $1) }
    }
}
