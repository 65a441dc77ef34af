package app.gainsly

import org.json.JSONObject

// Typed reports of planning and sync (the same fields as Swift's report structs). Each keeps the
// whole document in `json`: fields gainsly.h adds later are readable there before a binding types
// them. Integers are read as Long, never through Double.

/** One hard constraint of a plan: whether it holds, how many things were checked, what broke. */
data class ConstraintCheck(val id: Long, val name: String, val ok: Boolean, val checked: Long, val violations: List<String>) {
    companion object {
        internal fun of(o: JSONObject) = ConstraintCheck(
            o.getLong("id"), o.getString("name"), o.getBoolean("ok"), o.optLong("checked", 0),
            o.optJSONArray("violations")?.let { a -> (0 until a.length()).map { a.getString(it) } } ?: emptyList())
    }
}

/** One coach rule in one week; [value] is the rule's own measure (a number, a list ... as org.json reads it). */
data class CoachCheck(val rule: Long, val week: Long, val ok: Boolean, val value: Any?, val yields: String?, val detail: String?)

/** One coach rule over the whole plan: in how many of the weeks it was checked it holds. */
data class CoachSummary(val rule: Long, val name: String, val weeks: Long, val okWeeks: Long, val yields: String?)

/** The coach's rules (1-8) checked on a new plan, per week: [ProgramReport.coach]. */
class CoachReport(val json: JSONObject) {
    val windowGoal: String? get() = Json.string(json, "window_goal")
    val rules: List<CoachCheck>
        get() = json.optJSONArray("rules")?.let { a ->
            Json.objects(a).map {
                CoachCheck(it.optLong("rule"), it.optLong("week"), it.optBoolean("ok"), if (it.isNull("value")) null else it.get("value"),
                           Json.string(it, "yields"), Json.string(it, "detail"))
            }
        } ?: emptyList()
    val summary: List<CoachSummary>
        get() = json.optJSONArray("summary")?.let { a ->
            Json.objects(a).map {
                CoachSummary(it.optLong("rule"), it.optString("name"), it.optLong("weeks"), it.optLong("ok_weeks"), Json.string(it, "yields"))
            }
        } ?: emptyList()

    override fun toString(): String = json.toString()
}

/**
 * The report of [Database.generateProgram] and [Database.replanProgram] (the program planned or
 * re-planned); [sessionIdsByWeek] is empty for a re-plan and [replannedSessionIds] for a new plan.
 */
class ProgramReport(val json: JSONObject) {
    val programId: Long? get() = Json.long(json, "program_id")
    /** The planner's objective (higher is better). */
    val objective: Double get() = json.optJSONObject("objective")?.optDouble("value", 0.0) ?: 0.0
    val hardConstraints: List<ConstraintCheck>
        get() = json.optJSONArray("hard_constraints")?.let { Json.objects(it).map(ConstraintCheck.Companion::of) } ?: emptyList()
    /** Whether the search proved the plan optimal (false when it stopped at the time limit). */
    val provenOptimal: Boolean get() = json.optBoolean("proven_optimal", false)
    val timeLimitHit: Boolean get() = json.optBoolean("time_limit_hit", false)
    val seed: Long? get() = Json.long(json, "seed")
    val solveMs: Double get() = json.optDouble("solve_ms", 0.0)
    val totalMs: Double get() = json.optDouble("total_ms", 0.0)
    /** The sessions of each planned week, in order (a new plan). */
    val sessionIdsByWeek: List<List<Long>>
        get() = json.optJSONArray("microcycles")?.let { weeks ->
            Json.objects(weeks).map { w -> Json.longs(w.getJSONArray("session_ids")) }
        } ?: emptyList()
    val replannedSessionIds: List<Long> get() = json.optJSONArray("replanned_session_ids")?.let { Json.longs(it) } ?: emptyList()
    /** The coach's rules checked on a new plan (null for a re-plan). */
    val coach: CoachReport? get() = json.optJSONObject("coach")?.let { CoachReport(it) }

    override fun toString(): String = json.toString()
}

/** A pushed change the server refused because its own state won (also counted in `conflicts`). */
data class RejectedChange(val table: String, val uid: String, val reason: String)

/** The report of [Database.sync]. */
class SyncReport(val json: JSONObject) {
    val pushed: Long get() = json.optLong("pushed", 0)
    val pulled: Long get() = json.optLong("pulled", 0)
    val conflicts: Long get() = json.optLong("conflicts", 0)
    val deleted: Long get() = json.optLong("deleted", 0)
    val parked: Long get() = json.optLong("parked", 0)
    /** The first 100 rejected changes. */
    val rejected: List<RejectedChange>
        get() = json.optJSONArray("rejected")?.let { a ->
            Json.objects(a).map { RejectedChange(it.optString("table"), it.optString("uid"), it.optString("reason")) }
        } ?: emptyList()
    val batches: Long get() = json.optLong("batches", 0)
    val pages: Long get() = json.optLong("pages", 0)
    /** Changes still waiting to be pushed after the sync. */
    val outbox: Long get() = json.optLong("outbox", 0)
    val cursor: Long get() = json.optLong("cursor", 0)
    val durationMs: Long get() = json.optLong("duration_ms", 0)
    val resynced: Boolean get() = json.optBoolean("resynced", false)
    val initialPullComplete: Boolean get() = json.optBoolean("initial_pull_complete", false)

    override fun toString(): String = json.toString()
}

/** The report of [Database.syncImport] (one pulled page). */
class SyncPageReport(val json: JSONObject) {
    val applied: Long get() = json.optLong("applied", 0)
    val deleted: Long get() = json.optLong("deleted", 0)
    val conflicts: Long get() = json.optLong("conflicts", 0)
    val parked: Long get() = json.optLong("parked", 0)
    /** Whether another page is waiting: ask again. */
    val more: Boolean get() = json.optBoolean("more", false)
    val cursor: Long get() = json.optLong("cursor", 0)

    override fun toString(): String = json.toString()
}

/** The sync state of a file ([Database.syncStatus]); nothing is read from the server. */
class SyncStatus(val json: JSONObject) {
    /** The uid of this device (made when the file is opened for the first time) and of the account it syncs as (null before the first sync). */
    val device: String? get() = Json.string(json, "device")
    val user: String? get() = Json.string(json, "user")
    /** Changes not yet pushed. */
    val outbox: Long get() = json.optLong("outbox", 0)
    /** Whether a pushed batch awaits its acknowledgement. */
    val inflight: Boolean get() = json.optBoolean("inflight", false)
    /** Pulled rows waiting for a parent. */
    val parked: Long get() = json.optLong("parked", 0)
    val cursor: Long get() = json.optLong("cursor", 0)
    val initialPullComplete: Boolean get() = json.optBoolean("initial_pull_complete", false)
    val lastPushAt: java.time.Instant? get() = Json.instant(json, "last_push_at")
    val lastPullAt: java.time.Instant? get() = Json.instant(json, "last_pull_at")
    /** The message of the last failed sync, or null. */
    val lastError: String? get() = Json.string(json, "last_error")?.takeIf { it.isNotEmpty() }

    override fun toString(): String = json.toString()
}

/** One ranked alternative of [Database.listSubstitutes]. */
data class Substitute(val movementId: Long, val name: String, val score: Double, val relationship: String?, val reasons: List<String>) {
    companion object {
        internal fun of(o: JSONObject) = Substitute(
            o.getLong("movement_id"), o.getString("name"), o.optDouble("score", 0.0), Json.string(o, "relationship"),
            o.optJSONArray("reasons")?.let { a -> (0 until a.length()).map { a.getString(it) } } ?: emptyList())
    }
}

/** The alternatives for one session_exercises row ([Database.listSubstitutes]), best first. */
class SubstituteList(val json: JSONObject) {
    val sessionExerciseId: Long get() = json.optLong("session_exercise_id", 0)
    val sessionId: Long get() = json.optLong("session_id", 0)
    /** The movement the row holds now. */
    val movementId: Long get() = json.optLong("movement_id", 0)
    val name: String get() = json.optString("name", "")
    val substitutes: List<Substitute>
        get() = json.optJSONArray("substitutes")?.let { Json.objects(it).map(Substitute.Companion::of) } ?: emptyList()
    /** Why there is no alternative at all (e.g. a rule that requires this movement), or null. */
    val blockedBy: String? get() = Json.string(json, "blocked_by")

    override fun toString(): String = json.toString()
}

/** A swap made by [Database.substituteExercise]. */
class Substitution(val json: JSONObject) {
    val sessionExerciseId: Long get() = json.optLong("session_exercise_id", 0)
    val sessionId: Long get() = json.optLong("session_id", 0)
    /** The movement the row holds now, and the name of the one it replaced. */
    val movementId: Long get() = json.optLong("movement_id", 0)
    val name: String get() = json.optString("name", "")
    val replaced: String get() = json.optString("replaced", "")

    override fun toString(): String = json.toString()
}

/** One set of a [WorkoutReport]; [e1rm] with the user's formula, null without a load. */
data class SetReport @JvmOverloads constructor(val id: Long, val movementId: Long, val setNumber: Int, val reps: Int, val loadKg: Double?,
                                               val rpe: Double?, val e1rm: Double?, val setType: String? = null,
                                               val records: List<PersonalBest> = emptyList())

/** The report of [Database.logWorkout] (Swift: `WorkoutReport`). */
class WorkoutReport(val json: JSONObject) {
    val workoutLogId: Long get() = json.getLong("workout_log_id")
    val workoutDate: java.time.LocalDate get() = java.time.LocalDate.parse(json.getString("workout_date"))
    /** An [E1rmFormula] value. */
    val e1rmFormula: String get() = json.optString("e1rm_formula", "")
    val sets: List<SetReport>
        get() = json.optJSONArray("sets")?.let { a ->
            Json.objects(a).map { s ->
                SetReport(s.getLong("id"), s.getLong("movement_id"), s.getInt("set_number"), s.getInt("reps"),
                          Json.double(s, "load_kg"), Json.double(s, "rpe"), Json.double(s, "e1rm"),
                          if (s.isNull("set_type")) null else s.getString("set_type"), PersonalBest.list(s.optJSONArray("records")))
            }
        } ?: emptyList()
    /** Every personal record the workout set, session volume included. */
    val records: List<PersonalBest> get() = PersonalBest.list(json.optJSONArray("records"))
    /** The movement patterns the workout trained. */
    val patterns: List<String> get() = json.optJSONArray("patterns")?.let { a -> (0 until a.length()).map { a.getString(it) } } ?: emptyList()
    /** The state of the workout's day after it. */
    val state: DayState get() = DayState(json.getJSONObject("state"))

    override fun toString(): String = json.toString()
}
