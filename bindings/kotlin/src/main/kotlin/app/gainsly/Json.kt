package app.gainsly

import org.json.JSONArray
import org.json.JSONException
import org.json.JSONObject
import org.json.JSONTokener
import java.time.Instant
import java.time.LocalDate

/**
 * JSON helpers over org.json (built into Android; on the JVM, Debian's libandroid-json-java):
 * typed column readers and writers for the generated records, and parsing of library output.
 */
internal object Json {
    // --- readers: a missing key and JSON null both read as null ---
    fun long(o: JSONObject, k: String): Long? = if (o.isNull(k)) null else o.getLong(k)
    fun double(o: JSONObject, k: String): Double? = if (o.isNull(k)) null else o.getDouble(k)
    fun string(o: JSONObject, k: String): String? = if (o.isNull(k)) null else o.getString(k)
    fun bool(o: JSONObject, k: String): Boolean? = if (o.isNull(k)) null else o.getBoolean(k)
    fun date(o: JSONObject, k: String): LocalDate? = if (o.isNull(k)) null else LocalDate.parse(o.getString(k))
    fun instant(o: JSONObject, k: String): Instant? = if (o.isNull(k)) null else Instant.parse(o.getString(k))
    fun jsonText(o: JSONObject, k: String): String? = if (o.isNull(k)) null else text(o.get(k))

    fun requiredLong(o: JSONObject, k: String): Long = long(o, k) ?: throw missing(k)
    fun requiredDouble(o: JSONObject, k: String): Double = double(o, k) ?: throw missing(k)
    fun requiredString(o: JSONObject, k: String): String = string(o, k) ?: throw missing(k)
    fun requiredBool(o: JSONObject, k: String): Boolean = bool(o, k) ?: throw missing(k)
    fun requiredDate(o: JSONObject, k: String): LocalDate = date(o, k) ?: throw missing(k)
    fun requiredInstant(o: JSONObject, k: String): Instant = instant(o, k) ?: throw missing(k)
    fun requiredJsonText(o: JSONObject, k: String): String = jsonText(o, k) ?: throw missing(k)

    private fun missing(k: String) = JSONException("$k: missing or null")

    // --- writers ---
    /** Puts a column value; null is written as JSON null only when [includeNulls]. */
    fun put(o: JSONObject, k: String, v: Any?, includeNulls: Boolean) {
        try {
            when (v) {
                null -> if (includeNulls) o.put(k, JSONObject.NULL)
                is Instant, is LocalDate -> o.put(k, v.toString())
                is Int -> o.put(k, v.toLong())
                is Float -> o.put(k, v.toDouble())
                is String, is Number, is Boolean, is JSONObject, is JSONArray -> o.put(k, v)
                is Map<*, *>, is Collection<*>, is Array<*> -> o.put(k, JSONObject.wrap(v) ?: unsupported(k, v))
                else -> unsupported(k, v)
            }
        } catch (e: JSONException) {
            throw GainslyException(GainslyException.INVALID, "$k: ${e.message}")
        }
    }

    /** Puts a `json` column given as JSON text (parsed, so it is embedded as a value). */
    fun putJsonText(o: JSONObject, k: String, text: String?, includeNulls: Boolean) {
        if (text == null) {
            if (includeNulls) o.put(k, JSONObject.NULL)
        } else {
            o.put(k, parseValue(text, k))
        }
    }

    private fun unsupported(k: String, v: Any): Nothing =
        throw GainslyException(GainslyException.INVALID, "$k: unsupported value type ${v.javaClass.name}")

    /** A JSON object of column values: null becomes JSON null. */
    fun objectOf(values: Map<String, Any?>): JSONObject {
        val o = JSONObject()
        for ((k, v) in values) put(o, k, v, true)
        return o
    }

    /** The JSON text of an org.json value (strings quoted). */
    fun text(v: Any?): String = when (v) {
        null, JSONObject.NULL -> "null"
        is String -> JSONObject.quote(v)
        is Number -> JSONObject.numberToString(v)
        else -> v.toString()
    }

    /** Parses one JSON value (object, array, string, number, true, false, null), nothing after it. */
    fun parseValue(text: String, what: String): Any {
        try {
            val tokener = JSONTokener(text)
            val value = tokener.nextValue()
            if (tokener.nextClean() != '\u0000') throw JSONException("trailing characters")
            return value
        } catch (e: JSONException) {
            throw GainslyException(GainslyException.INVALID, "$what: invalid JSON: ${e.message}")
        }
    }

    fun parseObject(text: String, what: String): JSONObject =
        parseValue(text, what) as? JSONObject
            ?: throw GainslyException(GainslyException.INVALID, "$what: expected a JSON object")

    fun parseArray(text: String, what: String): JSONArray =
        parseValue(text, what) as? JSONArray
            ?: throw GainslyException(GainslyException.INVALID, "$what: expected a JSON array")

    fun objects(array: JSONArray): List<JSONObject> = (0 until array.length()).map { array.getJSONObject(it) }

    fun longs(array: JSONArray): List<Long> = (0 until array.length()).map { array.getLong(it) }
}
