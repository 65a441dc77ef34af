import CGainsly
import Foundation

// The program generator: plan, re-plan, substitute, describe (gs_program_generate and friends).
// Plans and re-plans return a typed `ProgramReport` (its `json` holds the whole document).

/// A request for `generateProgram`; nil fields take the planner's defaults.
public struct ProgramRequest: Encodable, Hashable, Sendable {
    /// One goal and its weight; the weights of a request sum to 10.
    public struct GoalWeight: Encodable, Hashable, Sendable {
        public var goal: Goal
        public var weight: Int
        public init(_ goal: Goal, _ weight: Int) {
            self.goal = goal
            self.weight = weight
        }
    }

    public var userId: Int64
    public var startDate: CalendarDate
    public var durationWeeks: Int
    public var goals: [GoalWeight]
    /// Training days per week (1-7), or the explicit `weekdays` (1 = Monday).
    public var daysPerWeek: Int?
    public var weekdays: [Int]?
    public var name: String?
    public var split: SplitTemplate?
    public var sessionMinutes: Int?
    /// Equipment names (the `equipment` table) available to the user.
    public var equipment: [String]?
    public var progressionStyle: ProgressionStyle?
    /// The same request and seed give the same plan.
    public var seed: Int64?
    public var timeLimitMs: Int?
    /// A deterministic search effort: the same request and node budget give the same plan on every
    /// device (then `timeLimitMs` is only a wall-clock cap).
    public var searchNodes: Int64?
    public var exact: Bool?

    public init(userId: Int64, startDate: CalendarDate, durationWeeks: Int, goals: [GoalWeight], daysPerWeek: Int? = nil,
                weekdays: [Int]? = nil, name: String? = nil, split: SplitTemplate? = nil, sessionMinutes: Int? = nil,
                equipment: [String]? = nil, progressionStyle: ProgressionStyle? = nil, seed: Int64? = nil,
                timeLimitMs: Int? = nil, searchNodes: Int64? = nil, exact: Bool? = nil) {
        self.userId = userId
        self.startDate = startDate
        self.durationWeeks = durationWeeks
        self.goals = goals
        self.daysPerWeek = daysPerWeek
        self.weekdays = weekdays
        self.name = name
        self.split = split
        self.sessionMinutes = sessionMinutes
        self.equipment = equipment
        self.progressionStyle = progressionStyle
        self.seed = seed
        self.timeLimitMs = timeLimitMs
        self.searchNodes = searchNodes
        self.exact = exact
    }

    enum CodingKeys: String, CodingKey {
        case userId = "user_id", startDate = "start_date", durationWeeks = "duration_weeks", goals
        case daysPerWeek = "days_per_week", weekdays, name, split, sessionMinutes = "session_minutes", equipment
        case progressionStyle = "progression_style", seed, timeLimitMs = "time_limit_ms", searchNodes = "search_nodes", exact
    }
}

/// A request for `replanProgram`.
struct ReplanRequest: Encodable {
    var programId: Int64
    var date: CalendarDate?
    var seed: Int64?
    var timeLimitMs: Int?
    var searchNodes: Int64?
    enum CodingKeys: String, CodingKey {
        case programId = "program_id", date, seed, timeLimitMs = "time_limit_ms", searchNodes = "search_nodes"
    }
}

extension GainslyDatabase {
    /// Plans and stores a program from a request given as JSON text; returns the report as JSON text.
    public func generateProgramJSON(_ requestJSON: String) throws -> String {
        try GainslyDatabase.checkNoNUL(requestJSON, "request")
        return try callReturningString { gs_program_generate($0, requestJSON, $1) }
    }

    /// Plans and stores a program in one transaction. `.infeasible` names the smallest conflicting
    /// constraint set.
    @discardableResult
    public func generateProgram(_ request: ProgramRequest) throws -> ProgramReport {
        try decode(ProgramReport.self, from: generateProgramJSON(encode(request, table: "request")), table: "report")
    }

    /// Re-plans the rest of the microcycle containing `date` (default: today) from the latest logs,
    /// soreness, readiness and missed sessions; the report lists the `replannedSessionIds`.
    @discardableResult
    public func replanProgram(id programId: Int64, date: CalendarDate? = nil, seed: Int64? = nil,
                              timeLimitMs: Int? = nil, searchNodes: Int64? = nil) throws -> ProgramReport {
        let request = try encode(ReplanRequest(programId: programId, date: date, seed: seed, timeLimitMs: timeLimitMs,
                                               searchNodes: searchNodes),
                                 table: "request")
        return try decode(ProgramReport.self, from: callReturningString { gs_program_replan($0, request, $1) }, table: "report")
    }

    /// Up to `maxResults` (1-100) ranked alternatives for a session_exercises row that keep every
    /// hard constraint, best first.
    public func listSubstitutes(sessionExerciseId: Int64, maxResults: Int32 = 10) throws -> SubstituteList {
        try decode(SubstituteList.self, from: callReturningString { gs_exercise_list_substitutes($0, sessionExerciseId, maxResults, $1) },
                   table: "substitutes")
    }

    /// Swaps `movementId` into a session_exercises row after checking every hard constraint
    /// (`.infeasible` with the reason otherwise); returns the description of the swap.
    @discardableResult
    public func substituteExercise(sessionExerciseId: Int64, movementId: Int64) throws -> Substitution {
        try decode(Substitution.self,
                   from: callReturningString { gs_exercise_substitute($0, sessionExerciseId, movementId, $1) },
                   table: "substitution")
    }

    /// The program as readable text, week by week.
    public func describeProgram(id programId: Int64) throws -> String {
        try callReturningString { gs_program_describe($0, programId, $1) }
    }
}
