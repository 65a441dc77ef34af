/* A plain C client of the shared library: open, write, read, errors, leak counter. */
#include <gainsly/gainsly.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHECK(cond)                                                           \
    do {                                                                      \
        if (!(cond)) {                                                        \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            return 1;                                                         \
        }                                                                     \
    } while (0)

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "abi_c_client.db";
    gs_db *db = NULL;
    int64_t id = 0;
    char *out = NULL;
    unlink(path);
    CHECK(strlen(gs_library_version()) > 0);
    {   /* the header's version macros name the library's version */
        char v[32];
        snprintf(v, sizeof v, "%d.%d.%d", GS_VERSION_MAJOR, GS_VERSION_MINOR, GS_VERSION_PATCH);
        CHECK(strcmp(gs_library_version(), v) == 0);
        CHECK(GS_VERSION_NUMBER == GS_VERSION_MAJOR * 10000 + GS_VERSION_MINOR * 100 + GS_VERSION_PATCH);
    }
    CHECK(gs_db_open(path, &db) == GS_OK && db != NULL);
    CHECK(gs_row_insert(db, "users", "{\"email\":\"c@example.com\",\"name\":\"C \\u00e9\"}", &id) == GS_OK && id > 0);
    CHECK(gs_row_get(db, "users", id, &out) == GS_OK && strstr(out, "c@example.com") != NULL);
    gs_string_free(out);
    CHECK(gs_row_insert(db, "users", "{\"nope\":1}", NULL) == GS_ERR_INVALID);
    CHECK(strstr(gs_error_message(db), "users.nope") != NULL);
    CHECK(gs_error_code(db) == GS_ERR_INVALID);
    CHECK(gs_row_insert(NULL, "users", "{}", NULL) == GS_ERR_INVALID);
    CHECK(strstr(gs_error_message(NULL), "db") != NULL);
    CHECK(gs_row_select(db, "users", NULL, &out) == GS_OK && out[0] == '[');
    gs_string_free(out);
    CHECK(gs_row_get(db, "users", 999999, &out) == GS_ERR_NOT_FOUND && out == NULL);
    gs_db_close(db);
    gs_db_close(NULL);
    gs_string_free(NULL);
    CHECK(gs_debug_live_objects() == 0);
    CHECK(strcmp(gs_status_name(GS_ERR_VERSION), "GS_ERR_VERSION") == 0);
    printf("c client OK\n");
    return 0;
}
