package app.gainsly

import org.json.JSONObject
import java.time.Instant
import java.time.LocalDate

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
 * by one thread at a time), and [transaction] holds the handle for its whole body, so another
 * thread's call waits until it commits or rolls back. Open one Database per thread for parallel
 * work: several handles on one file work together. [close] is idempotent; any other call after it
 * throws INVALID.
 */
class Database private constructor(handle: Long, val path: String) :
    NativeHandle(handle, "database: closed ($path)") {

    companion object {
        /** Opens (creating, migrating and loading the catalog as needed) the database file at [path]. */
        @JvmStatic
        fun open(path: String): Database = Database(Native.open(path), path)

        /**
         * Opens the database file at [path] with options. [readOnly]: nothing is ever written (a
         * missing file is NOT_FOUND, a file that would need migrating READONLY, and every write
         * through this connection throws READONLY). [busyTimeoutMs] (0-600000): how long a call waits
         * for another connection's lock (5000 for [open] without options).
         */
        @JvmStatic
        @JvmOverloads
        fun open(path: String, readOnly: Boolean, busyTimeoutMs: Int = 5000): Database =
            Database(Native.openWithOptions(path, if (readOnly) 1 else 0 /* GS_OPEN_READ_ONLY */, busyTimeoutMs), path)

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

    override fun release(handle: Long) = Native.close(handle)

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
            if (e.status == GainslyException.NOT_FOUND) null else throw e
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

    /**
     * Imports a Strong or Hevy CSV export into the user's log, in one transaction. [mapping] names
     * the movement for exercise names of the file (a movement id; null: do not import that name);
     * [imperial]: a file without unit columns holds lb and miles. [progress] gets
     * {"phase", "done", "total"} and returns false to cancel (CANCELED, nothing written).
     * Re-importing the same file changes nothing.
     */
    @JvmOverloads
    fun importHistory(userId: Long, format: HistoryFormat, csv: String, mapping: Map<String, Long?> = emptyMap(),
                      imperial: Boolean = false, progress: HistoryProgress? = null): HistoryImportReport {
        val map = JSONObject()
        for ((name, id) in mapping) map.put(name, id ?: JSONObject.NULL)
        val report = call { Native.importHistory(it, userId, format.code, csv, map.toString(), if (imperial) 1 else 0, progress) }
        return HistoryImportReport(Json.parseObject(report, "report"))
    }

    /** The user's whole log as CSV with Strong's columns (weights in kg), which [importHistory] reads back. */
    fun exportHistory(userId: Long): String = call { Native.exportHistory(it, userId, HistoryFormat.STRONG.code) }

    // --- training log (each call is one transaction; see gs_set_log, gs_workout_log and the other *_log calls in gainsly.h) ---

    /** Records a workout given as JSON text (workout_logs columns plus "sets"); returns the report as JSON text. */
    fun logWorkoutJson(workoutJson: String): String = call { Native.logWorkout(it, workoutJson) }

    /**
     * Records [workout] (its userId is required; its date defaults to its session's, else today)
     * with its top [sets]. The report has "workout_log_id", "sets" (each with "id" and "e1rm"),
     * "patterns" and "state" (the day's state, as [dayState]). Errors name the field ("sets[1].reps").
     */
    fun logWorkout(workout: WorkoutLog, sets: List<SetEntry>): WorkoutReport =
        WorkoutReport(Json.parseObject(logWorkoutJson(workoutJson(workout, sets).toString()), "report"))

    /**
     * The hot path: logs one top set into an existing workout of the user. [setNumber] 0 takes the
     * next number; [loadKg] 0 is body weight; [rpe] null is not given; [setType] a [SetType] value
     * (null: working; warm-ups never set records). Returns the new row's key, its e1RM with the
     * user's formula and the personal records it set.
     */
    @JvmOverloads
    fun logSet(userId: Long, workoutLogId: Long, movementId: Long, reps: Int, loadKg: Double, rpe: Double? = null,
               setNumber: Int = 0, velocity: Double? = null, notes: String? = null, setType: String? = null): LoggedSet {
        val report = Json.parseObject(call {
            Native.logSet(it, userId, workoutLogId, movementId, setNumber, reps, loadKg, rpe ?: 0.0, velocity ?: -1.0, notes, setType)
        }, "report")
        return LoggedSet(report.getLong("id"), Json.double(report, "e1rm") ?: 0.0, PersonalBest.list(report.optJSONArray("records")))
    }

    /** The user's personal records, newest first: one movement's, or every movement's with null (gs_pr_list). */
    @JvmOverloads
    fun personalRecords(userId: Long, movementId: Long? = null): List<PersonalBest> =
        PersonalBest.list(Json.parseObject(call { Native.listPersonalRecords(it, userId, movementId ?: 0) }, "personal records").optJSONArray("records"))

    /** Rebuilds the user's personal records from the whole log (e.g. after rows arrived by sync); the report as JSON text. */
    @JvmOverloads
    fun recomputePersonalRecordsJson(userId: Long, movementId: Long? = null): String =
        call { Native.recomputePersonalRecords(it, userId, movementId ?: 0) }

    /** Logs soreness (userId, logDate, severity 1-10, bodyPart, notes) and recomputes that day's readiness; returns its key. */
    fun logSoreness(soreness: SorenessLog): Long = call { Native.logSoreness(it, soreness.toJson(false).toString()) }

    /**
     * Logs a day's recovery signals (userId, signalDate, sleepQualityScore, hrvScore,
     * restingHeartRate, source, notes) into its recovery_signals row; returns the row's key.
     * Computed columns (readiness, soreness, overall recovery) must be left null.
     */
    fun logRecovery(signals: RecoverySignal): Long = call { Native.logRecovery(it, signals.toJson(false).toString()) }

    /** Logs body measurements as a user_biometrics_history row; returns its key. */
    fun logBiometrics(biometrics: UserBiometricsHistory): Long =
        call { Native.logBiometrics(it, biometrics.toJson(false).toString()) }

    /** The day's fatigue and readiness as JSON text (nothing is written). */
    fun dayStateJson(userId: Long, date: LocalDate): String = call { Native.dayState(it, userId, date.toString()) }

    /** The day's fatigue and readiness, computed from the log (nothing is written). */
    fun dayState(userId: Long, date: LocalDate): DayState = DayState(Json.parseObject(dayStateJson(userId, date), "state"))

    /**
     * Logs an activity done outside the gym ([ActivityEntry]) and recomputes the day's state: the
     * activity adds muscle and systemic fatigue by its duration, intensity and muscles.
     */
    fun logActivity(activity: ActivityEntry): ActivityReport = ActivityReport(Json.parseObject(logActivityJson(activity.toJson().toString()), "activity"))

    /** [logActivity] with the activity and the report as JSON text. */
    fun logActivityJson(activityJson: String): String = call { Native.activityLog(it, activityJson) }

    // --- ingestion: payloads from watches, rings and phone health stores (src/ingest/README.md) ---

    /**
     * Ingests one payload ([payloadJson], as the provider returned it) for the external_provider_accounts
     * row [accountId]. [provider] and [userId], when given, must match the account. Idempotent: a
     * record stored before is left alone (unchanged) or updated, never stored twice. A faulty request
     * (invalid JSON, an unknown provider or account, a payload not of the provider's shape) throws
     * INVALID or NOT_FOUND naming the field, and nothing is written; a faulty record fails alone
     * ([IngestReport.errors]).
     */
    @JvmOverloads
    fun ingest(accountId: Long, payloadJson: String, provider: String? = null, userId: Long? = null,
               runType: IngestRunType = IngestRunType.INCREMENTAL): IngestReport {
        val request = JSONObject()
        Json.put(request, "account_id", accountId, false)
        Json.put(request, "provider", provider, false)
        Json.put(request, "user_id", userId, false)
        request.put("payload", Json.parseValue(payloadJson, "payload"))
        return IngestReport(Json.parseObject(ingestJson(request.toString(), runType), "report"))
    }

    /** [ingest] with the whole request ({"account_id", "payload", "provider"?, "user_id"?}) and the report as JSON text. */
    @JvmOverloads
    fun ingestJson(requestJson: String, runType: IngestRunType = IngestRunType.INCREMENTAL): String =
        call { Native.ingestRun(it, requestJson, runType.code) }

    /** The user's ingested activities completed within [from]..[to] (null [to]: today; null [from]: 28 days before [to]), oldest first. */
    @JvmOverloads
    fun activities(userId: Long, from: LocalDate? = null, to: LocalDate? = null): List<IngestedActivity> =
        Json.objects(Json.parseArray(activitiesJson(userId, from, to), "activities")).map { IngestedActivity.of(it) }

    /** [activities] as JSON text. */
    @JvmOverloads
    fun activitiesJson(userId: Long, from: LocalDate? = null, to: LocalDate? = null): String =
        call { Native.activityList(it, userId, from?.toString(), to?.toString()) }

    /**
     * Stores the OAuth tokens of a provider account, sealed by the [TokenSealer] set with
     * [setTokenSealer] (INVALID without one), and their expiry. A null argument leaves that column
     * as it is. NOT_FOUND for an unknown account.
     */
    @JvmOverloads
    fun setProviderTokens(accountId: Long, accessToken: String?, refreshToken: String? = null, expiresAt: Instant? = null) =
        call { Native.providerTokensSet(it, accountId, accessToken, refreshToken, expiresAt?.toString()) }

    /**
     * The active accounts of [userId] (0: of every user) whose tokens need refreshing: the access
     * token expires within [withinSeconds] or has expired, or a refresh token is held with no expiry known. Soonest first.
     */
    @JvmOverloads
    fun providerTokensDue(userId: Long = 0, withinSeconds: Long = 0): List<ProviderAccountDue> =
        Json.objects(Json.parseArray(call { Native.providerTokensList(it, userId, withinSeconds) }, "accounts")).map { ProviderAccountDue.of(it) }

    /** The progress document for [from]..[to] (null: the 12 weeks up to today) as JSON text (gs_progress_get). */
    @JvmOverloads
    fun progressJson(userId: Long, from: LocalDate? = null, to: LocalDate? = null): String =
        call { Native.progress(it, userId, from?.toString(), to?.toString()) }

    /** e1RM trends per movement and pattern, weekly sets per muscle group against its window, daily load. */
    @JvmOverloads
    fun progress(userId: Long, from: LocalDate? = null, to: LocalDate? = null): ProgressReport =
        ProgressReport(Json.parseObject(progressJson(userId, from, to), "progress"))

    /** The user's goals on [date] (null: today) with value, trend and projection; nothing is written. */
    @JvmOverloads
    fun goals(userId: Long, date: LocalDate? = null): List<GoalProgress> {
        val a = Json.parseArray(call { Native.goals(it, userId, date?.toString()) }, "goals")
        return (0 until a.length()).map { GoalProgress(a.getJSONObject(it)) }
    }

    /**
     * The weekly goal check-in (gs_goal_checkin): one goal_checkins row per goal and week (a second
     * call in the week updates it); [longTermTarget] / [longTermMovement] set the long-term goal's.
     */
    @JvmOverloads
    fun checkInGoals(userId: Long, date: LocalDate? = null, longTermTarget: Double? = null,
                     longTermMovement: String? = null): GoalCheckinReport {
        val options = org.json.JSONObject()
        if (longTermTarget != null) options.put("long_term_target", longTermTarget)
        if (longTermMovement != null) options.put("long_term_movement", longTermMovement)
        val text = call { Native.goalCheckin(it, userId, date?.toString(), options.toString()) }
        return GoalCheckinReport(Json.parseObject(text, "checkin"))
    }

    /** The week holding [date] (null: today) as data and as text in the user's persona tone (gs_summary_get). */
    @JvmOverloads
    fun weeklySummary(userId: Long, date: LocalDate? = null): WeeklySummary =
        WeeklySummary(Json.parseObject(call { Native.weeklySummary(it, userId, date?.toString()) }, "summary"))

    // --- planning (reports are JSON objects; their fields are documented in gainsly.h) ---

    /** Plans and stores a program from a request given as JSON text; returns the report as JSON text. */
    fun generateProgramJson(requestJson: String): String = call { Native.generateProgram(it, requestJson) }

    /**
     * Plans and stores a program in one transaction. INFEASIBLE names the smallest conflicting
     * constraint set.
     */
    fun generateProgram(request: ProgramRequest): ProgramReport =
        ProgramReport(Json.parseObject(generateProgramJson(request.toJson().toString()), "report"))

    /**
     * Re-plans the rest of the microcycle containing [date] (default: today) from the latest logs,
     * soreness, readiness and missed sessions; the report lists the [ProgramReport.replannedSessionIds].
     */
    @JvmOverloads
    fun replanProgram(programId: Long, date: LocalDate? = null, seed: Long? = null, timeLimitMs: Int? = null,
                      searchNodes: Long? = null): ProgramReport {
        val request = Json.objectOf(mapOf("program_id" to programId))
        Json.put(request, "date", date, false)
        Json.put(request, "seed", seed, false)
        Json.put(request, "time_limit_ms", timeLimitMs, false)
        Json.put(request, "search_nodes", searchNodes, false)
        return ProgramReport(Json.parseObject(call { Native.replanProgram(it, request.toString()) }, "report"))
    }

    /** Up to [maxResults] (1-100) ranked alternatives for a session_exercises row that keep every hard constraint. */
    @JvmOverloads
    fun listSubstitutes(sessionExerciseId: Long, maxResults: Int = 10): SubstituteList =
        SubstituteList(Json.parseObject(call { Native.listSubstitutes(it, sessionExerciseId, maxResults) }, "substitutes"))

    /** Swaps [movementId] into a session_exercises row after checking every hard constraint (INFEASIBLE otherwise). */
    fun substituteExercise(sessionExerciseId: Long, movementId: Long): Substitution =
        Substitution(Json.parseObject(call { Native.substituteExercise(it, sessionExerciseId, movementId) }, "substitution"))

    /**
     * Adapts the next [sessions] (1..14; null: 2) sessions of a program not yet done to the lifter's
     * state on [date] (null: today): a red readiness day, fatigued or sore muscles, an activity done
     * the day before make a working exercise lighter; a fresh day restores it. [userId], when given,
     * must own the program. Every change is listed with its reasons and written in the notes; a call
     * that changes nothing writes nothing. NOT_FOUND for an unknown program.
     */
    @JvmOverloads
    fun adaptProgram(programId: Long, userId: Long? = null, date: LocalDate? = null, sessions: Int? = null): AdaptReport {
        val request = JSONObject()
        Json.put(request, "program_id", programId, false)
        Json.put(request, "user_id", userId, false)
        Json.put(request, "date", date, false)
        Json.put(request, "sessions", sessions, false)
        return AdaptReport(Json.parseObject(adaptProgramJson(request.toString()), "report"))
    }

    /** [adaptProgram] with the request and the report as JSON text. */
    fun adaptProgramJson(requestJson: String): String = call { Native.adaptProgram(it, requestJson) }

    /** The program as readable text, week by week. */
    fun describeProgram(programId: Long): String = call { Native.describeProgram(it, programId) }

    // --- sync (see SyncServer for the server half) ---

    /**
     * Pushes this file's changes, then pulls the account's until the file is current. Resumable:
     * after a failure (IO for a lost connection) call it again. AUTH: credentials refused.
     */
    @JvmOverloads
    fun sync(conninfo: String, options: SyncOptions = SyncOptions()): SyncReport = SyncReport(Json.parseObject(syncJson(conninfo, options), "sync"))

    /** [sync] returning the report as JSON text. */
    @JvmOverloads
    fun syncJson(conninfo: String, options: SyncOptions = SyncOptions()): String =
        call { Native.sync(it, conninfo, options.userUid, options.batchRows, options.timeoutMs) }

    /** The file's sync state (outbox, inflight, parked, cursor, last error ...); nothing is read from the server. */
    fun syncStatus(): SyncStatus = SyncStatus(Json.parseObject(syncStatusJson(), "sync"))

    /** [syncStatus] as JSON text. */
    fun syncStatusJson(): String = call { Native.syncStatus(it) }

    /**
     * The next push batch for your own transport, or null when nothing is pending. The same batch
     * comes back until its acknowledgement is imported: resend it verbatim.
     */
    @JvmOverloads
    fun syncExport(options: SyncOptions = SyncOptions()): String? =
        call { Native.syncExport(it, options.userUid, options.batchRows, options.timeoutMs) }

    /** Imports the server's acknowledgement ([SyncServer.push]) of the exported batch. */
    fun syncImportAck(ackJson: String) = call { Native.syncImportAck(it, ackJson) }

    /** The next pull request for your own transport. */
    @JvmOverloads
    fun syncPullRequest(options: SyncOptions = SyncOptions()): String =
        call { Native.syncPullRequest(it, options.userUid, options.batchRows, options.timeoutMs) }

    /** Applies a pulled page ([SyncServer.pull]); ask for the next page while the report says "more": true. */
    fun syncImport(pageJson: String): SyncPageReport = SyncPageReport(Json.parseObject(call { Native.syncImport(it, pageJson) }, "sync"))

    // --- token sealing ---

    /**
     * Registers the sealer of this database's tokens (null removes it); access_token and
     * refresh_token accept only sealed values. An exception thrown by the sealer reaches the caller.
     */
    fun setTokenSealer(sealer: TokenSealer?) = call { Native.setTokenSealer(it, sealer) }

    /** Seals a token with the registered sealer: what to store in access_token / refresh_token. */
    fun sealToken(plain: String): String = call { Native.sealToken(it, plain) }

    /** Opens a sealed token with the registered sealer. */
    fun openToken(sealed: String): String = call { Native.openToken(it, sealed) }

    // --- transactions ---

    /** Starts a transaction (INVALID if one is open). Prefer [transaction]. */
    fun begin() = call { Native.begin(it) }

    fun commit() = call { Native.commit(it) }

    fun rollback() = call { Native.rollback(it) }

    /**
     * Runs [body] in a transaction: commits when it returns, rolls back and rethrows when it throws.
     * The handle's lock is held from begin to commit (it is reentrant: [body] calls this Database
     * on the same thread), so no other thread's call can land inside the transaction; they wait.
     * [body] must not wait for another thread that uses this Database.
     */
    fun <T> transaction(body: (Database) -> T): T = synchronized(lock) {
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
        result
    }

    override fun toString(): String = "Database($path${if (isOpen) "" else ", closed"})"
}
