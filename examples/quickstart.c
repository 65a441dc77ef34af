/*
 * quickstart.c - Gainsly Core from plain C99, through the public header only:
 * open a database, plan a program, print its first week, log a set, print the set's e1RM and the
 * day's readiness.
 *
 *   cc -std=c99 quickstart.c $(pkg-config --cflags --libs gainsly) -o quickstart
 *   ./quickstart [database-file]          (default: quickstart.db; a new user each run)
 *
 * Every call returns GS_OK or a negative GS_ERR_* status with a message in gs_error_message(). Every
 * char* the library returns is the caller's and is released with gs_string_free(). The JSON documents are
 * read here with a tiny key lookup to stay dependency-free; an app would use its JSON parser.
 */
#include <gainsly/gainsly.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Stops the program with the library's message when a call fails. */
static void check(int32_t status, const gs_db *db, const char *what) {
    if (status != GS_OK) {
        fprintf(stderr, "quickstart: %s failed: %s (%s)\n", what, gs_error_message(db), gs_status_name(status));
        exit(1);
    }
}

/* The number after the first "key": at or after `from` in `json` (0 if absent). Enough for the
 * flat reports used here; not a JSON parser. */
static double number_after(const char *json, const char *from, const char *key) {
    char pattern[64];
    const char *p;
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    p = strstr(from ? from : json, pattern);
    return p ? strtod(p + strlen(pattern), NULL) : 0.0;
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "quickstart.db";
    gs_db *db = NULL;
    int64_t user = 0, workout = 0, set_id = 0, program, session, movement;
    char json[512];
    char *report = NULL, *text = NULL, *rows = NULL, *state = NULL;
    const char *week2, *readiness, *name;
    int name_len;
    double e1rm = 0.0, epley = 0.0;

    printf("Gainsly Core %s (schema %d)\n", gs_library_version(), (int)gs_schema_version());
    /* Creates the file with the schema and the reference catalog, or migrates an older one. */
    if (gs_db_open(path, &db) != GS_OK) {
        fprintf(stderr, "quickstart: cannot open %s: %s\n", path, gs_error_message(NULL));
        return 1;
    }

    /* A user: a row of `users` as a JSON object whose keys are the column names. */
    check(gs_row_insert(db, "users", "{\"name\":\"Ana \\ud83c\\udfcb\",\"experience_level\":\"intermediate\","
                                 "\"persona_aggression\":3}", &user),
          db, "gs_row_insert(users)");

    /* Plan four weeks, three days a week, mostly strength. Same request and seed, same plan. */
    snprintf(json, sizeof json,
             "{\"user_id\":%lld,\"name\":\"Quickstart block\",\"start_date\":\"2025-01-06\",\"duration_weeks\":4,"
             "\"days_per_week\":3,\"goals\":[{\"goal\":\"strength\",\"weight\":6},{\"goal\":\"hypertrophy\",\"weight\":4}],"
             "\"seed\":1,\"time_limit_ms\":2000}",
             (long long)user);
    check(gs_program_generate(db, json, &report), db, "gs_program_generate");
    program = (int64_t)number_after(report, NULL, "program_id");
    printf("planned program %lld in %.0f ms\n", (long long)program, number_after(report, NULL, "solve_ms"));
    gs_string_free(report);

    /* The first week, as the library describes it. */
    check(gs_program_describe(db, program, &text), db, "gs_program_describe");
    week2 = strstr(text, "\nWeek 2");
    printf("%.*s\n", week2 ? (int)(week2 - text) : (int)strlen(text), text);
    gs_string_free(text);

    /* The first session and its first main lift (its first exercise if it has none). */
    snprintf(json, sizeof json, "{\"program_id\":%lld}", (long long)program);
    check(gs_row_select(db, "sessions", json, &rows), db, "gs_row_select(sessions)");
    session = (int64_t)number_after(rows, NULL, "id");
    gs_string_free(rows);
    snprintf(json, sizeof json, "{\"session_id\":%lld,\"role\":\"main\"}", (long long)session);
    check(gs_row_select(db, "session_exercises", json, &rows), db, "gs_row_select(session_exercises)");
    movement = (int64_t)number_after(rows, NULL, "movement_id");
    gs_string_free(rows);
    if (movement == 0) {
        check(gs_session_get(db, session, &rows), db, "gs_session_get");
        movement = (int64_t)number_after(rows, strstr(rows, "\"exercises\""), "movement_id");
        gs_string_free(rows);
    }

    /* Log it: a workout for that session, then one top set through the typed hot path. */
    snprintf(json, sizeof json, "{\"user_id\":%lld,\"session_id\":%lld,\"perceived_effort\":7}", (long long)user,
             (long long)session);
    check(gs_workout_log(db, json, &report), db, "gs_workout_log");
    workout = (int64_t)number_after(report, NULL, "workout_log_id");
    gs_string_free(report);
    check(gs_set_log(db, user, workout, movement, 0, 5, 100.0, 8.0, NULL, &set_id, &e1rm), db, "gs_set_log");
    check(gs_e1rm_estimate(GS_E1RM_EPLEY, 100.0, 5, 8.0, &epley), NULL, "gs_e1rm_estimate");
    snprintf(json, sizeof json, "{\"id\":%lld}", (long long)movement);
    check(gs_row_select(db, "movements", json, &rows), db, "gs_row_select(movements)");
    name = strstr(rows, "\"name\":\"");
    name_len = name ? (int)strcspn(name + 8, "\"") : 0;
    printf("logged set %lld: %.*s 5 x 100 kg @ RPE 8 -> e1RM %.1f kg (Epley without a database: %.1f kg)\n",
           (long long)set_id, name_len, name ? name + 8 : "", e1rm, epley);
    gs_string_free(rows);

    /* Last night's sleep and HRV, then the day's fatigue and readiness. */
    snprintf(json, sizeof json,
             "{\"user_id\":%lld,\"signal_date\":\"2025-01-06\",\"sleep_quality_score\":78,\"hrv_score\":62}",
             (long long)user);
    check(gs_recovery_log(db, json, NULL), db, "gs_recovery_log");
    check(gs_day_state_get(db, user, "2025-01-06", &state), db, "gs_day_state_get");
    readiness = strstr(state, "\"readiness\"");
    printf("2025-01-06: readiness %.1f/100, systemic fatigue %.1f/100\n", number_after(state, readiness, "score"),
           number_after(state, NULL, "systemic_fatigue"));
    gs_string_free(state);

    gs_db_close(db);
    /* Every handle closed and every buffer freed: nothing of the library is left alive. */
    if (gs_debug_live_objects() != 0) {
        fprintf(stderr, "quickstart: %lld library objects leaked\n", (long long)gs_debug_live_objects());
        return 1;
    }
    return 0;
}
