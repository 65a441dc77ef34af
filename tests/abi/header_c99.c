/* Compiled with -std=c99 -pedantic -Werror: the public header must be plain C99. */
#include <gainsly/gainsly.h>

int gainsly_header_compiles(void) { return GS_OK + (int)sizeof(gs_db *); }
