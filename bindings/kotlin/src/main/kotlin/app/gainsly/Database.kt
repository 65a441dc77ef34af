package app.gainsly

import org.json.JSONObject

/**
 * An open Gainsly database file: the user's training data and the reference catalog.
 *
 * ```
 * Database.open(path).use { db ->
 *     val id = db.insert(User(email = "ana@example.com", name = "Ana 🏋️"))
 *     val ana = db.get(User, id)
 *     db.transaction { it.update(ana.copy(personaTone = PersonaTone.SUPPORTIVE)) }
 * }
 * ```
 *
 * Every failure throws [GainslyException]. Calls on one Database are serialised (the C handle is used
 * by one thread at a time); open one Database per thread for parallel work: several handles on one
 * file work together. [close] is idempotent; any other call after it throws INVALID.
 */
class Database private constructor(private var handle: Long, val path: String) : AutoCloseable {
    private val lock = Any()

    companion object {
        /** Opens (creating, migrating and loading the catalog as needed) the database file at [path]. */
        @JvmStatic
        fun open(path: String): Database = Database(Native.open(path), path)

        /** The library version, e.g. "0.1.0". */
        @JvmStatic
        val version: String get() = Native.version()

        /** The schema version the library creates and migrates files to. */
        @JvmStatic
        val schemaVersion: Int get() = Native.schemaVersion()

        /** Open handles plus unreleased library buffers in the process (0 when nothing leaks). */
        @JvmStatic
        val liveObjects: Long get() = Native.liveObjects()

        /** The C name of a status code, e.g. "GS_ERR_INVALID". */
        @JvmStatic
        fun statusName(code: Int): String = Native.statusName(code)
    }

    /** Whether [close] has not been called yet. */
    val isOpen: Boolean get() = synchronized(lock) { handle != 0L }

    /** Closes the file. Closing twice does nothing. */
    override fun close() {
        synchronized(lock) {
            val h = handle
            handle = 0L
            if (h != 0L) Native.close(h)
        }
    }

    /** Runs [body] with the open handle, holding the lock; new C functions are one line on top. */
    private inline fun <T> call(body: (Long) -> T): T = synchronized(lock) {
        if (handle == 0L) throw GainslyException(GainslyException.INVALID, "database: closed ($path)")
        body(handle)
    }

    // --- rows as JSON text (the C ABI as is) ---

    /** Inserts one row given as a JSON object; returns its key. */
    fun insertJson(table: String, json: String): Long = call { Native.insert(it, table, json) }

    /** One row as a JSON object. */
    fun getJson(table: String, id: Long): String = call { Native.get(it, table, id) }

    /** The rows whose columns equal every value of [filterJson] (null: every row), as a JSON array. */
    @JvmOverloads
    fun selectJson(table: String, filterJson: String? = null): String = call { Native.select(it, table, filterJson) }

    /** Sets the columns given in the JSON object on the row with key [id]. */
    fun updateJson(table: String, id: Long, json: String) = call { Native.update(it, table, id, json) }

    /** Deletes the row with key [id] (children cascade where the schema says so). */
    fun delete(table: String, id: Long) = call { Native.delete(it, table, id) }

    // --- rows as org.json objects or maps (any table; keys = column names) ---

    fun insert(table: String, row: JSONObject): Long = insertJson(table, row.toString())

    /** Inserts a row given as column -> value (Long/Int/Double/String/Boolean/Instant/LocalDate/JSON/null). */
    fun insert(table: String, row: Map<String, Any?>): Long = insert(table, Json.objectOf(row))

    fun get(table: String, id: Long): JSONObject = Json.parseObject(getJson(table, id), table)

    /** The rows of [table] whose columns equal every value of [filter] (null matches NULL), by key. */
    @JvmOverloads
    fun select(table: String, filter: Map<String, Any?> = emptyMap()): List<JSONObject> =
        Json.objects(Json.parseArray(selectJson(table, Json.objectOf(filter).toString()), table))

    fun update(table: String, id: Long, changes: JSONObject) = updateJson(table, id, changes.toString())

    /** Sets the given columns (null stores NULL) on the row with key [id]. */
    fun update(table: String, id: Long, changes: Map<String, Any?>) = update(table, id, Json.objectOf(changes))

    // --- records (the generated data classes) ---

    /** Inserts [record] and returns its key; null properties take the column defaults. */
    fun insert(record: Record): Long = insert(record.table.name, record.toJson(false))

    /** Inserts [record] and returns the stored row, with its key, uid and defaults filled in. */
    fun <R : Record> insertAndGet(record: R): R {
        @Suppress("UNCHECKED_CAST")
        val table = record.table as Table<R>
        return get(table, insert(record))
    }

    /** The record with key [id]; throws NOT_FOUND if there is none. */
    fun <R : Record> get(table: Table<R>, id: Long): R = table.decode(get(table.name, id))

    /** The record with key [id], or null if there is none. */
    fun <R : Record> find(table: Table<R>, id: Long): R? =
        try {
            get(table, id)
        } catch (e: GainslyException) {
            if (e.code == GainslyException.NOT_FOUND) null else throw e
        }

    /** The records whose columns equal every value of [filter], ordered by key. */
    @JvmOverloads
    fun <R : Record> select(table: Table<R>, filter: Map<String, Any?> = emptyMap()): List<R> =
        select(table.name, filter).map { table.decode(it) }

    /**
     * Writes every column of [record] to its row: null stores NULL in nullable columns and keeps the
     * stored value in NOT NULL ones; the key and uid never change and updated_at becomes now.
     */
    fun update(record: Record) {
        val table = record.table
        val key = record.primaryKey
            ?: throw GainslyException(GainslyException.INVALID, "${table.name}.${table.keyColumn}: the record has no key (insert it first)")
        val json = record.toJson(true)
        json.remove(table.keyColumn)
        json.remove("uid")
        json.remove("updated_at")
        update(table.name, key, json)
    }

    /** Deletes the row of [record]. */
    fun delete(record: Record) {
        val table = record.table
        val key = record.primaryKey
            ?: throw GainslyException(GainslyException.INVALID, "${table.name}.${table.keyColumn}: the record has no key")
        delete(table.name, key)
    }

    /** Deletes the row of [table] with key [id]. */
    fun delete(table: Table<*>, id: Long) = delete(table.name, id)

    // --- documents ---

    /** The session with key [id] and its exercises (an "exercises" array), as JSON text. */
    fun getSessionJson(id: Long): String = call { Native.getSession(it, id) }

    /** The session with key [id] and its exercises in order; NOT_FOUND if there is none. */
    fun getSession(id: Long): SessionWithExercises {
        val o = Json.parseObject(getSessionJson(id), "sessions")
        val exercises = o.optJSONArray("exercises")
            ?: throw GainslyException(GainslyException.INTERNAL, "sessions: no exercises in the session document")
        return SessionWithExercises(Session.decode(o), Json.objects(exercises).map { SessionExercise.decode(it) })
    }

    /** Every row the user owns as one JSON document (references as uids), for [importJson] with USER_EXPORT. */
    fun exportUserJson(userId: Long): String = call { Native.exportUser(it, userId) }

    /** Imports a document; returns the library's report (counts, skipped and failed records). */
    fun importJson(json: String, format: ImportFormat): JSONObject =
        Json.parseObject(call { Native.importDocument(it, format.code, json) }, "import")

    // --- transactions ---

    /** Starts a transaction (INVALID if one is open). Prefer [transaction]. */
    fun begin() = call { Native.begin(it) }

    fun commit() = call { Native.commit(it) }

    fun rollback() = call { Native.rollback(it) }

    /** Runs [body] in a transaction: commits when it returns, rolls back and rethrows when it throws. */
    fun <T> transaction(body: (Database) -> T): T {
        begin()
        val result: T
        try {
            result = body(this)
            commit()
        } catch (e: Throwable) {
            try {
                rollback()
            } catch (ignored: GainslyException) {
            }
            throw e
        }
        return result
    }

    override fun toString(): String = "Database($path${if (isOpen) "" else ", closed"})"
}
