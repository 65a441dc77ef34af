// Runner for the sync tests: skipped (exit 77) without a PostgreSQL server unless GAINSLY_REQUIRE_PG=1.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

int main(int argc, char** argv) {
    const char* admin = std::getenv("GAINSLY_PG_ADMIN");
    if (!admin || !*admin) {
        const char* req = std::getenv("GAINSLY_REQUIRE_PG");
        if (req && std::strcmp(req, "1") == 0) {
            std::fprintf(stderr, "GAINSLY_PG_ADMIN is not set but GAINSLY_REQUIRE_PG=1\n");
            return 1;
        }
        std::fprintf(stderr, "skipped: no PostgreSQL (GAINSLY_PG_ADMIN not set)\n");
        return 77;
    }
    doctest::Context ctx(argc, argv);
    return ctx.run();
}
