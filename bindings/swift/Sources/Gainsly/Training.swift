import CGainsly
import Foundation

// Training math (e1RM, the RPE chart) and the training log: workouts, sets, soreness, recovery
// signals, biometrics, and a day's fatigue and readiness (gs_e1rm_estimate, gs_*_log, gs_day_state_get).

/// The e1RM formulas of the C ABI (GS_E1RM_* in gainsly.h); the raw value is the C value.
public enum OneRepMaxFormula: Int32, CaseIterable, Sendable {
    case epley = 0, brzycki, lombardi, oconner, mayhew, wathan, lander

    /// The formula a user_settings.active_e1rm_formula value names.
    public init?(_ setting: E1rmFormula) {
        guard let match = Self.allCases.first(where: { "\($0)" == setting.rawValue }) else { return nil }
        self = match
    }
}

/// Training math without a database, with the library's shipped defaults. Thread-safe; bad input
/// throws `.invalid` naming the argument.
public enum TrainingMath {
    /// Estimated one-rep max of `load` lifted for `reps` (1-30). `rpe` nil means not given;
    /// otherwise (1-10) the effective reps are reps + (10 - rpe).
    public static func e1rm(load: Double, reps: Int32, rpe: Double? = nil, formula: OneRepMaxFormula = .epley) throws -> Double {
        try value { gs_e1rm_estimate(gs_e1rm_formula(rawValue: numericCast(formula.rawValue)), load, reps, rpe ?? 0, $0) }
    }

    /// %1RM (0-100) for `reps` (1-12) at `rpe` (6-10) from the RPE chart.
    public static func rpePercent(reps: Int32, rpe: Double) throws -> Double {
        try value { gs_rpe_lookup_percent(reps, rpe, $0) }
    }

    /// The e1RM implied by `load` lifted for `reps` at `rpe` through the RPE chart.
    public static func rpeE1rm(load: Double, reps: Int32, rpe: Double) throws -> Double {
        try value { gs_e1rm_estimate_rpe(load, reps, rpe, $0) }
    }

    /// The load for `reps` at `rpe` from an `e1rm`, rounded to a multiple of `increment` (e.g. 2.5 kg).
    public static func rpeLoad(e1rm: Double, reps: Int32, rpe: Double, increment: Double) throws -> Double {
        try value { gs_load_prescribe(e1rm, reps, rpe, increment, $0) }
    }

    private static func value(_ body: (UnsafeMutablePointer<Double>) -> Int32) throws -> Double {
        var out = 0.0
        let status = body(&out)
        if status != GS_OK { throw GainslyError.lastOnThread(status) }
        return out
    }
}

/// One top set of `logWorkout`; nil fields are not given.
public struct SetEntry: Encodable, Hashable, Sendable {
    public var movementId: Int64
    /// 1-30.
    public var reps: Int
    /// Kilograms, >= 0 (0: body weight); nil: none.
    public var loadKg: Double?
    /// 1-10; nil: not given.
    public var rpe: Double?
    /// nil: the next number of that movement in the workout.
    public var setNumber: Int?
    /// Mean concentric velocity, m/s.
    public var velocity: Double?
    public var notes: String?
    /// nil: a working set. Warm-ups never set personal records.
    public var setType: SetType?

    public init(movementId: Int64, reps: Int, loadKg: Double? = nil, rpe: Double? = nil, setNumber: Int? = nil,
                velocity: Double? = nil, notes: String? = nil, setType: SetType? = nil) {
        self.movementId = movementId
        self.reps = reps
        self.loadKg = loadKg
        self.rpe = rpe
        self.setNumber = setNumber
        self.velocity = velocity
        self.notes = notes
        self.setType = setType
    }

    enum CodingKeys: String, CodingKey {
        case movementId = "movement_id", reps, loadKg = "load_kg", rpe, setNumber = "set_number", velocity, notes, setType = "set_type"
    }
}

/// A personal record (gs_pr_list; also in the reports of logWorkout and logSet). `value` is the
/// e1RM (kg) for `.e1rm`, the reps at `loadKg` for `.repsAtLoad`, the load for `reps` for
/// `.loadAtReps`, and the session's sum of load x reps for `.sessionVolume`.
public struct PersonalBest: Decodable, Hashable, Sendable {
    public var id: Int64
    public var movementId: Int64
    /// The movement's name (gs_pr_list only).
    public var movement: String?
    public var recordType: PrType
    public var value: Double
    public var reps: Int?
    public var loadKg: Double?
    /// The best it beat; nil for the first.
    public var previousValue: Double?
    public var achievedDate: CalendarDate
    public var topSetLogId: Int64?
    public var workoutLogId: Int64?
    /// Not beaten since (gs_pr_list only; false in log reports).
    public var current: Bool

    enum CodingKeys: String, CodingKey {
        case id, movementId = "movement_id", movement, recordType = "record_type", value, reps, loadKg = "load_kg"
        case previousValue = "previous_value", achievedDate = "achieved_date", topSetLogId = "top_set_log_id"
        case workoutLogId = "workout_log_id", current
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(Int64.self, forKey: .id)
        movementId = try c.decode(Int64.self, forKey: .movementId)
        movement = try c.decodeIfPresent(String.self, forKey: .movement)
        recordType = try c.decode(PrType.self, forKey: .recordType)
        value = try c.decode(Double.self, forKey: .value)
        reps = try c.decodeIfPresent(Int.self, forKey: .reps)
        loadKg = try c.decodeIfPresent(Double.self, forKey: .loadKg)
        previousValue = try c.decodeIfPresent(Double.self, forKey: .previousValue)
        achievedDate = try c.decode(CalendarDate.self, forKey: .achievedDate)
        topSetLogId = try c.decodeIfPresent(Int64.self, forKey: .topSetLogId)
        workoutLogId = try c.decodeIfPresent(Int64.self, forKey: .workoutLogId)
        current = try c.decodeIfPresent(Bool.self, forKey: .current) ?? false
    }
}

/// A set logged by `logSet`: its top_set_logs key, its e1RM with the user's formula and the
/// personal records it set.
public struct LoggedSet: Hashable, Sendable {
    public var id: Int64
    public var e1rm: Double
    public var records: [PersonalBest] = []
}

/// A day's fatigue and readiness (gs_day_state_get). Scores are 0-100.
public struct DayState: Decodable, Hashable, Sendable {
    public struct Readiness: Decodable, Hashable, Sendable {
        public var score: Double
        public var signalsUsed: Int
        public var sleepQualityScore: Double?
        public var sorenessScore: Double?
        public var hrvScore: Double?
        public var restingHeartRate: Double?
        public var hrvBaseline: Double?
        public var restingHrBaseline: Double?
        enum CodingKeys: String, CodingKey {
            case score, signalsUsed = "signals_used", sleepQualityScore = "sleep_quality_score"
            case sorenessScore = "soreness_score", hrvScore = "hrv_score", restingHeartRate = "resting_heart_rate"
            case hrvBaseline = "hrv_baseline", restingHrBaseline = "resting_hr_baseline"
        }
    }

    public var userId: Int64
    public var date: CalendarDate
    public var muscleFatigue: [String: Double]
    public var muscleRecovery: [String: Double]
    public var systemicFatigue: Double
    public var recoveryScore: Double
    public var readiness: Readiness

    enum CodingKeys: String, CodingKey {
        case userId = "user_id", date, muscleFatigue = "muscle_fatigue", muscleRecovery = "muscle_recovery"
        case systemicFatigue = "systemic_fatigue", recoveryScore = "recovery_score", readiness
    }
}

/// What `logWorkout` recorded.
public struct WorkoutReport: Decodable, Hashable, Sendable {
    public struct SetReport: Decodable, Hashable, Sendable {
        public var id: Int64
        public var movementId: Int64
        public var setNumber: Int
        public var reps: Int
        public var loadKg: Double?
        public var rpe: Double?
        /// With the user's formula; nil without a load.
        public var e1rm: Double?
        public var setType: SetType?
        /// The personal records this set set (the workout's session volume is in `records`).
        public var records: [PersonalBest]
        enum CodingKeys: String, CodingKey {
            case id, movementId = "movement_id", setNumber = "set_number", reps, loadKg = "load_kg", rpe, e1rm
            case setType = "set_type", records
        }
    }

    public var workoutLogId: Int64
    public var workoutDate: CalendarDate
    public var e1rmFormula: E1rmFormula
    public var sets: [SetReport]
    /// Every personal record the workout set, session volume included.
    public var records: [PersonalBest]
    /// The movement patterns the workout trained.
    public var patterns: [String]
    /// The state of the workout's day after it.
    public var state: DayState
    /// The whole report (as the other typed reports keep it).
    public var json: JSONValue

    enum CodingKeys: String, CodingKey {
        case workoutLogId = "workout_log_id", workoutDate = "workout_date", e1rmFormula = "e1rm_formula", sets, records, patterns, state
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        workoutLogId = try c.decode(Int64.self, forKey: .workoutLogId)
        workoutDate = try c.decode(CalendarDate.self, forKey: .workoutDate)
        e1rmFormula = try c.decode(E1rmFormula.self, forKey: .e1rmFormula)
        sets = try c.decode([SetReport].self, forKey: .sets)
        records = try c.decode([PersonalBest].self, forKey: .records)
        patterns = try c.decode([String].self, forKey: .patterns)
        state = try c.decode(DayState.self, forKey: .state)
        json = try JSONValue(from: decoder)
    }
}

extension GainslyDatabase {
    /// Records a workout given as JSON text (workout_logs columns plus "sets"); returns the report as JSON text.
    public func logWorkoutJSON(_ workoutJSON: String) throws -> String {
        try GainslyDatabase.checkNoNUL(workoutJSON, "workout")
        return try callReturningString { gs_workout_log($0, workoutJSON, $1) }
    }

    /// Records `workout` (its userId is required; its date defaults to its session's, else today)
    /// with its top `sets`, in one transaction. Errors name the field ("sets[1].reps: ...").
    @discardableResult
    public func logWorkout(_ workout: WorkoutLog, sets: [SetEntry]) throws -> WorkoutReport {
        guard case .object(var columns) = try decode(JSONValue.self, from: encode(workout, table: "workout_logs"),
                                                     table: "workout_logs") else {
            throw GainslyError.invalid("workout_logs: the record did not encode as a JSON object")
        }
        for fixed in ["id", "created_at", "updated_at"] { columns[fixed] = nil }
        columns["sets"] = try decode(JSONValue.self, from: encode(sets, table: "sets"), table: "sets")
        let report = try logWorkoutJSON(encode(JSONValue.object(columns), table: "workout_logs"))
        return try decode(WorkoutReport.self, from: report, table: "report")
    }

    /// The hot path: logs one top set into an existing workout of the user. `setNumber` 0 takes the
    /// next number; `loadKg` 0 is body weight; `rpe` nil is not given; `setType` nil is a working
    /// set. The result lists the personal records the set set.
    @discardableResult
    public func logSet(userId: Int64, workoutLogId: Int64, movementId: Int64, reps: Int32, loadKg: Double,
                       rpe: Double? = nil, setNumber: Int32 = 0, velocity: Double? = nil, notes: String? = nil,
                       setType: SetType? = nil) throws -> LoggedSet {
        if let notes { try GainslyDatabase.checkNoNUL(notes, "notes") }
        if let setType { try GainslyDatabase.checkNoNUL(setType.rawValue, "set_type") }
        struct Report: Decodable {
            var id: Int64
            var e1rm: Double?
            var records: [PersonalBest]
        }
        var text = ""
        func run(_ notesPointer: UnsafePointer<CChar>?, _ typePointer: UnsafePointer<CChar>?) throws {
            var options = gs_set_options()
            options.size = UInt32(MemoryLayout<gs_set_options>.size)
            options.velocity = velocity ?? -1
            options.notes = notesPointer
            options.set_type = typePointer
            text = try callReturningString { h, out in
                gs_set_log_v2(h, userId, workoutLogId, movementId, setNumber, reps, loadKg, rpe ?? 0, &options, out)
            }
        }
        func withType(_ notesPointer: UnsafePointer<CChar>?) throws {
            if let setType { try setType.rawValue.withCString { try run(notesPointer, $0) } } else { try run(notesPointer, nil) }
        }
        if let notes { try notes.withCString { try withType($0) } } else { try withType(nil) }
        let report = try decode(Report.self, from: text, table: "report")
        return LoggedSet(id: report.id, e1rm: report.e1rm ?? 0, records: report.records)
    }

    /// The user's personal records, newest first (one movement's, or every movement's with nil),
    /// as gs_pr_list gives them.
    public func personalRecords(userId: Int64, movementId: Int64? = nil) throws -> [PersonalBest] {
        struct List: Decodable { var records: [PersonalBest] }
        let text = try callReturningString { gs_pr_list($0, userId, movementId ?? 0, $1) }
        return try decode(List.self, from: text, table: "personal_records").records
    }

    /// Rebuilds the user's personal records from the whole log (e.g. after rows arrived by sync);
    /// returns the report as JSON text ({"inserted", "updated", "deleted", ...}).
    @discardableResult
    public func recomputePersonalRecordsJSON(userId: Int64, movementId: Int64? = nil) throws -> String {
        try callReturningString { gs_pr_recompute($0, userId, movementId ?? 0, $1) }
    }

    /// Logs soreness (userId, logDate, severity 1-10, bodyPart, notes) and recomputes that day's
    /// readiness; returns the soreness_logs key.
    @discardableResult
    public func logSoreness(_ soreness: SorenessLog) throws -> Int64 {
        try logRow(soreness) { gs_soreness_log($0, $1, $2) }
    }

    /// Logs a day's recovery signals (userId, signalDate, sleepQualityScore, hrvScore,
    /// restingHeartRate, source, notes) into its recovery_signals row; returns the row's key.
    /// Computed columns (readiness, soreness, overall recovery) must be left nil.
    @discardableResult
    public func logRecovery(_ signals: RecoverySignal) throws -> Int64 {
        try logRow(signals) { gs_recovery_log($0, $1, $2) }
    }

    /// Logs body measurements as a user_biometrics_history row; returns its key.
    @discardableResult
    public func logBiometrics(_ biometrics: UserBiometricsHistory) throws -> Int64 {
        try logRow(biometrics) { gs_biometrics_log($0, $1, $2) }
    }

    /// The day's fatigue and readiness as JSON text, computed from the log (nothing is written).
    public func dayStateJSON(userId: Int64, date: CalendarDate) throws -> String {
        try callReturningString { gs_day_state_get($0, userId, date.description, $1) }
    }

    /// The day's fatigue and readiness, computed from the log (nothing is written).
    public func dayState(userId: Int64, date: CalendarDate) throws -> DayState {
        try decode(DayState.self, from: dayStateJSON(userId: userId, date: date), table: "state")
    }

    private func logRow<R: GainslyRecord>(_ record: R, _ body: (OpaquePointer, UnsafePointer<CChar>, UnsafeMutablePointer<Int64>) -> Int32) throws -> Int64 {
        let json = try encode(record, table: R.tableName)
        var id: Int64 = 0
        try json.withCString { text in try call { body($0, text, &id) } }
        return id
    }
}
