package app.gainsly

import org.json.JSONException
import org.json.JSONObject
import java.time.format.DateTimeParseException

/**
 * A row of one table as a data class (generated for every table in Records.kt). Property names are
 * the camelCase of the column names; null properties are left out of inserts (the column takes its
 * default). `date` columns are [java.time.LocalDate], `timestamp` columns [java.time.Instant],
 * `json` columns the JSON text, enum columns their string value (constants in `object <Enum>`).
 */
interface Record {
    /** The table of this record type (the data class's companion object). */
    val table: Table<*>
    /** The value of the key column; null before the record is inserted. */
    val primaryKey: Long?

    /**
     * The row as a JSON object keyed by column name. Nulls are left out, or, with [includeNulls],
     * written as JSON null for the nullable columns.
     */
    fun toJson(includeNulls: Boolean = false): JSONObject
}

/** A table and the reader of its records: the companion object of every record class. */
abstract class Table<R : Record>(
    /** The table name, e.g. "users". */
    val name: String,
    /** The key column, usually "id" ("user_id" for user_profiles). */
    val keyColumn: String,
    /** Every column of the record, in schema order. */
    val columns: List<String>
) {
    /** Reads a record from a row object (as gs_row_get returns it). */
    abstract fun fromJson(o: JSONObject): R

    /** Reads a record from the JSON text of a row. */
    fun fromJson(text: String): R = decode(Json.parseObject(text, name))

    /** [fromJson] with failures as [GainslyException] (INVALID) naming the table. */
    fun decode(o: JSONObject): R =
        try {
            fromJson(o)
        } catch (e: JSONException) {
            throw GainslyException(GainslyException.INVALID, "$name: cannot read the row: ${e.message}")
        } catch (e: DateTimeParseException) {
            throw GainslyException(GainslyException.INVALID, "$name: cannot read the row: ${e.message}")
        }

    override fun toString(): String = "Table($name)"
}
