/* The C ABI of Gainsly Core, seen by Swift as the module CGainsly. */
#include <gainsly/gainsly.h>
