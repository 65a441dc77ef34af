package app.gainsly

import org.json.JSONObject

/** The CSV formats of [Database.importHistory] (GS_HISTORY_* in gainsly.h). */
enum class HistoryFormat(val code: Int) {
    /** Strong's export: Date, Workout Name, Duration, Exercise Name, Set Order, Weight, Reps, ... (`,` or `;`). */
    STRONG(0),
    /** Hevy's export: title, start_time, end_time, ..., exercise_title, set_type, weight_kg or weight_lbs, reps, ... */
    HEVY(1)
}

/** Progress of [Database.importHistory]: {"phase", "done", "total"} as JSON text; return false to cancel. */
interface HistoryProgress {
    fun onProgress(progressJson: String): Boolean
}

/** What [Database.importHistory] did (the library's report, typed; [json] keeps the whole document). */
class HistoryImportReport(val json: JSONObject) {
    data class Count(val imported: Int, val existing: Int)
    /** How one exercise name of the file was matched: "mapping", "exact", "alias", "fuzzy", "none" or "skipped". */
    data class Name(val name: String, val match: String, val movementId: Long?, val movement: String?, val score: Double, val sets: Int)
    data class Suggestion(val movementId: Long, val movement: String, val score: Double)
    /** A name matched to no movement: its sets were not imported (map it and run the import again). */
    data class Unmatched(val name: String, val sets: Int, val firstLine: Int, val suggestion: Suggestion?)
    data class LineError(val line: Int, val message: String)
    data class Skipped(val line: Int, val reason: String)

    val format: String get() = json.getString("format")
    val delimiter: String get() = json.getString("delimiter")
    val records: Int get() = json.getInt("records")
    val workouts: Count get() = count("workouts")
    val sets: Count get() = count("sets")
    val restTimerRows: Int get() = json.getInt("rest_timer_rows")
    val names: List<Name> get() = Json.objects(json.getJSONArray("names")).map(::name)
    val fuzzy: List<Name> get() = Json.objects(json.getJSONArray("fuzzy")).map(::name)
    val unmatched: List<Unmatched>
        get() = Json.objects(json.getJSONArray("unmatched")).map { u ->
            val s = u.optJSONObject("suggestion")
            Unmatched(u.getString("name"), u.getInt("sets"), u.getInt("first_line"),
                      s?.let { Suggestion(it.getLong("movement_id"), it.getString("movement"), it.getDouble("score")) })
        }
    val skipped: List<Skipped> get() = Json.objects(json.getJSONArray("skipped")).map { Skipped(it.getInt("line"), it.getString("reason")) }
    val errors: List<LineError> get() = Json.objects(json.getJSONArray("errors")).map { LineError(it.getInt("line"), it.getString("message")) }
    /** The first and last day whose state was recomputed; null when nothing was imported. */
    val recomputed: Pair<java.time.LocalDate, java.time.LocalDate>?
        get() = json.optJSONObject("recomputed")?.let { Pair(Json.requiredDate(it, "from"), Json.requiredDate(it, "to")) }

    private fun count(key: String) = json.getJSONObject(key).let { Count(it.getInt("imported"), it.getInt("existing")) }
    private fun name(o: JSONObject) =
        Name(o.getString("name"), o.getString("match"), Json.long(o, "movement_id"), Json.string(o, "movement"), o.getDouble("score"), o.getInt("sets"))

    override fun toString(): String = json.toString()
}
