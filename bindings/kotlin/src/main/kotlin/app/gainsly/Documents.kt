package app.gainsly

/** A session and its exercises in order (gs_session_get). */
data class SessionWithExercises(val session: Session, val exercises: List<SessionExercise>)

/** The document formats [Database.importJson] reads (GS_IMPORT_* in gainsly.h). */
enum class ImportFormat(val code: Int) {
    /** A document made by [Database.exportUserJson], restored into a database without that user. */
    USER_EXPORT(0),
    /** The catalog format: {"movements": [...], ...} (catalog/README.md). */
    CATALOG(1),
    /** An array of open exercise-database records; bad records are listed in the report. */
    FREE_EXERCISE_DB(2)
}
