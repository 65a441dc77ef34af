package app.gainsly

import org.json.JSONArray
import org.json.JSONObject
import java.time.LocalDate

/** One goal of a [ProgramRequest] and its weight; the weights of a request sum to 10. */
data class GoalWeight(val goal: String, val weight: Int)

/** A request for [Database.generateProgram]; null fields take the planner's defaults. */
data class ProgramRequest(
    val userId: Long,
    val startDate: LocalDate,
    val durationWeeks: Int,
    val goals: List<GoalWeight>,
    /** Training days per week (1-7), or the explicit [weekdays] (1 = Monday). */
    val daysPerWeek: Int? = null,
    val weekdays: List<Int>? = null,
    val name: String? = null,
    /** A [SplitTemplate] value. */
    val split: String? = null,
    val sessionMinutes: Int? = null,
    /** Equipment names (the `equipment` table) available to the user. */
    val equipment: List<String>? = null,
    /** A [ProgressionStyle] value. */
    val progressionStyle: String? = null,
    /** The same request and seed give the same plan. */
    val seed: Long? = null,
    val timeLimitMs: Int? = null,
    /** A deterministic search effort: the same request and budget plan the same program on every device. */
    val searchNodes: Long? = null,
    val exact: Boolean? = null
) {
    fun toJson(): JSONObject {
        val o = JSONObject()
        Json.put(o, "user_id", userId, false)
        Json.put(o, "start_date", startDate, false)
        Json.put(o, "duration_weeks", durationWeeks, false)
        val goalArray = JSONArray()
        for (g in goals) goalArray.put(JSONObject().put("goal", g.goal).put("weight", g.weight))
        o.put("goals", goalArray)
        Json.put(o, "days_per_week", daysPerWeek, false)
        if (weekdays != null) o.put("weekdays", JSONArray(weekdays))
        Json.put(o, "name", name, false)
        Json.put(o, "split", split, false)
        Json.put(o, "session_minutes", sessionMinutes, false)
        if (equipment != null) o.put("equipment", JSONArray(equipment))
        Json.put(o, "progression_style", progressionStyle, false)
        Json.put(o, "seed", seed, false)
        Json.put(o, "time_limit_ms", timeLimitMs, false)
        Json.put(o, "search_nodes", searchNodes, false)
        Json.put(o, "exact", exact, false)
        return o
    }
}
