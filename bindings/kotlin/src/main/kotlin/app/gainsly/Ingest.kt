package app.gainsly

import org.json.JSONArray
import org.json.JSONObject
import java.time.Instant
import java.time.LocalDate

// Ingestion of provider payloads, activities outside the gym, provider tokens and the adaptation of a
// program to the lifter's state (gs_ingest_run, gs_activity_*, gs_provider_tokens_*, gs_program_adapt
// in gainsly.h; src/ingest/README.md, src/plan/README.md). Each report keeps its whole document in `json`.

private fun strings(a: JSONArray?): List<String> = if (a == null) emptyList() else (0 until a.length()).map { a.getString(it) }
private fun longs(a: JSONArray?): List<Long> = if (a == null) emptyList() else Json.longs(a)

/** What an ingestion run covers (GS_INGEST_*; [code] is the C value). */
enum class IngestRunType(val code: Int) {
    /** The records since the last run. */
    INCREMENTAL(0),
    /** Everything the provider holds for the account. */
    FULL(1),
    /** An older range, filled in after linking. */
    BACKFILL(2)
}

/** One record of a payload that was refused (it failed alone; the others were stored). */
data class IngestError(val record: String, val message: String)

/**
 * The report of [Database.ingest]: how many records the payload held and what became of each
 * (inserted, updated, unchanged, failed), the recovery_signals and activity_instances rows derived.
 * [status] is "succeeded", "partial" (some records refused) or "failed" (all refused).
 */
class IngestReport(val json: JSONObject) {
    val runId: Long get() = json.getLong("run_id")
    val status: String get() = json.getString("status")
    val provider: String get() = json.getString("provider")
    val records: Long get() = json.getLong("records")
    val inserted: Long get() = json.getLong("inserted")
    val updated: Long get() = json.getLong("updated")
    val unchanged: Long get() = json.getLong("unchanged")
    val failed: Long get() = json.getLong("failed")
    val errors: List<IngestError>
        get() = json.optJSONArray("errors")?.let { a ->
            Json.objects(a).map { IngestError(it.optString("record"), it.optString("message")) }
        } ?: emptyList()
    /** recovery_signals ids written or rewritten. */
    val signals: List<Long> get() = longs(json.optJSONArray("signals"))
    /** activity_instances ids derived from the payload's workouts. */
    val activities: List<Long> get() = longs(json.optJSONArray("activities"))
    /** Duplicates across providers linked by this run. */
    val linked: Long get() = json.optLong("linked", 0)
    val skipped: List<String> get() = strings(json.optJSONArray("skipped"))

    override fun toString(): String = json.toString()
}

/** An ingested activity ([Database.activities]): duplicates across providers are listed once. */
data class IngestedActivity(val instanceId: Long, val activityDefinitionId: Long?, val name: String?, val provider: String?,
                            val startedAt: Instant, val completedAt: Instant, val durationSeconds: Long, val intensity: Double?) {
    companion object {
        internal fun of(o: JSONObject) = IngestedActivity(
            o.getLong("instance_id"), Json.long(o, "activity_definition_id"), Json.string(o, "name"), Json.string(o, "provider"),
            Instant.parse(o.getString("started_at")), Instant.parse(o.getString("completed_at")), o.getLong("duration_seconds"),
            Json.double(o, "intensity"))
    }
}

/**
 * An activity done outside the gym, for [Database.logActivity]: [activity] is an [EnjoyableActivity]
 * value ("cycling") or an activity_definitions name; [durationMinutes] 0 < x <= 1440; [intensity]
 * 0..10 (null: the definition's default); [sessionId] a session of the user on that date (null: a
 * cardio session without a program is created).
 */
data class ActivityEntry @JvmOverloads constructor(
    val userId: Long,
    val date: LocalDate,
    val activity: String,
    val durationMinutes: Double,
    val intensity: Double? = null,
    val sessionId: Long? = null,
    val notes: String? = null
) {
    fun toJson(): JSONObject {
        val o = JSONObject()
        Json.put(o, "user_id", userId, false)
        Json.put(o, "date", date, false)
        Json.put(o, "activity", activity, false)
        Json.put(o, "duration_minutes", durationMinutes, false)
        Json.put(o, "intensity", intensity, false)
        Json.put(o, "session_id", sessionId, false)
        Json.put(o, "notes", notes, false)
        return o
    }
}

/** What [Database.logActivity] wrote, and the day's state after it. */
class ActivityReport(val json: JSONObject) {
    val activityInstanceId: Long get() = json.getLong("activity_instance_id")
    val sessionId: Long? get() = Json.long(json, "session_id")
    val date: LocalDate get() = LocalDate.parse(json.getString("date"))
    val activity: String get() = json.getString("activity")
    val state: DayState get() = DayState(json.getJSONObject("state"))

    override fun toString(): String = json.toString()
}

/**
 * A provider account whose tokens need refreshing ([Database.providerTokensDue]): [tokenExpiresAt]
 * null with [hasRefreshToken] means no expiry is known.
 */
data class ProviderAccountDue(val id: Long, val userId: Long?, val providerType: String?, val tokenExpiresAt: String?,
                              val expired: Boolean, val hasRefreshToken: Boolean) {
    companion object {
        internal fun of(o: JSONObject) = ProviderAccountDue(
            o.getLong("id"), Json.long(o, "user_id"), Json.string(o, "provider_type"), Json.string(o, "token_expires_at"),
            o.optBoolean("expired", false), o.optBoolean("has_refresh_token", false))
    }
}

/** A prescription before and after an adaptation (null: none). */
data class FromTo(val from: Double?, val to: Double?) {
    companion object {
        internal fun of(o: JSONObject?) = if (o == null) FromTo(null, null) else FromTo(Json.double(o, "from"), Json.double(o, "to"))
    }
}

/**
 * One exercise [Database.adaptProgram] changed: [action] "lighter", "swapped" (a heavy main lift replaced
 * by a lower-demand one of its pattern; the JSON's "replaced" names it) or "restored", its working sets
 * and targets before and after, and why ([reasons], e.g. "readiness 44/100").
 */
class AdaptChange(val json: JSONObject) {
    val sessionId: Long get() = json.getLong("session_id")
    val sessionExerciseId: Long get() = json.getLong("session_exercise_id")
    val movementId: Long get() = json.getLong("movement_id")
    val movement: String? get() = Json.string(json, "movement")
    val role: String get() = json.getString("role")
    val action: String get() = json.getString("action")
    val sets: FromTo get() = FromTo.of(json.optJSONObject("sets"))
    val targetRpe: FromTo get() = FromTo.of(json.optJSONObject("target_rpe"))
    val targetRir: FromTo get() = FromTo.of(json.optJSONObject("target_rir"))
    val reasons: List<String> get() = strings(json.optJSONArray("reasons"))

    override fun toString(): String = json.toString()
}

/** One session [Database.adaptProgram] looked at, and whether it changed. */
data class AdaptedSession(val sessionId: Long, val date: LocalDate, val changed: Boolean)

/** The report of [Database.adaptProgram]: the day's readiness, the sessions looked at, every change. */
class AdaptReport(val json: JSONObject) {
    val programId: Long get() = json.getLong("program_id")
    val userId: Long get() = json.getLong("user_id")
    val date: LocalDate get() = LocalDate.parse(json.getString("date"))
    val readiness: Double? get() = json.optJSONObject("readiness")?.let { Json.double(it, "score") }
    /** Readiness below the plan's red line. */
    val red: Boolean get() = json.optJSONObject("readiness")?.optBoolean("red", false) ?: false
    val sessions: List<AdaptedSession>
        get() = json.optJSONArray("sessions")?.let { a ->
            Json.objects(a).map { AdaptedSession(it.getLong("session_id"), LocalDate.parse(it.getString("date")), it.optBoolean("changed")) }
        } ?: emptyList()
    val keptSessionIds: List<Long> get() = longs(json.optJSONArray("kept_session_ids"))
    val changes: List<AdaptChange> get() = json.optJSONArray("changes")?.let { a -> Json.objects(a).map { AdaptChange(it) } } ?: emptyList()

    override fun toString(): String = json.toString()
}
