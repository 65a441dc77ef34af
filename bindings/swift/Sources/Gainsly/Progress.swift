import CGainsly
import Foundation

// Progress (gs_progress_get, gs_goal_list, gs_goal_checkin, gs_summary_get): trends, goals with
// projections and their weekly check-ins, the weekly summary. Definitions: src/progress/progress.hpp.

/// One movement's e1RM history and its robust trend.
public struct MovementTrend: Decodable, Hashable, Sendable {
    public struct Point: Decodable, Hashable, Sendable {
        public var date: CalendarDate
        public var e1rm: Double
    }
    public var movementId: Int64
    public var name: String
    public var pattern: String?
    public var history: [Point]
    public var latest: Double
    public var best: Double
    /// Theil-Sen slope of the daily bests, kg per week (nil with a single day).
    public var slopePerWeek: Double?
    public var change4w: Double?
    public var change12w: Double?
    enum CodingKeys: String, CodingKey {
        case movementId = "movement_id", name, pattern, history, latest, best, slopePerWeek = "slope_per_week"
        case change4w = "change_4w", change12w = "change_12w"
    }
}

/// A movement pattern's strength index and trend.
public struct PatternTrend: Decodable, Hashable, Sendable {
    public var pattern: String
    public var index: Double?
    public var exposures: Int
    public var trend: String
    public var change: Double
    public var earlyDeload: Bool
    public var slopePerWeek: Double?
    enum CodingKeys: String, CodingKey {
        case pattern, index, exposures, trend, change, earlyDeload = "early_deload", slopePerWeek = "slope_per_week"
    }
}

/// Sets and tonnage of a muscle group in a week, against its window.
public struct GroupVolume: Decodable, Hashable, Sendable {
    public var sets: Double
    public var tonnage: Double
    /// [low, high] weekly sets, nil when the group has no window.
    public var window: [Double]?
    /// "below", "within" or "above" (nil without a window).
    public var status: String?
}

/// One day of training load.
public struct LoadDay: Decodable, Hashable, Sendable {
    public var date: CalendarDate
    public var load: Double
    public var acwr: Double?
    public var acwrBand: String
    public var monotony: Double
    public var strain: Double
    public var fitness: Double
    public var fatigue: Double
    public var performance: Double
    enum CodingKeys: String, CodingKey {
        case date, load, acwr, acwrBand = "acwr_band", monotony, strain, fitness, fatigue, performance
    }
}

/// The progress screen's document (gs_progress_get).
public struct ProgressReport: Decodable, Hashable, Sendable {
    public struct VolumeWeek: Decodable, Hashable, Sendable {
        public var weekStart: CalendarDate
        public var groups: [String: GroupVolume]
        enum CodingKeys: String, CodingKey { case weekStart = "week_start", groups }
    }
    public var userId: Int64
    public var from: CalendarDate
    public var to: CalendarDate
    public var movements: [MovementTrend]
    public var patterns: [PatternTrend]
    public var windowGoal: String
    public var volumeWeeks: [VolumeWeek]
    public var loadDays: [LoadDay]
    public var json: JSONValue

    enum CodingKeys: String, CodingKey { case userId = "user_id", from, to, movements, patterns, volume, load }
    enum VolumeKeys: String, CodingKey { case windowGoal = "window_goal", weeks }
    enum LoadKeys: String, CodingKey { case days }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        userId = try c.decode(Int64.self, forKey: .userId)
        from = try c.decode(CalendarDate.self, forKey: .from)
        to = try c.decode(CalendarDate.self, forKey: .to)
        movements = try c.decode([MovementTrend].self, forKey: .movements)
        patterns = try c.decode([PatternTrend].self, forKey: .patterns)
        let v = try c.nestedContainer(keyedBy: VolumeKeys.self, forKey: .volume)
        windowGoal = try v.decode(String.self, forKey: .windowGoal)
        volumeWeeks = try v.decode([VolumeWeek].self, forKey: .weeks)
        loadDays = try c.nestedContainer(keyedBy: LoadKeys.self, forKey: .load).decode([LoadDay].self, forKey: .days)
        json = try JSONValue(from: decoder)
    }
}

/// A goal with its metric, value, trend and projection (gs_goal_list; a check-in adds its row).
public struct GoalProgress: Decodable, Hashable, Sendable {
    public var key: String
    public var goal: String
    public var programGoalId: Int64?
    public var programId: Int64?
    public var metric: String?
    public var unit: String?
    public var movementId: Int64?
    public var current: Double?
    public var trendPerWeek: Double?
    public var target: Double?
    /// "achieved", "on_track", "not_at_this_rate", "no_target", "no_data" or "unmeasured".
    public var status: String
    public var projectedDate: CalendarDate?
    public var achieved: Bool
    public var achievedAt: CalendarDate?
    /// Why an unmeasured goal has no metric.
    public var reason: String?
    /// The goal_checkins row (check-ins only).
    public var checkinId: Int64?
    /// False when the check-in updated the week's row (check-ins only).
    public var created: Bool?
    enum CodingKeys: String, CodingKey {
        case key, goal, programGoalId = "program_goal_id", programId = "program_id", metric, unit, movementId = "movement_id"
        case current, trendPerWeek = "trend_per_week", target, status, projectedDate = "projected_date", achieved
        case achievedAt = "achieved_at", reason, checkinId = "checkin_id", created
    }
}

/// What gs_goal_checkin wrote.
public struct GoalCheckinReport: Decodable, Hashable, Sendable {
    public var userId: Int64
    public var date: CalendarDate
    public var weekStart: CalendarDate
    public var goals: [GoalProgress]
    enum CodingKeys: String, CodingKey { case userId = "user_id", date, weekStart = "week_start", goals }
}

/// The week as data and as text (gs_summary_get).
public struct WeeklySummary: Decodable, Hashable, Sendable {
    public struct Sessions: Decodable, Hashable, Sendable {
        public var planned: Int
        public var done: Int
        public var unplanned: Int
    }
    public struct Volume: Decodable, Hashable, Sendable {
        public var windowGoal: String
        public var groups: [String: GroupVolume]
        enum CodingKeys: String, CodingKey { case windowGoal = "window_goal", groups }
    }
    public struct Day: Decodable, Hashable, Sendable {
        public var date: CalendarDate
        public var readiness: Double
        public var systemicFatigue: Double
        enum CodingKeys: String, CodingKey { case date, readiness, systemicFatigue = "systemic_fatigue" }
    }
    public struct Readiness: Decodable, Hashable, Sendable {
        public var days: [Day]
        public var readinessTrend: String
        public var fatigueTrend: String
        enum CodingKeys: String, CodingKey { case days, readinessTrend = "readiness_trend", fatigueTrend = "fatigue_trend" }
    }
    public var userId: Int64
    public var weekStart: CalendarDate
    public var weekEnd: CalendarDate
    public var personaTone: String
    public var sessions: Sessions
    public var volume: Volume
    /// The week's personal records (empty until the library stores them).
    public var prs: [JSONValue]
    public var readiness: Readiness
    public var goals: [GoalProgress]
    /// The summary in the user's persona tone.
    public var text: String
    enum CodingKeys: String, CodingKey {
        case userId = "user_id", weekStart = "week_start", weekEnd = "week_end", personaTone = "persona_tone", sessions
        case volume, prs, readiness, goals, text
    }
}

extension GainslyDatabase {
    /// The progress document for [from, to] (nil: 12 weeks up to today) as JSON text.
    public func progressJSON(userId: Int64, from: CalendarDate? = nil, to: CalendarDate? = nil) throws -> String {
        try callReturningString { db, out in
            withOptionalCString(from?.description) { f in withOptionalCString(to?.description) { t in gs_progress_get(db, userId, f, t, out) } }
        }
    }

    /// e1RM trends per movement and pattern, weekly volume against the windows, and the daily load.
    public func progress(userId: Int64, from: CalendarDate? = nil, to: CalendarDate? = nil) throws -> ProgressReport {
        try decode(ProgressReport.self, from: progressJSON(userId: userId, from: from, to: to), table: "progress")
    }

    /// The user's goals on `date` (nil: today); nothing is written.
    public func goals(userId: Int64, date: CalendarDate? = nil) throws -> [GoalProgress] {
        let text = try callReturningString { db, out in withOptionalCString(date?.description) { gs_goal_list(db, userId, $0, out) } }
        return try decode([GoalProgress].self, from: text, table: "goals")
    }

    /// The weekly goal check-in (one goal_checkins row per goal and week; a second call updates it).
    /// `longTermTarget` / `longTermMovement` set the long-term goal's target (and a strength_1rm goal's movement).
    @discardableResult
    public func checkInGoals(userId: Int64, date: CalendarDate? = nil, longTermTarget: Double? = nil,
                             longTermMovement: String? = nil) throws -> GoalCheckinReport {
        var options: [String: JSONValue] = [:]
        if let longTermTarget { options["long_term_target"] = .number(longTermTarget) }
        if let longTermMovement { options["long_term_movement"] = .string(longTermMovement) }
        let optionsJSON = try encode(JSONValue.object(options), table: "options")
        let text = try callReturningString { db, out in
            withOptionalCString(date?.description) { d in gs_goal_checkin(db, userId, d, optionsJSON, out) }
        }
        return try decode(GoalCheckinReport.self, from: text, table: "checkin")
    }

    /// The week holding `date` (nil: today) as data and as text in the user's persona tone.
    public func weeklySummary(userId: Int64, date: CalendarDate? = nil) throws -> WeeklySummary {
        let text = try callReturningString { db, out in withOptionalCString(date?.description) { gs_summary_get(db, userId, $0, out) } }
        return try decode(WeeklySummary.self, from: text, table: "summary")
    }
}

func withOptionalCString<R>(_ s: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
    guard let s else { return body(nil) }
    return s.withCString { body($0) }
}
