package app.gainsly

import org.json.JSONArray
import org.json.JSONObject
import java.time.LocalDate

/** The e1RM formulas of the C ABI (GS_E1RM_* in gainsly.h); [code] is the C value. */
enum class OneRepMaxFormula(val code: Int) {
    EPLEY(0),
    BRZYCKI(1),
    LOMBARDI(2),
    OCONNER(3),
    MAYHEW(4),
    WATHAN(5),
    LANDER(6);

    companion object {
        /** The formula named by a user_settings.active_e1rm_formula value ([E1rmFormula]), or null. */
        @JvmStatic
        fun ofSetting(name: String?): OneRepMaxFormula? = values().firstOrNull { it.name.equals(name, ignoreCase = true) }
    }
}

/**
 * Training math without a database: e1RM and the RTS RPE chart, with the library's shipped
 * defaults. Thread-safe. Bad input throws [GainslyException] INVALID naming the argument.
 */
object TrainingMath {
    /**
     * Estimated one-rep max of [load] lifted for [reps] (1-30); [rpe] null (or <= 0) means not
     * given, otherwise (1-10) the effective reps are reps + (10 - rpe).
     */
    @JvmStatic
    @JvmOverloads
    fun e1rm(load: Double, reps: Int, rpe: Double? = null, formula: OneRepMaxFormula = OneRepMaxFormula.EPLEY): Double =
        Native.e1rm(formula.code, load, reps, rpe ?: 0.0)

    /** %1RM (0-100) for [reps] (1-12) at [rpe] (6-10) from the RPE chart. */
    @JvmStatic
    fun rpePercent(reps: Int, rpe: Double): Double = Native.rpePercent(reps, rpe)

    /** The e1RM implied by [load] lifted for [reps] at [rpe] through the RPE chart. */
    @JvmStatic
    fun rpeE1rm(load: Double, reps: Int, rpe: Double): Double = Native.rpeE1rm(load, reps, rpe)

    /** The load for [reps] at [rpe] from an [e1rm], rounded to a multiple of [increment] (e.g. 2.5 kg). */
    @JvmStatic
    fun rpeLoad(e1rm: Double, reps: Int, rpe: Double, increment: Double): Double = Native.rpeLoad(e1rm, reps, rpe, increment)
}

/** One top set of [Database.logWorkout]; null fields are not given. */
data class SetEntry @JvmOverloads constructor(
    val movementId: Long,
    /** 1-30. */
    val reps: Int,
    /** Kilograms, >= 0 (0: body weight); null: none. */
    val loadKg: Double? = null,
    /** 1-10; null: not given. */
    val rpe: Double? = null,
    /** null: the next number of that movement in the workout. */
    val setNumber: Int? = null,
    /** Mean concentric velocity, m/s. */
    val velocity: Double? = null,
    val notes: String? = null,
    /** A [SetType] value; null: a working set. Warm-ups never set personal records. */
    val setType: String? = null
) {
    fun toJson(): JSONObject {
        val o = JSONObject()
        Json.put(o, "movement_id", movementId, false)
        Json.put(o, "reps", reps, false)
        Json.put(o, "load_kg", loadKg, false)
        Json.put(o, "rpe", rpe, false)
        Json.put(o, "set_number", setNumber, false)
        Json.put(o, "velocity", velocity, false)
        Json.put(o, "notes", notes, false)
        Json.put(o, "set_type", setType, false)
        return o
    }
}

/** A set logged by [Database.logSet]: its top_set_logs key, its e1RM with the user's formula and the records it set. */
data class LoggedSet @JvmOverloads constructor(val id: Long, val e1rm: Double, val records: List<PersonalBest> = emptyList())

/**
 * A personal record ([Database.personalRecords]; also in the reports of logWorkout and logSet).
 * [recordType] is a [PrType] value; [value] is the e1RM (kg) for e1rm, the reps at [loadKg] for
 * reps_at_load, the load for [reps] for load_at_reps, the session's sum of load x reps for
 * session_volume. [previousValue]: the best it beat (null: the first). [movement] and [current] (not
 * beaten since) come with [Database.personalRecords] only.
 */
data class PersonalBest(val id: Long, val movementId: Long, val movement: String?, val recordType: String, val value: Double,
                        val reps: Int?, val loadKg: Double?, val previousValue: Double?, val achievedDate: java.time.LocalDate,
                        val topSetLogId: Long?, val workoutLogId: Long?, val current: Boolean) {
    companion object {
        fun of(o: JSONObject): PersonalBest =
            PersonalBest(o.getLong("id"), o.getLong("movement_id"), if (o.isNull("movement")) null else o.getString("movement"),
                         o.getString("record_type"), o.getDouble("value"), Json.long(o, "reps")?.toInt(), Json.double(o, "load_kg"),
                         Json.double(o, "previous_value"), java.time.LocalDate.parse(o.getString("achieved_date")),
                         Json.long(o, "top_set_log_id"), Json.long(o, "workout_log_id"), o.optBoolean("current", false))

        fun list(a: JSONArray?): List<PersonalBest> = if (a == null) emptyList() else Json.objects(a).map { of(it) }
    }
}

/**
 * A day's fatigue and readiness ([Database.dayState]); [json] is the whole document (gs_day_state_get
 * in gainsly.h), the properties are its main figures (0-100).
 */
class DayState(val json: JSONObject) {
    val userId: Long get() = json.getLong("user_id")
    val date: LocalDate get() = LocalDate.parse(json.getString("date"))
    /** Readiness to train today (0-100). */
    val readiness: Double get() = json.getJSONObject("readiness").getDouble("score")
    val systemicFatigue: Double get() = json.getDouble("systemic_fatigue")
    val recoveryScore: Double get() = json.getDouble("recovery_score")
    /** Fatigue of each muscle that has any (0-100). */
    val muscleFatigue: Map<String, Double>
        get() {
            val o = json.getJSONObject("muscle_fatigue")
            return o.keys().asSequence().associateWith { o.getDouble(it) }
        }

    override fun toString(): String = json.toString()
}

/** The workout_logs columns of [workout] (nulls and library-set keys left out) plus its sets. */
internal fun workoutJson(workout: WorkoutLog, sets: List<SetEntry>): JSONObject {
    val o = workout.toJson(false)
    for (k in listOf("id", "created_at", "updated_at")) o.remove(k)
    val array = JSONArray()
    for (s in sets) array.put(s.toJson())
    o.put("sets", array)
    return o
}
