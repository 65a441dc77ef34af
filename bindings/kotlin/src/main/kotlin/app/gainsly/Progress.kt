package app.gainsly

import org.json.JSONArray
import org.json.JSONObject
import java.time.LocalDate

// Progress (gs_progress_get, gs_goal_list, gs_goal_checkin, gs_summary_get in gainsly.h): typed views
// over the documents; [json] keeps each whole. Definitions: src/progress/progress.hpp.

private fun JSONObject.optDoubleOrNull(key: String): Double? = if (isNull(key)) null else getDouble(key)
private fun JSONObject.optLongOrNull(key: String): Long? = if (isNull(key)) null else getLong(key)
private fun JSONObject.optStringOrNull(key: String): String? = if (isNull(key)) null else getString(key)
private fun JSONObject.optDateOrNull(key: String): LocalDate? = if (isNull(key)) null else LocalDate.parse(getString(key))
private fun <T> JSONArray.mapObjects(f: (JSONObject) -> T): List<T> = (0 until length()).map { f(getJSONObject(it)) }

/** One movement's e1RM history and its Theil-Sen trend (kg per week). */
class MovementTrend(val json: JSONObject) {
    val movementId: Long get() = json.getLong("movement_id")
    val name: String get() = json.getString("name")
    val history: List<Pair<LocalDate, Double>>
        get() = json.getJSONArray("history").mapObjects { LocalDate.parse(it.getString("date")) to it.getDouble("e1rm") }
    val latest: Double get() = json.getDouble("latest")
    val best: Double get() = json.getDouble("best")
    val slopePerWeek: Double? get() = json.optDoubleOrNull("slope_per_week")
    val change4w: Double? get() = json.optDoubleOrNull("change_4w")
    val change12w: Double? get() = json.optDoubleOrNull("change_12w")
}

/** Sets and tonnage of a muscle group in a week against its window ("below", "within", "above"). */
class GroupVolume(val json: JSONObject) {
    val sets: Double get() = json.getDouble("sets")
    val tonnage: Double get() = json.getDouble("tonnage")
    val window: Pair<Double, Double>? get() = if (json.isNull("window")) null else json.getJSONArray("window").let { it.getDouble(0) to it.getDouble(1) }
    val status: String? get() = json.optStringOrNull("status")
}

private fun groups(o: JSONObject): Map<String, GroupVolume> = o.keys().asSequence().associateWith { GroupVolume(o.getJSONObject(it)) }

/** One day of training load: ACWR with its zone, monotony, strain, Banister fitness/fatigue/performance. */
class LoadDay(val json: JSONObject) {
    val date: LocalDate get() = LocalDate.parse(json.getString("date"))
    val load: Double get() = json.getDouble("load")
    val acwr: Double? get() = json.optDoubleOrNull("acwr")
    val acwrBand: String get() = json.getString("acwr_band")
    val monotony: Double get() = json.getDouble("monotony")
    val strain: Double get() = json.getDouble("strain")
    val performance: Double get() = json.getDouble("performance")
}

/** The progress screen's document ([Database.progress]). */
class ProgressReport(val json: JSONObject) {
    val userId: Long get() = json.getLong("user_id")
    val from: LocalDate get() = LocalDate.parse(json.getString("from"))
    val to: LocalDate get() = LocalDate.parse(json.getString("to"))
    val movements: List<MovementTrend> get() = json.getJSONArray("movements").mapObjects { MovementTrend(it) }
    val patterns: List<JSONObject> get() = json.getJSONArray("patterns").mapObjects { it }
    val windowGoal: String get() = json.getJSONObject("volume").getString("window_goal")
    /** Week start -> muscle group -> volume. */
    val volumeWeeks: List<Pair<LocalDate, Map<String, GroupVolume>>>
        get() = json.getJSONObject("volume").getJSONArray("weeks").mapObjects { LocalDate.parse(it.getString("week_start")) to groups(it.getJSONObject("groups")) }
    val loadDays: List<LoadDay> get() = json.getJSONObject("load").getJSONArray("days").mapObjects { LoadDay(it) }
    override fun toString(): String = json.toString()
}

/** A goal with its metric, current value, trend and projection ([Database.goals]; a check-in adds its row). */
class GoalProgress(val json: JSONObject) {
    val key: String get() = json.getString("key")
    val goal: String get() = json.getString("goal")
    val programGoalId: Long? get() = json.optLongOrNull("program_goal_id")
    val metric: String? get() = json.optStringOrNull("metric")
    val current: Double? get() = json.optDoubleOrNull("current")
    val trendPerWeek: Double? get() = json.optDoubleOrNull("trend_per_week")
    val target: Double? get() = json.optDoubleOrNull("target")
    /** "achieved", "on_track", "not_at_this_rate", "no_target", "no_data" or "unmeasured". */
    val status: String get() = json.getString("status")
    val projectedDate: LocalDate? get() = json.optDateOrNull("projected_date")
    val achieved: Boolean get() = json.getBoolean("achieved")
    val achievedAt: LocalDate? get() = json.optDateOrNull("achieved_at")
    /** The goal_checkins row (check-ins only). */
    val checkinId: Long? get() = if (json.has("checkin_id")) json.getLong("checkin_id") else null
    /** False when a check-in updated the week's row (check-ins only). */
    val created: Boolean? get() = if (json.has("created")) json.getBoolean("created") else null
    override fun toString(): String = json.toString()
}

/** What [Database.checkInGoals] wrote. */
class GoalCheckinReport(val json: JSONObject) {
    val weekStart: LocalDate get() = LocalDate.parse(json.getString("week_start"))
    val goals: List<GoalProgress> get() = json.getJSONArray("goals").mapObjects { GoalProgress(it) }
}

/** The week as data and as text ([Database.weeklySummary]). */
class WeeklySummary(val json: JSONObject) {
    val weekStart: LocalDate get() = LocalDate.parse(json.getString("week_start"))
    val weekEnd: LocalDate get() = LocalDate.parse(json.getString("week_end"))
    val personaTone: String get() = json.getString("persona_tone")
    val sessionsPlanned: Int get() = json.getJSONObject("sessions").getInt("planned")
    val sessionsDone: Int get() = json.getJSONObject("sessions").getInt("done")
    val sessionsUnplanned: Int get() = json.getJSONObject("sessions").getInt("unplanned")
    val volume: Map<String, GroupVolume> get() = groups(json.getJSONObject("volume").getJSONObject("groups"))
    /** The week's personal_records rows (with "movement"). */
    val prs: List<JSONObject> get() = json.getJSONArray("prs").mapObjects { it }
    val readinessTrend: String get() = json.getJSONObject("readiness").getString("readiness_trend")
    val fatigueTrend: String get() = json.getJSONObject("readiness").getString("fatigue_trend")
    val goals: List<GoalProgress> get() = json.getJSONArray("goals").mapObjects { GoalProgress(it) }
    /** The summary in the user's persona tone. */
    val text: String get() = json.getString("text")
    override fun toString(): String = json.toString()
}
