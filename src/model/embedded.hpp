// Files compiled into the library (the schema source and the reference catalog), so a phone needs
// nothing beside the shared library. The table is generated at build time by tools/embed.cpp.
#pragma once
#include <string_view>
#include <utility>
#include <vector>

namespace gainsly::embedded {

// All embedded files as (path relative to the repository root, contents), sorted by path.
const std::vector<std::pair<std::string_view, std::string_view>>& files();

// The contents of one file; throws Error(internal) if it was not embedded.
std::string_view file(std::string_view path);

inline std::string_view schema_json() { return file("schema/schema.json"); }

}  // namespace gainsly::embedded
