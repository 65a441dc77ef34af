package app.gainsly

/**
 * The natives of the JNI shim (bindings/kotlin/jni/gainsly_jni.cpp), bound by RegisterNatives in
 * its JNI_OnLoad. Strings are passed as Java strings; the shim converts them to and from real UTF-8.
 * Every function throws [GainslyException] on failure. Handles are `gs_db*` as a Long (0 = none).
 *
 * The shim is `libgainsly_jni.so`, found on `java.library.path` (or the path in the system property
 * `gainsly.jni.library`); it needs `libgainsly.so` next to it or on the loader path.
 */
internal object Native {
    init {
        val explicit = System.getProperty("gainsly.jni.library")
        if (explicit != null) System.load(explicit) else System.loadLibrary("gainsly_jni")
    }

    @JvmStatic external fun version(): String
    @JvmStatic external fun schemaVersion(): Int
    @JvmStatic external fun liveObjects(): Long
    @JvmStatic external fun statusName(status: Int): String

    @JvmStatic external fun open(path: String): Long
    @JvmStatic external fun openWithOptions(path: String, flags: Int, busyTimeoutMs: Int): Long
    @JvmStatic external fun close(handle: Long)

    @JvmStatic external fun insert(handle: Long, table: String, json: String): Long
    @JvmStatic external fun update(handle: Long, table: String, id: Long, json: String)
    @JvmStatic external fun delete(handle: Long, table: String, id: Long)
    @JvmStatic external fun get(handle: Long, table: String, id: Long): String
    @JvmStatic external fun select(handle: Long, table: String, filter: String?): String

    @JvmStatic external fun getSession(handle: Long, id: Long): String
    @JvmStatic external fun exportUser(handle: Long, userId: Long): String
    @JvmStatic external fun importDocument(handle: Long, format: Int, json: String): String
    @JvmStatic external fun importHistory(handle: Long, userId: Long, format: Int, csv: String, mappingJson: String?, flags: Int,
                                          progress: HistoryProgress?): String
    @JvmStatic external fun exportHistory(handle: Long, userId: Long, format: Int): String

    @JvmStatic external fun generateProgram(handle: Long, request: String): String
    @JvmStatic external fun replanProgram(handle: Long, request: String): String
    @JvmStatic external fun listSubstitutes(handle: Long, sessionExerciseId: Long, maxResults: Int): String
    @JvmStatic external fun substituteExercise(handle: Long, sessionExerciseId: Long, movementId: Long): String
    @JvmStatic external fun describeProgram(handle: Long, programId: Long): String

    @JvmStatic external fun sync(handle: Long, conninfo: String, userUid: String?, batchRows: Int, timeoutMs: Int): String
    @JvmStatic external fun syncStatus(handle: Long): String
    @JvmStatic external fun syncExport(handle: Long, userUid: String?, batchRows: Int, timeoutMs: Int): String?
    @JvmStatic external fun syncImportAck(handle: Long, ack: String)
    @JvmStatic external fun syncPullRequest(handle: Long, userUid: String?, batchRows: Int, timeoutMs: Int): String
    @JvmStatic external fun syncImport(handle: Long, page: String): String
    @JvmStatic external fun serverSetup(conninfo: String): String
    @JvmStatic external fun serverAddAccount(conninfo: String, userUid: String, role: String, password: String): String
    @JvmStatic external fun serverOpen(conninfo: String, accountRole: String?, timeoutMs: Int): Long
    @JvmStatic external fun serverClose(handle: Long)
    @JvmStatic external fun serverPush(handle: Long, batch: String): String
    @JvmStatic external fun serverPull(handle: Long, request: String): String
    @JvmStatic external fun setTokenSealer(handle: Long, sealer: TokenSealer?)
    @JvmStatic external fun sealToken(handle: Long, plain: String): String
    @JvmStatic external fun openToken(handle: Long, sealed: String): String

    @JvmStatic external fun e1rm(formula: Int, load: Double, reps: Int, rpe: Double): Double
    @JvmStatic external fun rpePercent(reps: Int, rpe: Double): Double
    @JvmStatic external fun rpeE1rm(load: Double, reps: Int, rpe: Double): Double
    @JvmStatic external fun rpeLoad(e1rm: Double, reps: Int, rpe: Double, increment: Double): Double

    @JvmStatic external fun logWorkout(handle: Long, workout: String): String
    @JvmStatic external fun logSet(handle: Long, userId: Long, workoutLogId: Long, movementId: Long, setNumber: Int, reps: Int,
                                   loadKg: Double, rpe: Double, velocity: Double, notes: String?, setType: String?): String
    @JvmStatic external fun listPersonalRecords(handle: Long, userId: Long, movementId: Long): String
    @JvmStatic external fun recomputePersonalRecords(handle: Long, userId: Long, movementId: Long): String
    @JvmStatic external fun logSoreness(handle: Long, json: String): Long
    @JvmStatic external fun logRecovery(handle: Long, json: String): Long
    @JvmStatic external fun logBiometrics(handle: Long, json: String): Long
    @JvmStatic external fun dayState(handle: Long, userId: Long, date: String): String
    @JvmStatic external fun progress(handle: Long, userId: Long, from: String?, to: String?): String
    @JvmStatic external fun goals(handle: Long, userId: Long, date: String?): String
    @JvmStatic external fun goalCheckin(handle: Long, userId: Long, date: String?, options: String?): String
    @JvmStatic external fun weeklySummary(handle: Long, userId: Long, date: String?): String

    @JvmStatic external fun ingestRun(handle: Long, request: String, runType: Int): String
    @JvmStatic external fun activityList(handle: Long, userId: Long, from: String?, to: String?): String
    @JvmStatic external fun activityLog(handle: Long, activity: String): String
    @JvmStatic external fun providerTokensSet(handle: Long, accountId: Long, accessToken: String?, refreshToken: String?, expiresAt: String?)
    @JvmStatic external fun providerTokensList(handle: Long, userId: Long, withinSeconds: Long): String
    @JvmStatic external fun adaptProgram(handle: Long, request: String): String

    @JvmStatic external fun begin(handle: Long)
    @JvmStatic external fun commit(handle: Long)
    @JvmStatic external fun rollback(handle: Long)

    // Conversion checks for the tests: a String through UTF-8 and back, and its UTF-8 bytes.
    @JvmStatic external fun echo(text: String): String
    @JvmStatic external fun utf8Bytes(text: String): ByteArray
    @JvmStatic external fun fromUtf8Bytes(bytes: ByteArray): String
}
