/*
 * gainsly.h - the stable C ABI of Gainsly Core (C99).
 *
 * Conventions (after sqlite3.h and libgit2):
 *  - Names: every function is gs_<noun>_<verb>. The noun is what the call acts on (db, row, session,
 *    set, workout, program, exercise, sync, server, token, e1rm, ...) and the verb what it does
 *    (open, get, insert, log, generate, export, ...): gs_db_open, gs_row_insert, gs_set_log,
 *    gs_program_generate, gs_sync_export_batch. A call that only reads a value which cannot fail is
 *    gs_<noun>_<property> (gs_library_version, gs_status_name, gs_error_message). Types are
 *    gs_<noun> (gs_db, gs_sync_options), constants GS_<NOUN>_<NAME>. gs_debug_* are debugging aids.
 *  - Parameters: the handle first, inputs next, out-parameters last (out_*); JSON text parameters
 *    end in _json, options structs are `opts` (NULL means the defaults, i.e. the struct's _INIT).
 *  - Every function that can fail returns an int32_t status: GS_OK (0) or a negative GS_ERR_* code.
 *    On error the message is on the handle (gs_error_message(db)); functions without a handle, and a failed
 *    gs_db_open, leave it in a thread-local slot read with gs_error_message(NULL). Nine functions cannot fail
 *    and return a value instead: gs_library_version, gs_schema_version, gs_status_name, gs_error_message,
 *    gs_error_code, gs_debug_live_objects, gs_db_close, gs_server_close and gs_string_free.
 *  - Out-parameters: each call first resets them (NULL or 0) and writes a result only on success,
 *    so after a failure they hold NULL / 0, never a stale or partial value.
 *  - Memory returned through char** belongs to the caller and is released with gs_string_free().
 *    gs_string_free(NULL), gs_db_close(NULL) and gs_server_close(NULL) do nothing.
 *  - Rows cross the ABI as JSON objects whose keys are the column names of the schema
 *    (schema/schema.json, documented in schema/README.md). Strings are UTF-8.
 *  - Threads: a gs_db handle is used by one thread at a time. Several handles, in one or several
 *    threads or processes, may open the same file together (SQLite WAL; writers wait up to 5 s).
 *    Functions without a gs_db argument are thread-safe. A function whose rule differs says so.
 *  - No exception, abort or undefined behaviour crosses this ABI, whatever the arguments.
 *
 * Every declaration below carries a Doxygen comment; each function states its thread-safety and
 * who frees what ("Thread-safety:" and "Memory:" lines). tests/abi/check_header_docs.py checks it.
 */
#ifndef GAINSLY_H
#define GAINSLY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Marks an exported function. While the library itself is built (GAINSLY_BUILDING) it gives the
 * symbol default visibility (everything else is hidden); for callers it expands to nothing.
 */
#if defined(GAINSLY_BUILDING)
#define GS_API __attribute__((visibility("default")))
#else
#define GS_API
#endif

/** @name Version of this header; gs_library_version() gives the library's at run time. */
/**@{*/
#define GS_VERSION_MAJOR 0 /**< incompatible ABI changes */
#define GS_VERSION_MINOR 1 /**< additions that keep the ABI */
#define GS_VERSION_PATCH 0 /**< fixes */
/** One comparable number: MAJOR * 10000 + MINOR * 100 + PATCH. */
#define GS_VERSION_NUMBER (GS_VERSION_MAJOR * 10000 + GS_VERSION_MINOR * 100 + GS_VERSION_PATCH)
/**@}*/

/** @name Status codes */
/**@{*/
#define GS_OK 0                /**< success */
#define GS_ERR_INVALID (-1)    /**< invalid argument: bad JSON, unknown table/column, wrong type, range */
#define GS_ERR_NOT_FOUND (-2)  /**< no row, user or file with that key */
#define GS_ERR_CONSTRAINT (-3) /**< a CHECK, UNIQUE or FOREIGN KEY constraint refused the write */
#define GS_ERR_INFEASIBLE (-4) /**< the planner's hard constraints cannot all hold */
#define GS_ERR_IO (-5)         /**< file system or network I/O failed */
#define GS_ERR_CORRUPT (-6)    /**< not a Gainsly database, or a damaged one */
#define GS_ERR_BUSY (-7)       /**< the file is locked by another connection */
#define GS_ERR_SYNC (-8)       /**< sync protocol error */
#define GS_ERR_AUTH (-9)       /**< authentication or authorisation refused */
#define GS_ERR_VERSION (-10)   /**< schema or protocol version not supported */
#define GS_ERR_INTERNAL (-11)  /**< a bug in the library */
#define GS_ERR_NOMEM (-12)     /**< out of memory */
#define GS_ERR_CANCELED (-13)  /**< a progress callback asked the call to stop (what was done before stays) */
#define GS_ERR_READONLY (-14)  /**< a write on a handle opened with GS_OPEN_READ_ONLY */
/**@}*/

/**
 * Enumerations are 32-bit in C and C++ (C++ gets a fixed underlying type; C enums are int-sized on
 * every supported platform); a value outside an enumeration gives GS_ERR_INVALID, never UB.
 */
#ifdef __cplusplus
#define GS_ENUM(name) enum name : int32_t
#else
#define GS_ENUM(name) enum name
#endif

/** An open database file. Opaque; created by gs_db_open, released by gs_db_close. */
typedef struct gs_db gs_db;

/**
 * The library version, e.g. "0.1.0".
 * Memory: static storage owned by the library; never NULL; do not free.
 * Thread-safety: thread-safe.
 */
GS_API const char *gs_library_version(void);

/**
 * The schema version this library creates and migrates files to (PRAGMA user_version).
 * Thread-safety: thread-safe.
 */
GS_API int32_t gs_schema_version(void);

/**
 * A static name for a status code, e.g. "GS_ERR_INVALID"; "GS_UNKNOWN" for others.
 * Memory: static storage owned by the library; never NULL; do not free.
 * Thread-safety: thread-safe.
 */
GS_API const char *gs_status_name(int32_t status);

/**
 * Opens (creating if missing) the database file at `path`, migrating an older file forward inside
 * one transaction per step and loading the built-in reference catalog on first open.
 * A file written by a newer library is refused with GS_ERR_VERSION and left untouched; a file that
 * is not a Gainsly database gives GS_ERR_CORRUPT. On success *out_db is the new handle; on failure
 * *out_db is NULL and gs_error_message(NULL) has the message.
 * Memory: the caller owns the handle and releases it with gs_db_close.
 * Thread-safety: thread-safe; the new handle is then used by one thread at a time. Several handles,
 * in one or several threads or processes, may open the same file and work together.
 */
GS_API int32_t gs_db_open(const char *path, gs_db **out_db);

#define GS_OPEN_READ_ONLY 0x1u /**< gs_db_options.flags: read, never write (no creation, migration or catalog install) */

/** Options of gs_db_open_v2. Initialise with GS_DB_OPTIONS_INIT or gs_db_options_init. */
typedef struct gs_db_options {
    uint32_t size;           /**< sizeof(gs_db_options): lets the struct grow without breaking callers */
    uint32_t flags;          /**< GS_OPEN_* bits; 0: read-write, created or migrated as needed */
    int32_t busy_timeout_ms; /**< how long a call waits for another connection's lock (0..600000) */
} gs_db_options;

/** Default options: read-write, a 5 s busy timeout (what gs_db_open uses). */
#define GS_DB_OPTIONS_INIT { (uint32_t)sizeof(gs_db_options), 0u, 5000 }

/**
 * Fills *opts with the defaults of GS_DB_OPTIONS_INIT for a struct of `size` bytes (pass
 * sizeof(gs_db_options)). GS_ERR_INVALID if opts is NULL or size is not one this library knows.
 * Thread-safety: thread-safe.
 */
GS_API int32_t gs_db_options_init(gs_db_options *opts, uint32_t size);

/**
 * gs_db_open with options (`opts` NULL: GS_DB_OPTIONS_INIT). With GS_OPEN_READ_ONLY a missing file
 * is GS_ERR_NOT_FOUND, a file that would need migrating is GS_ERR_READONLY (nothing is written),
 * and every write through the handle fails with GS_ERR_READONLY.
 * Memory: the caller owns the handle and releases it with gs_db_close; `opts` stays the caller's.
 * Thread-safety: as gs_db_open.
 */
GS_API int32_t gs_db_open_v2(const char *path, const gs_db_options *opts, gs_db **out_db);

/**
 * Closes the handle and frees everything it owns (its messages, statements and token sealer
 * registration; buffers already returned stay valid until gs_string_free). NULL is a no-op.
 * Thread-safety: no other call may use `db` during or after this one.
 */
GS_API void gs_db_close(gs_db *db);

/**
 * The message of the last failed call on `db` ("" after a success), or, with NULL, of the last
 * failed call without a handle on this thread.
 * Memory: owned by the handle (or the thread); valid until the next call on the same handle (or,
 * with NULL, the next call without a handle on this thread); do not free.
 * Thread-safety: with a handle, on the thread that uses `db`; with NULL, thread-safe (per thread).
 */
GS_API const char *gs_error_message(const gs_db *db);

/**
 * The status of the last call on `db` (or on this thread with NULL).
 * Thread-safety: as gs_error_message.
 */
GS_API int32_t gs_error_code(const gs_db *db);

/**
 * Frees memory returned by the library (every char* out-parameter). NULL is a no-op. Never pass
 * memory from another allocator, nor the static strings of gs_library_version/gs_status_name/gs_error_message.
 * Thread-safety: thread-safe (a buffer may be freed on any thread, once).
 */
GS_API void gs_string_free(void *p);

/**
 * A debugging aid: the number of live library objects (open handles plus returned buffers not yet
 * freed). An app's tests can check it is 0 at the end to find leaks; it has no other use.
 * Thread-safety: thread-safe.
 */
GS_API int64_t gs_debug_live_objects(void);

/** @name Rows as JSON objects (keys = column names) */
/**@{*/

/**
 * Inserts one row into `table`. Omitted columns take their defaults; `uid` is generated when
 * absent; `created_at`/`updated_at` default to now. Values are validated against the schema
 * (type, enum value, date format, length) with a message naming table.column.
 * On success *out_id (may be NULL) is the new row's key.
 * Memory: `table` and `row_json` stay the caller's; nothing is returned to free.
 * Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_row_insert(gs_db *db, const char *table, const char *row_json, int64_t *out_id);

/**
 * Sets the given columns of the row with key `id` (a JSON object of column: value; null stores
 * NULL); GS_ERR_NOT_FOUND if there is none. `updated_at` becomes now unless given.
 * Memory: the arguments stay the caller's. Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_row_update(gs_db *db, const char *table, int64_t id, const char *row_json);

/**
 * Deletes the row with key `id` (children cascade where the schema says so); GS_ERR_NOT_FOUND if
 * there is none. Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_row_delete(gs_db *db, const char *table, int64_t id);

/**
 * One row as a JSON object in *out_json; GS_ERR_NOT_FOUND if none.
 * Memory: the caller frees *out_json with gs_string_free. Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_row_get(gs_db *db, const char *table, int64_t id, char **out_json);

/**
 * The rows of `table` whose columns equal every value of `filter_json` ({"column": value, ...};
 * null matches NULL; NULL or "{}" selects every row), as a JSON array ordered by key, in
 * *out_json. Memory: the caller frees *out_json with gs_string_free.
 * Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_row_select(gs_db *db, const char *table, const char *filter_json, char **out_json);

/**
 * One session (a `sessions` row) with an "exercises" array holding its `session_exercises` rows
 * in order_in_session order, as JSON in *out_json; GS_ERR_NOT_FOUND if none.
 * Memory: the caller frees *out_json with gs_string_free. Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_session_get(gs_db *db, int64_t session_id, char **out_json);
/**@}*/

/** @name Import and export */
/**@{*/
/** The document formats gs_db_import reads. */
typedef GS_ENUM(gs_import_format){
    GS_IMPORT_USER_EXPORT = 0,      /**< a document made by gs_user_export (into an empty database) */
    GS_IMPORT_CATALOG = 1,          /**< our catalog format: {"movements": [...], ...} (catalog/README.md) */
    GS_IMPORT_FREE_EXERCISE_DB = 2, /**< an array of open exercise-database records */
} gs_import_format;

/**
 * Every row the user owns as one JSON document in *out_json; references are written as uids, so
 * gs_db_import(GS_IMPORT_USER_EXPORT) into another database restores it exactly.
 * Memory: the caller frees *out_json with gs_string_free. Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_user_export(gs_db *db, int64_t user_id, char **out_json);

/**
 * Imports `document_json` in the given GS_IMPORT_* format; a JSON report in *out_report_json (may be
 * NULL). A user export and a catalog document are all-or-nothing; exercise-database
 * records are imported one by one, each bad record listed under "errors" with its reason. A user
 * export's personal records are derived again from its sets (the report's "personal_records").
 * Memory: the caller frees *out_report_json with gs_string_free. Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_db_import(gs_db *db, gs_import_format format, const char *document_json, char **out_report_json);
/**@}*/

/** @name Transactions: group several writes so they commit or roll back together. */
/**@{*/

/**
 * Starts a transaction on this handle (GS_ERR_INVALID if one is open). The library's own
 * multi-step calls nest inside it as savepoints.
 * Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_db_begin(gs_db *db);

/** Commits the open transaction (GS_ERR_INVALID if none). Thread-safety: use `db` from one thread at a time. */
GS_API int32_t gs_db_commit(gs_db *db);

/** Rolls back the open transaction (GS_ERR_INVALID if none). Thread-safety: use `db` from one thread at a time. */
GS_API int32_t gs_db_rollback(gs_db *db);
/**@}*/

/** @name Planning: the program generator (docs/generator.md, src/plan/README.md) */
/**@{*/

/**
 * Plans a program for a user and stores it (programs, program_goals, microcycles, sessions,
 * session_exercises) in one transaction. `request_json`: {"user_id", "start_date",
 * "duration_weeks" (1-16), "days_per_week" (1-7) or "weekdays" ([1..7], 1 = Monday), "goals"
 * ([{"goal", "weight"}], weights sum to 10), and optionally "name", "split", "session_minutes",
 * "equipment", "progression_style", "seed", "search_nodes", "time_limit_ms", "exact"}. On success *out_json (the
 * caller frees it with gs_string_free) is the report: {"program_id", "objective": {"value", "terms"},
 * "hard_constraints": [{"id", "name", "ok", ...}], "solve_ms", ...}.
 * GS_ERR_INVALID names the bad field, GS_ERR_NOT_FOUND an unknown user, GS_ERR_INFEASIBLE means
 * the hard constraints cannot all hold and gs_error_message() names the smallest conflicting set.
 * Nothing is written on error. The same request and seed give the same plan on any device when
 * "search_nodes" sizes the search (then "time_limit_ms" is only a wall-clock safety cap).
 * Memory: the caller frees *out_json with gs_string_free.
 * Thread-safety: like every call on a handle, use `db` from one thread at a time.
 */
GS_API int32_t gs_program_generate(gs_db *db, const char *request_json, char **out_json);

/**
 * Re-plans the rest of the microcycle containing "date" (default: today, UTC) of a planned
 * program from the user's latest logs, soreness, readiness and missed sessions. `request_json`:
 * {"program_id", "date"?, "seed"?, "search_nodes"?, "time_limit_ms"?}. Completed sessions (a workout_logs row
 * references them) and past sessions are never changed. *out_json: the report, including
 * "replanned_session_ids" and "hard_constraints". GS_ERR_INFEASIBLE as above.
 * Memory: the caller frees *out_json with gs_string_free.
 * Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_program_replan(gs_db *db, const char *request_json, char **out_json);

/**
 * Adapts the next sessions of a program to the lifter's state, without being asked by the lifter
 * (the app decides when: after a log, an ingestion, a new morning's signals). `request_json`:
 * {"program_id", "user_id"? (must own the program), "date"? (default today, UTC), "sessions"?
 * (1..14, default 2: the next sessions not yet done, dated on or after date)}. A working exercise
 * gets fewer sets and a lower RPE on a red day (readiness of date below plan.readiness.low_below),
 * when a muscle it loads is fatigued or sore, or inside the interference window of an activity
 * actually done (a long ride the day before a squat day); a fresh day gives an adapted exercise
 * its planned prescription back. Every change is written into the exercise's and the session's
 * notes and listed in *out_report_json (may be NULL): {"program_id", "user_id", "date",
 * "readiness": {"score", "red", "signals_used"}, "sessions": [{"session_id", "date", "changed"}],
 * "kept_session_ids", "changes": [{"session_id", "session_exercise_id", "movement_id", "movement",
 * "role", "action" ("lighter" or "restored"), "sets": {"from", "to"}, "target_rpe": {"from",
 * "to"}, "target_rir": {"from", "to"}, "reasons": [...]}], "changed"}. One transaction; a call
 * that changes nothing writes nothing; completed sessions (a workout_logs row references them)
 * are never changed. GS_ERR_NOT_FOUND for an unknown program, GS_ERR_INVALID naming the field
 * for a bad request or a user_id that does not own the program.
 * Memory: the caller frees *out_report_json with gs_string_free.
 * Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_program_adapt(gs_db *db, const char *request_json, char **out_report_json);

/**
 * Up to `max_results` (1-100) ranked alternatives for one session_exercises row, each of which
 * keeps the session, its microcycle and the program within every hard constraint:
 * {"substitutes": [{"movement_id", "name", "score", "relationship", "reasons"}], "blocked_by"?}
 * in *out_json. Memory: the caller frees *out_json with gs_string_free.
 * Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_exercise_list_substitutes(gs_db *db, int64_t session_exercise_id, int32_t max_results, char **out_json);

/**
 * Swaps `movement_id` into a session_exercises row after checking every hard constraint
 * (GS_ERR_INFEASIBLE with the reason otherwise); updates the row and its session's totals in one
 * transaction. *out_json (may be NULL) describes the swap.
 * Memory: the caller frees *out_json with gs_string_free.
 * Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_exercise_substitute(gs_db *db, int64_t session_exercise_id, int64_t movement_id, char **out_json);

/**
 * A planned program as readable text, week by week (dates, exercises, sets x reps @ RPE, rest,
 * minutes, coach notes) in *out_text. Memory: the caller frees *out_text with gs_string_free.
 * Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_program_describe(gs_db *db, int64_t program_id, char **out_text);
/**@}*/

/* ==== Sync ==================================================================================
 * Offline-first sync with PostgreSQL (docs/sync.md, src/sync/README.md). Every write to a
 * user table is captured on the device by triggers; gs_sync_run pushes those changes in batches (each
 * applied exactly once) and pulls the account's changes from the server's change sequence.
 * Conflicts: per-column last-writer-wins by hybrid logical clock (device id breaks ties), deletes
 * win, catalog tables are pull-only. Conninfo strings are libpq's (key=value or postgresql:// URI;
 * sslmode and the rest come from them); passwords never appear in messages. The device half
 * (gs_sync_status_get, gs_sync_export_*, gs_sync_import_*) is in every build; a build without
 * PostgreSQL (GAINSLY_WITH_POSTGRES=OFF) answers gs_sync_run and gs_server_* with GS_ERR_SYNC. */
/** @name Sync with PostgreSQL */
/**@{*/

/**
 * Progress of gs_sync_run, called on the syncing thread after each pushed batch with
 * {"phase":"push","pushed":N,"outbox":M} and after each pulled page with
 * {"phase":"pull","pulled":N,"cursor":C,"more":true|false}. The JSON text is valid only during the
 * call. The callback must not call back into the library with the same handle. It returns 0 to go
 * on; any other value stops the sync: what was pushed or pulled so far stays (each batch and page is
 * its own transaction) and gs_sync_run returns GS_ERR_CANCELED.
 */
typedef int32_t (*gs_sync_progress_fn)(void *context, const char *progress_json);

/** Options of gs_sync_run and of the device-half calls. Initialise with GS_SYNC_OPTIONS_INIT. */
typedef struct gs_sync_options {
    uint32_t size;        /**< sizeof(gs_sync_options): lets the struct grow without breaking callers */
    const char *user_uid; /**< the account this file syncs as; NULL: the one recorded, or the file's only user */
    int32_t batch_rows;   /**< changes per push batch and rows per pulled page (1-100000; 0: 1000) */
    int32_t timeout_ms;   /**< connect and statement timeout (0: none) */
    gs_sync_progress_fn progress; /**< gs_sync_run only: progress callback, or NULL (since 0.1: callers built earlier pass a smaller size) */
    void *progress_context;       /**< passed to `progress` */
} gs_sync_options;

/** Default options: the recorded account, 1000-row batches, a 30 s timeout, no progress callback. `user_uid` is not freed by the library. */
#define GS_SYNC_OPTIONS_INIT { (uint32_t)sizeof(gs_sync_options), NULL, 1000, 30000, NULL, NULL }

/**
 * Fills *opts with the defaults of GS_SYNC_OPTIONS_INIT for a struct of `size` bytes (pass
 * sizeof(gs_sync_options)). GS_ERR_INVALID if opts is NULL or size is not one this library knows.
 * Thread-safety: thread-safe.
 */
GS_API int32_t gs_sync_options_init(gs_sync_options *opts, uint32_t size);

/**
 * Creates or migrates, idempotently and in one transaction, the server side in the database of
 * `conninfo` (an admin connection): the mirrored schema with an owner key and clocks on every user
 * table, the change log, device cursors, the "gainsly_device" group role with row-level security
 * policies, and the built-in catalog. A server newer than this library gives GS_ERR_VERSION and is
 * left unchanged. *out_report_json (may be NULL): {"schema_version", "created", "migrated",
 * "catalog_rows", ...}. Memory: the caller frees *out_report_json with gs_string_free.
 * Thread-safety: thread-safe (uses its own connection); errors are in gs_error_message(NULL) of this thread.
 */
GS_API int32_t gs_server_setup(const char *conninfo, char **out_report_json);

/**
 * Creates (or re-keys) the PostgreSQL login role `role` ([a-z_][a-z0-9_]*) for the account
 * `user_uid` (the uid of its users row) with `password` (8+ characters; only its SCRAM verifier is
 * sent to the server). A connection as that role reads and writes only that account's rows.
 * Needs an admin conninfo. *out_report_json (may be NULL) describes the role.
 * Memory: the caller frees *out_report_json with gs_string_free; the password is not kept.
 * Thread-safety: thread-safe (own connection); errors are in gs_error_message(NULL) of this thread.
 */
GS_API int32_t gs_server_add_account(const char *admin_conninfo, const char *user_uid, const char *role, const char *password,
                                     char **out_report_json);

/**
 * Pushes the file's captured changes, then pulls the account's changes until the file is current,
 * in-process over libpq. `opts` NULL means GS_SYNC_OPTIONS_INIT. Resumable: after any failure
 * (GS_ERR_IO for a lost connection) call it again; nothing is lost or applied twice.
 * *out_report_json (may be NULL; the caller frees it with gs_string_free): {"pushed", "pulled", "conflicts",
 * "duration_ms", "batches", "pages", "deleted", "parked", "rejected" (each with "quarantined": the
 * row stays on the device, see gs_sync_status_get), "outbox", "cursor", "resynced",
 * "initial_pull_complete", "quarantined"}. GS_ERR_AUTH: credentials refused or the account is not
 * the file's; GS_ERR_VERSION: app and server schema versions too far apart (nothing changed).
 * Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_sync_run(gs_db *db, const char *conninfo, const gs_sync_options *opts, char **out_report_json);

/**
 * Sync state as JSON in *out_json (the caller frees it with gs_string_free): {"device", "user", "outbox" (changes not yet
 * pushed), "inflight" (a batch awaits its acknowledgement), "parked" (pulled rows waiting for a
 * parent), "cursor", "initial_pull_complete", "last_push_at", "last_pull_at", "last_error",
 * "quarantined" (rows the server refused, kept on the device until changed), "quarantine" (the first
 * 100: "table", "uid", "id", "reason", "at", and "waits_for" for a row held with its parent), ...}.
 * Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_sync_status_get(gs_db *db, char **out_json);

/* -- The device half alone, for apps that carry batches over their own transport. The server
 *    side of the same exchange is gs_server_push / gs_server_pull (e.g. in a trusted backend). -- */

/**
 * The next push batch as JSON in *out_batch_json, or NULL when nothing is pending. Until its
 * acknowledgement is imported the same batch is returned again (resend it verbatim: the server
 * recognises a retry by its mutation id). A batch is at most 8 MiB of JSON (a row larger than that
 * is quarantined, see gs_sync_status_get). `opts` NULL means GS_SYNC_OPTIONS_INIT.
 * Memory: the caller frees *out_batch_json with gs_string_free (gs_string_free(NULL) is fine).
 * Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_sync_export_batch(gs_db *db, const gs_sync_options *opts, char **out_batch_json);

/**
 * Imports the server's acknowledgement of the exported batch (as gs_server_push returned it): the
 * acknowledged changes leave the outbox. Memory: `ack_json` stays the caller's.
 * Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_sync_import_ack(gs_db *db, const char *ack_json);

/**
 * The next pull request as JSON in *out_request_json (from the stored cursor and, when the last
 * page ended inside a pushed batch, the position in it). The page answering it holds at most
 * opts->batch_rows rows and 4 MiB of JSON. `opts` NULL means GS_SYNC_OPTIONS_INIT.
 * Memory: the caller frees *out_request_json with gs_string_free.
 * Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_sync_export_request(gs_db *db, const gs_sync_options *opts, char **out_request_json);

/**
 * Applies a pulled page (as gs_server_pull returned it) in one transaction and moves the cursor;
 * request the next page while the report says "more": true. *out_report_json (may be NULL):
 * {"applied", "deleted", "conflicts", "parked", "more", "cursor"}.
 * Memory: the caller frees *out_report_json with gs_string_free.
 * Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_sync_import_page(gs_db *db, const char *page_json, char **out_report_json);

/** A connection to the sync server, kept between gs_server_push / gs_server_pull calls (the server
 * half, for a trusted backend or a tool that carries the documents). Opaque; created by
 * gs_server_open, released by gs_server_close. */
typedef struct gs_server gs_server;

/** Options of gs_server_open. Initialise with GS_SERVER_OPTIONS_INIT or gs_server_options_init. */
typedef struct gs_server_options {
    uint32_t size;            /**< sizeof(gs_server_options) */
    const char *account_role; /**< act as this account's role (SET LOCAL ROLE per transaction), for a
                                   backend connected with its own credentials; NULL: the conninfo's role */
    int32_t timeout_ms;       /**< connect and statement timeout, 1..600000 (default 30000) */
} gs_server_options;

/** The defaults: the connection's own role, 30 s timeout. */
#define GS_SERVER_OPTIONS_INIT { (uint32_t)sizeof(gs_server_options), NULL, 30000 }

/**
 * Fills *opts as GS_SERVER_OPTIONS_INIT does for a struct of `size` bytes (pass
 * sizeof(gs_server_options)). GS_ERR_INVALID if opts is NULL or size is not one this library knows.
 * Thread-safety: thread-safe.
 */
GS_API int32_t gs_server_options_init(gs_server_options *opts, uint32_t size);

/**
 * Connects to the sync server (`conninfo` as for gs_server_setup, usually an account's login role or
 * a trusted backend's) and checks that it was set up: a wrong password or an unknown server fails
 * here (GS_ERR_AUTH, GS_ERR_IO, GS_ERR_VERSION). The connection is kept for the handle's calls and
 * replaced by a new one when it was lost; after gs_server_setup migrated the server, open a new handle.
 * Memory: the caller owns the handle and releases it with gs_server_close; `opts` stays the caller's.
 * Thread-safety: thread-safe; errors are in gs_error_message(NULL) of this thread.
 */
GS_API int32_t gs_server_open(const char *conninfo, const gs_server_options *opts, gs_server **out_server);

/**
 * Closes the connection and releases the handle; NULL does nothing.
 * Thread-safety: no call on `server` may be running or follow.
 */
GS_API void gs_server_close(gs_server *server);

/**
 * Server half: applies a push batch (from gs_sync_export_batch) in one transaction and returns the
 * acknowledgement in *out_ack_json. A `batch_json` over 16 MiB is refused with GS_ERR_INVALID before
 * it is parsed. Memory: the caller frees *out_ack_json with gs_string_free.
 * Thread-safety: a handle may be shared by threads, whose calls take turns on its one connection
 * (open one handle per thread to serve in parallel); errors are in gs_error_message(NULL) of this thread.
 */
GS_API int32_t gs_server_push(gs_server *server, const char *batch_json, char **out_ack_json);

/**
 * Server half: one page for a pull request (from gs_sync_export_request) in *out_page_json.
 * Memory: the caller frees *out_page_json with gs_string_free.
 * Thread-safety: as gs_server_push; errors are in gs_error_message(NULL) of this thread.
 */
GS_API int32_t gs_server_pull(gs_server *server, const char *request_json, char **out_page_json);

/* -- OAuth tokens of external_provider_accounts: stored only sealed, never sent to the server. -- */

/**
 * Host callbacks that seal and open secrets (e.g. with a Keychain / Keystore key). Each writes its
 * output (any bytes) to `out` (capacity `out_cap`), sets *out_len and returns 0; if out_cap is too
 * small it sets *out_len to the size needed and returns 0 (it is called again with a larger
 * buffer); any other return value is a failure. Called on the thread that called the library.
 */
typedef struct gs_token_sealer {
    uint32_t size; /**< sizeof(gs_token_sealer) */
    void *context; /**< passed back to the callbacks */
    /** Seals `in_len` bytes of `in` into `out` (the result is stored as "gs-sealed:" + base64). */
    int32_t (*seal)(void *context, const char *in, size_t in_len, char *out, size_t out_cap, size_t *out_len);
    /** Opens what `seal` produced back into the plain bytes. */
    int32_t (*open)(void *context, const char *in, size_t in_len, char *out, size_t out_cap, size_t *out_len);
} gs_token_sealer;

/** An empty sealer (no callbacks): fill in `seal`, `open` and `context`. */
#define GS_TOKEN_SEALER_INIT { (uint32_t)sizeof(gs_token_sealer), NULL, NULL, NULL }

/**
 * Fills *sealer as GS_TOKEN_SEALER_INIT does for a struct of `size` bytes (pass
 * sizeof(gs_token_sealer)). GS_ERR_INVALID if sealer is NULL or size is not one this library knows.
 * Thread-safety: thread-safe.
 */
GS_API int32_t gs_token_sealer_init(gs_token_sealer *sealer, uint32_t size);

/**
 * Registers the sealer for this handle (copied; `context` must outlive the handle or the next
 * registration); NULL removes it. access_token / refresh_token accept only sealed values
 * ("gs-sealed:" + base64), in every build; a token found in clear when a file is opened (left by an
 * older library or another SQLite client) is cleared then, and the app links the provider again.
 * Memory: the struct is copied; the caller keeps owning `context` (release it after gs_db_close or
 * after registering another sealer). Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_token_set_sealer(gs_db *db, const gs_token_sealer *sealer);

/**
 * Seals a token with the registered sealer (GS_ERR_INVALID without one): *out_sealed
 * ("gs-sealed:...") is what to store in access_token / refresh_token.
 * Memory: the caller frees *out_sealed with gs_string_free. Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_token_seal(gs_db *db, const char *plain, char **out_sealed);

/**
 * Opens a sealed token with the registered sealer into *out_plain.
 * Memory: the caller frees *out_plain with gs_string_free (best wiped first: it is a secret).
 * Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_token_unseal(gs_db *db, const char *sealed, char **out_plain);
/**@}*/
/* ==== end of Sync ============================================================================ */

/* ==== Math ===================================================================================
 * Training math without a database (src/math/README.md). These use the shipped defaults of
 * catalog/heuristic_configs/math.json; the training-log functions below use the file's
 * heuristic_configs rows. */
/** @name Math: e1RM and the RPE chart */
/**@{*/
/** The one-rep-max formulas (w = load, r = reps). */
typedef GS_ENUM(gs_e1rm_formula){
    GS_E1RM_EPLEY = 0, /**< w (1 + r/30) */
    GS_E1RM_BRZYCKI = 1, /**< w 36 / (37 - r) */
    GS_E1RM_LOMBARDI = 2, /**< w r^0.10 */
    GS_E1RM_OCONNER = 3, /**< w (1 + 0.025 r) */
    GS_E1RM_MAYHEW = 4, /**< 100 w / (52.2 + 41.9 e^(-0.055 r)) */
    GS_E1RM_WATHAN = 5, /**< 100 w / (48.8 + 53.8 e^(-0.075 r)) */
    GS_E1RM_LANDER = 6, /**< 100 w / (101.3 - 2.67123 r) */
} gs_e1rm_formula;

/**
 * Estimated one-rep max of `load` lifted for `reps` with a GS_E1RM_* formula, in *out_e1rm.
 * rpe <= 0 means "not given"; otherwise (1..10) the effective reps are reps + (10 - rpe), capped at
 * 30. A single with no RPE (or at RPE 10) returns `load`. load: finite, 0..100000; reps: 1..30.
 * Bad input gives GS_ERR_INVALID and gs_error_message(NULL) names the argument ("reps: must be between 1
 * and 30, got 40"). Thread-safety: thread-safe (no handle; the message is per thread).
 */
GS_API int32_t gs_e1rm_estimate(gs_e1rm_formula formula, double load, int32_t reps, double rpe, double *out_e1rm);

/**
 * %1RM (0..100, e.g. 86.3 for 5 reps @ RPE 10) for `reps` (1..12) at `rpe` (6..10, half steps and
 * values between interpolated) from the RTS chart, in *out_percent.
 * Thread-safety: thread-safe (no handle; errors in gs_error_message(NULL) of this thread).
 */
GS_API int32_t gs_rpe_lookup_percent(int32_t reps, double rpe, double *out_percent);

/**
 * e1RM implied by `load` lifted for `reps` at `rpe` through the RPE chart, in *out_e1rm.
 * Thread-safety: thread-safe (no handle; errors in gs_error_message(NULL) of this thread).
 */
GS_API int32_t gs_e1rm_estimate_rpe(double load, int32_t reps, double rpe, double *out_e1rm);

/**
 * Load for a target `reps` at `rpe` from an `e1rm`, rounded to the nearest multiple of `increment`
 * (> 0: e.g. 2.5 for kg plates, 5 for lb; exact halves round up), in *out_load.
 * Thread-safety: thread-safe (no handle; errors in gs_error_message(NULL) of this thread).
 */
GS_API int32_t gs_load_prescribe(double e1rm, int32_t reps, double rpe, double increment, double *out_load);
/**@}*/

/* ==== Training log ===========================================================================
 * Logging workouts, sets, soreness, recovery signals and biometrics, and reading a day's fatigue
 * and readiness. Every call is one transaction: on error nothing is written. Each write rebuilds
 * what depends on it: pattern_exposure, and user_fatigue_state plus the computed columns of
 * recovery_signals for the affected days (the logged day through the latest day that already has
 * a state). Definitions and defaults: src/training/training.hpp. Dates are "YYYY-MM-DD". */
/** @name Training log */
/**@{*/

/**
 * Records a workout and its top sets. `workout_json`: the workout_logs columns ("user_id"
 * required; "workout_date" (default: its session's date, else today UTC), "session_id",
 * "duration_seconds", "perceived_effort", "mood_before", "mood_after", "notes") and "sets": an
 * array of {"movement_id", "reps" (1..30), "load_kg" (>= 0; null: none), "rpe" (1..10; null: not
 * given), "set_number" (default: the next), "velocity", "notes"}. *out_report_json (may be NULL;
 * the caller frees it with gs_string_free): {"workout_log_id", "workout_date", "e1rm_formula", "sets": [{"id",
 * "set_number", "e1rm", ...}], "patterns", "recomputed": {"from", "to"}, "state": the day's state
 * as gs_day_state_get gives it}. Errors name the field: "sets[2].reps: ...", GS_ERR_CONSTRAINT
 * "sets[1]: top_set_logs.movement_id: no movements row with id 99".
 * Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_workout_log(gs_db *db, const char *workout_json, char **out_report_json);

/** Optional fields of gs_set_log. Initialise with GS_SET_OPTIONS_INIT. */
typedef struct gs_set_options {
    uint32_t size;        /**< sizeof(gs_set_options): lets the struct grow without breaking callers */
    double velocity;      /**< mean concentric velocity, m/s; < 0: not given */
    const char *notes;    /**< UTF-8, NULL: none */
    const char *set_type; /**< "warmup", "working", "failure" or "dropset"; NULL: working. Warm-ups never set records */
} gs_set_options;

/** Default options: no velocity, no notes, a working set. */
#define GS_SET_OPTIONS_INIT { (uint32_t)sizeof(gs_set_options), -1.0, NULL, NULL }

/**
 * Fills *opts with the defaults of GS_SET_OPTIONS_INIT for a struct of `size` bytes (pass
 * sizeof(gs_set_options)). GS_ERR_INVALID if opts is NULL or size is not one this library knows.
 * Thread-safety: thread-safe.
 */
GS_API int32_t gs_set_options_init(gs_set_options *opts, uint32_t size);

/**
 * The hot path: logs one top set into an existing workout of the user (its session and date come
 * from the workout), then updates pattern_exposure and the day's state. set_number 0 takes the next
 * number of that movement in the workout; a number already used is GS_ERR_CONSTRAINT. reps 1..30;
 * load_kg >= 0 (0 = body weight); rpe <= 0 = not given, else 1..10. `opts` may be NULL.
 * *out_id (may be NULL): the top_set_logs row; *out_e1rm (may be NULL): its e1RM with the user's
 * user_settings.active_e1rm_formula. GS_ERR_INVALID names the argument ("load_kg: ...");
 * GS_ERR_NOT_FOUND: no such user or workout. Memory: `opts->notes` stays the caller's; nothing
 * is returned to free. Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_set_log(gs_db *db, int64_t user_id, int64_t workout_log_id, int64_t movement_id, int32_t set_number,
                          int32_t reps, double load_kg, double rpe, const gs_set_options *opts, int64_t *out_id,
                          double *out_e1rm);

/**
 * gs_set_log with a report: the same arguments and checks, and *out_report_json (may be NULL) =
 * {"id", "movement_id", "set_number", "reps", "load_kg", "rpe", "e1rm", "set_type", "records":
 * [...]}, where "records" lists the personal records the set set, each as gs_pr_list gives it
 * (without "uid", "movement" and "current"): "e1rm", "reps_at_load", "load_at_reps", and
 * "session_volume" when the set made its workout the movement's biggest. Empty: no record.
 * Memory: the caller frees *out_report_json with gs_string_free. Thread-safety: use `db` from one
 * thread at a time.
 */
GS_API int32_t gs_set_log_v2(gs_db *db, int64_t user_id, int64_t workout_log_id, int64_t movement_id, int32_t set_number,
                             int32_t reps, double load_kg, double rpe, const gs_set_options *opts, char **out_report_json);

/**
 * The user's personal records (personal_records), newest first; movement_id 0: every movement.
 * *out_json = {"user_id", "records": [{"id", "uid", "movement_id", "movement", "record_type",
 * "value", "reps", "load_kg", "previous_value", "achieved_date", "top_set_log_id",
 * "workout_log_id", "current"}]}. record_type: "e1rm" (value: the e1RM, kg), "reps_at_load" (value:
 * reps at load_kg), "load_at_reps" (value: load_kg for reps), "session_volume" (value: sum of
 * load x reps of the movement in workout_log_id). previous_value: the best it beat (null: the
 * first). current: not beaten since. Records are kept by every write to the log (gs_workout_log,
 * gs_set_log, and gs_row_insert / gs_row_update / gs_row_delete of top_set_logs and workout_logs):
 * a back-dated or deleted set changes them as the log now implies. Definitions:
 * src/training/training.hpp. GS_ERR_NOT_FOUND: no such user.
 * Memory: the caller frees *out_json with gs_string_free. Thread-safety: use `db` from one thread
 * at a time.
 */
GS_API int32_t gs_pr_list(gs_db *db, int64_t user_id, int64_t movement_id, char **out_json);

/**
 * Recomputes the user's personal records from the whole log (movement_id 0: every movement), for
 * logs written by other means (e.g. rows pulled by sync); records that would not change are not
 * rewritten. *out_report_json (may be NULL): {"user_id", "movements", "inserted", "updated",
 * "deleted"}. Memory: the caller frees *out_report_json with gs_string_free. Thread-safety: use
 * `db` from one thread at a time.
 */
GS_API int32_t gs_pr_recompute(gs_db *db, int64_t user_id, int64_t movement_id, char **out_report_json);

/**
 * Logs soreness: {"user_id", "log_date", "severity" (1..10), "body_part", "notes"} becomes a
 * soreness_logs row (*out_id, may be NULL) and that day's readiness is recomputed (the day's worst
 * severity sets its soreness modifier). Memory: nothing is returned to free.
 * Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_soreness_log(gs_db *db, const char *soreness_json, int64_t *out_id);

/**
 * Logs a completed activity outside the gym (a ride, a tennis match): {"user_id", "date",
 * "activity" (an enjoyable_activity value such as "cycling", or an activity_definitions.name),
 * "duration_minutes" (0 < x <= 1440), "intensity" (0..10, optional: the definition's default),
 * "session_id" (optional: a session of the user on that date; without it a cardio session without
 * a program is created), "notes"}. Writes the activity_instances row and its muscles, then
 * recomputes the daily state: the activity adds muscle and systemic fatigue by its duration,
 * intensity and muscles. *out_json (may be NULL): {"activity_instance_id", "session_id", "date",
 * "activity", "state"} (state as gs_day_state_get gives it).
 * Memory: the caller frees *out_json with gs_string_free.
 * Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_activity_log(gs_db *db, const char *activity_json, char **out_json);

/**
 * Logs a day's recovery signals: {"user_id", "signal_date", "sleep_quality_score" (0..100; 0 =
 * not recorded), "hrv_score" (ms), "resting_heart_rate" (bpm), "source", "notes"} update the day's
 * recovery_signals row (created if missing; keys left out keep their value). Readiness is then
 * computed against the user's own rolling baseline for that day and the following days it feeds.
 * *out_id (may be NULL): the row. Memory: nothing is returned to free.
 * Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_recovery_log(gs_db *db, const char *signals_json, int64_t *out_id);

/**
 * Logs body measurements: a user_biometrics_history row ({"user_id", "measurement_date",
 * "weight_kg", "body_fat_percentage", "lean_mass_kg", "fat_mass_kg", "waist_cm", "chest_cm",
 * "hips_cm", "notes"}); *out_id may be NULL. Memory: nothing is returned to free.
 * Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_biometrics_log(gs_db *db, const char *biometrics_json, int64_t *out_id);

/**
 * The state of day `date` ("YYYY-MM-DD") for the user, computed from the log (nothing is written),
 * in *out_json (the caller frees it with gs_string_free): {"user_id", "date", "muscle_fatigue": {muscle: 0..100},
 * "muscle_recovery": {muscle: 0..100}, "systemic_fatigue", "recovery_score", "cns": {"fatigue",
 * "persona_aggression", "today": {"total", "budget", "remaining", "within"}}, "readiness":
 * {"score", "signals_used", "sleep_quality_score", "soreness_score", "hrv_score",
 * "resting_heart_rate", "hrv_baseline", "resting_hr_baseline", "modifiers": {"sleep", "soreness",
 * "hrv", "resting_hr"}}}; a missing signal is null. Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_day_state_get(gs_db *db, int64_t user_id, const char *date, char **out_json);

/** The CSV formats of gs_history_import and gs_history_export. */
typedef GS_ENUM(gs_history_format){
    GS_HISTORY_STRONG = 0, /**< Strong's export: Date, Workout Name, Duration, Exercise Name, Set Order, Weight, Reps, ... (, or ;) */
    GS_HISTORY_HEVY = 1,   /**< Hevy's export: title, start_time, end_time, ..., exercise_title, set_type, weight_kg|weight_lbs, reps, ... */
} gs_history_format;

/**
 * Progress of a long call, called on the calling thread with a JSON text valid only during the
 * call; the convention of gs_sync_progress_fn. It must not call back into the library with the same
 * handle. It returns 0 to go on; any other value stops the call, which returns GS_ERR_CANCELED.
 */
typedef int32_t (*gs_progress_fn)(void *context, const char *progress_json);

#define GS_HISTORY_IMPERIAL 0x1u /**< gs_history_options.flags: a file without unit columns holds lb and miles (default kg and km) */

/** Options of gs_history_import. Initialise with GS_HISTORY_OPTIONS_INIT or gs_history_options_init. */
typedef struct gs_history_options {
    uint32_t size;            /**< sizeof(gs_history_options): lets the struct grow without breaking callers */
    uint32_t flags;           /**< GS_HISTORY_* bits */
    const char *mapping_json; /**< {"exercise name as in the file": movement id | movement uid | null (do not import)}, or NULL */
    gs_progress_fn progress;  /**< called with {"phase": "import"|"recompute", "done", "total"}, or NULL */
    void *progress_context;   /**< passed to `progress` */
} gs_history_options;

/** Default options: kg and km, no mapping, no progress callback. */
#define GS_HISTORY_OPTIONS_INIT { (uint32_t)sizeof(gs_history_options), 0u, NULL, NULL, NULL }

/**
 * Fills *opts with the defaults of GS_HISTORY_OPTIONS_INIT for a struct of `size` bytes (pass
 * sizeof(gs_history_options)). GS_ERR_INVALID if opts is NULL or size is not one this library knows.
 * Thread-safety: thread-safe.
 */
GS_API int32_t gs_history_options_init(gs_history_options *opts, uint32_t size);

/**
 * Imports a training history exported by Strong or Hevy (`csv_text`, RFC 4180, UTF-8) into the
 * user's log. Exercise names are matched to movements: `opts->mapping_json` first, then the
 * movement's name, then a catalog alias (case and punctuation ignored), then the most similar name
 * (score >= 0.7). Weights become kg. Re-importing a file changes nothing (rows get stable uids from
 * the user, the workout's start time, the exercise and the set's position). A line that cannot be
 * read fails alone. The whole import is one transaction: a cancel leaves nothing, so run it again.
 * At the end pattern_exposure and the daily state are recomputed once. *out_report_json (may be
 * NULL): {"format", "delimiter", "records", "workouts": {"imported", "existing"}, "sets":
 * {"imported", "existing"}, "rest_timer_rows", "names": [{"name", "match" (mapping, exact, alias,
 * fuzzy, none, skipped), "movement_id", "movement", "score", "sets"}], "fuzzy": [...], "unmatched":
 * [{"name", "sets", "first_line", "suggestion"}], "skipped": [{"line", "reason"}], "errors":
 * [{"line", "message"}], "recomputed": {"from", "to"} or null}. A header without a required column
 * is GS_ERR_INVALID naming it; a mapping naming no movement is GS_ERR_NOT_FOUND.
 * Memory: the caller frees *out_report_json with gs_string_free; `opts` stays the caller's.
 * Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_history_import(gs_db *db, int64_t user_id, gs_history_format format, const char *csv_text,
                                 const gs_history_options *opts, char **out_report_json);

/**
 * The user's whole log as CSV in *out_csv, with Strong's columns (GS_HISTORY_STRONG, the one
 * format written): one row per set, comma-delimited, weights in kg, warm-up sets as Set Order "W".
 * gs_history_import reads it back to the same sets. Other formats give GS_ERR_INVALID.
 * Memory: the caller frees *out_csv with gs_string_free. Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_history_export(gs_db *db, int64_t user_id, gs_history_format format, char **out_csv);
/**@}*/
/* ==== end of Training log ==================================================================== */

/* ==== Progress ==============================================================================
 * What a lifter sees of their history: trends, goals with projections, the weekly summary.
 * Definitions (the date of a set, trends, volume, load, goal metrics): src/progress/progress.hpp.
 * Dates are "YYYY-MM-DD"; a NULL date means today (UTC). */
/** @name Progress */
/**@{*/

/**
 * The progress document of the user for [from, to] (NULL `to`: today; NULL `from`: 12 weeks
 * before `to`), in *out_json (the caller frees it with gs_string_free): {"user_id", "from", "to",
 * "e1rm_formula", "movements": [{"movement_id", "name", "pattern", "history": [{"date", "e1rm"}],
 * "latest", "best", "slope_per_week" (Theil-Sen, kg/week), "change_4w", "change_12w"}],
 * "patterns": [{"pattern", "index", "exposures", "trend", "change", "early_deload",
 * "slope_per_week"}], "volume": {"window_goal", "weeks": [{"week_start", "groups": {group:
 * {"sets", "tonnage", "window": [lo, hi], "status": "below"|"within"|"above"}}}]}, "load":
 * {"acwr_method", "days": [{"date", "load", "acwr", "acwr_band", "monotony", "strain", "fitness",
 * "fatigue", "performance"}]}}. Nothing is written. GS_ERR_NOT_FOUND for an unknown user,
 * GS_ERR_INVALID naming "from" or "to" for a bad date, a reversed or a longer than ten-year range.
 * Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_progress_get(gs_db *db, int64_t user_id, const char *from, const char *to, char **out_json);

/**
 * The user's goals on `date` (NULL: today) without writing anything, in *out_json (the caller
 * frees it with gs_string_free): an array of {"key", "goal", "program_goal_id", "program_id",
 * "metric", "unit", "movement_id", "current", "trend_per_week", "target", "direction",
 * "projected_date", "status": "achieved"|"on_track"|"not_at_this_rate"|"no_target"|"no_data"|
 * "unmeasured", "achieved", "achieved_at"}: each program_goals row of the current program and the
 * long-term goal of user_profiles. Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_goal_list(gs_db *db, int64_t user_id, const char *date, char **out_json);

/**
 * The weekly goal check-in for the week (Monday..Sunday) of `date` (NULL: today), in one
 * transaction: program_goals.current_value is updated, achieved / achieved_at are set the first
 * time a target is reached, and each goal gets one goal_checkins row for the week (a second call in
 * the same week updates that row, it never adds one). `options_json` (may be NULL):
 * {"long_term_target": number, "long_term_movement": movement name or uid} sets the long-term
 * goal's target (kept by its check-ins); an unknown option is GS_ERR_INVALID, an unknown movement
 * GS_ERR_NOT_FOUND, and nothing is written. A strength goal whose unit names an unknown movement
 * is reported "unmeasured" with the reason and does not stop the others. *out_json (may be NULL; the caller frees it with
 * gs_string_free): {"user_id", "date", "week_start", "goals": [as gs_goal_list, plus "checkin_id",
 * "created"]}. Memory: *out_json as said. Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_goal_checkin(gs_db *db, int64_t user_id, const char *date, const char *options_json, char **out_json);

/**
 * The weekly summary of the week (Monday..Sunday) holding `date` (NULL: today), in *out_json (the
 * caller frees it with gs_string_free): {"user_id", "week_start", "week_end", "persona_tone",
 * "sessions": {"planned", "done", "unplanned"}, "volume": {"window_goal", "groups"}, "prs": the week's personal_records [{"id",
 * "movement_id", "movement", "record_type", "value", "reps", "load_kg", "previous_value", "date"}],
 * "readiness": {"days": [{"date", "readiness", "systemic_fatigue"}], "readiness_trend",
 * "fatigue_trend"}, "goals" (as gs_goal_list), "text": the summary in the user's persona_tone}.
 * Nothing is written. Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_summary_get(gs_db *db, int64_t user_id, const char *date, char **out_json);
/**@}*/
/* ==== end of Progress ======================================================================== */

/* ==== Ingestion ==============================================================================
 * Recovery and workouts from watches, rings and phone health stores (src/ingest/README.md). The
 * app owns the network and hands the library each payload as the provider returned it; the
 * library records the run, stores every record once (again unchanged: left alone; changed:
 * updated) and derives recovery_signals (source = the provider) and activity_instances. */
/** @name Ingestion */
/**@{*/
/** What an ingestion run covers (external_ingestion_runs.run_type). */
typedef GS_ENUM(gs_ingest_run_type){
    GS_INGEST_INCREMENTAL = 0, /**< the records since the last run */
    GS_INGEST_FULL = 1,        /**< everything the provider holds for the account */
    GS_INGEST_BACKFILL = 2,    /**< an older range, filled in after linking */
} gs_ingest_run_type;

/** Options of gs_ingest_run. Initialise with GS_INGEST_OPTIONS_INIT or gs_ingest_options_init. */
typedef struct gs_ingest_options {
    uint32_t size;               /**< sizeof(gs_ingest_options): lets the struct grow without breaking callers */
    gs_ingest_run_type run_type; /**< recorded on the run */
} gs_ingest_options;

/** Default options: an incremental run. */
#define GS_INGEST_OPTIONS_INIT { (uint32_t)sizeof(gs_ingest_options), GS_INGEST_INCREMENTAL }

/**
 * Fills *opts with the defaults of GS_INGEST_OPTIONS_INIT for a struct of `size` bytes (pass
 * sizeof(gs_ingest_options)). GS_ERR_INVALID if opts is NULL or size is not one this library knows.
 * Thread-safety: thread-safe.
 */
GS_API int32_t gs_ingest_options_init(gs_ingest_options *opts, uint32_t size);

/**
 * Ingests one provider payload. `request_json`: {"account_id": external_provider_accounts id,
 * "payload": the provider's JSON, "provider": "oura"|"whoop"|"garmin"|"apple_health"|
 * "health_connect" (optional, must match the account), "user_id" (optional, must own the
 * account)}. Payload shapes: Oura API v2 lists {data, next_token} (daily_readiness, sleep,
 * heartrate, workout); Whoop API v2 pages {records, next_token} (recovery, sleep, workout); Garmin
 * Health API {dailies, activities, sleeps, hrv}; an Apple Health export {samples, workouts}; a
 * Health Connect export {records}. A faulty request (invalid JSON, unknown provider, unknown,
 * inactive or another user's account, a payload not of the provider's shape) gives
 * GS_ERR_INVALID or GS_ERR_NOT_FOUND naming the field, and nothing is written. Otherwise a run
 * row goes pending -> running -> succeeded / partial (some records refused) / failed (all
 * refused); each record is stored in its own transaction, so a bad one (a missing field, a value
 * out of range, a record of another provider user) fails alone, and a run that was killed is
 * closed as failed by the next one, which stores its records again without duplicates.
 * *out_report_json (may be NULL): {"run_id", "status", "provider", "records", "inserted",
 * "updated", "unchanged", "failed", "errors": [{"record", "message"}], "signals": recovery_signals
 * ids, "activities": activity_instances ids, "linked": duplicates across providers linked,
 * "skipped": [messages]}. `opts` NULL means GS_INGEST_OPTIONS_INIT.
 * Memory: the caller frees *out_report_json with gs_string_free. Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_ingest_run(gs_db *db, const char *request_json, const gs_ingest_options *opts, char **out_report_json);

/**
 * The user's ingested activities completed within [from, to] ("YYYY-MM-DD", UTC; NULL `to`: today,
 * NULL `from`: 28 days before `to`), duplicates across providers counted once, oldest first, in
 * *out_json: [{"instance_id", "activity_definition_id", "name", "provider", "started_at",
 * "completed_at", "duration_seconds", "intensity"}]. Nothing is written.
 * Memory: the caller frees *out_json with gs_string_free. Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_activity_list(gs_db *db, int64_t user_id, const char *from, const char *to, char **out_json);

/**
 * Stores the OAuth tokens of a provider account, sealed with the sealer registered by
 * gs_token_set_sealer (GS_ERR_INVALID without one), and their expiry `expires_at` (ISO-8601 with
 * a zone). A NULL argument leaves that column as it is. GS_ERR_NOT_FOUND for an unknown account.
 * Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_provider_tokens_set(gs_db *db, int64_t account_id, const char *access_token, const char *refresh_token,
                                      const char *expires_at);

/**
 * The active accounts of `user_id` (0: of every user) whose tokens need refreshing: the access
 * token expires within `within_seconds` from now or has expired, or a refresh token is held with no
 * expiry known. *out_json: [{"id", "user_id", "provider_type", "token_expires_at", "expired",
 * "has_refresh_token"}], soonest first. Memory: the caller frees *out_json with gs_string_free.
 * Thread-safety: use `db` from one thread at a time.
 */
GS_API int32_t gs_provider_tokens_list(gs_db *db, int64_t user_id, int64_t within_seconds, char **out_json);
/**@}*/
/* ==== end of Ingestion ======================================================================= */

#ifdef __cplusplus
}
#endif

#endif /* GAINSLY_H */
