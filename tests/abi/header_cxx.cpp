// The public header must also compile cleanly as C++.
#include <gainsly/gainsly.h>

int gainsly_header_compiles_cxx() { return GS_OK + int(sizeof(gs_db*)); }
