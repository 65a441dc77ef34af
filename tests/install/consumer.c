/* Links against the installed libgainsly and opens a database. */
#include <gainsly/gainsly.h>
#include <stdio.h>

int main(int argc, char **argv) {
    gs_db *db = NULL;
    if (argc < 2 || gs_db_open(argv[1], &db) != GS_OK) {
        fprintf(stderr, "open failed: %s\n", gs_error_message(NULL));
        return 1;
    }
    printf("gainsly %s, schema %d\n", gs_library_version(), gs_schema_version());
    gs_db_close(db);
    return gs_debug_live_objects() == 0 ? 0 : 1;
}
