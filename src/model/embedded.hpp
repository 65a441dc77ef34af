// Files compiled into the library (the schema source and the reference catalog), so a phone needs
// nothing beside the shared library. The table is generated at build time by tools/embed.cpp.
#pragma once
#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

namespace gainsly::embedded {

// One compressed file, as generated into embedded_files.cpp.
struct Blob {
    std::string_view name;
    const unsigned char* data;
    size_t size;
    size_t raw_size;
};
extern const Blob blobs[];
extern const size_t blob_count;

// All embedded files as (path relative to the repository root, contents), sorted by path.
const std::vector<std::pair<std::string_view, std::string_view>>& files();

// The contents of one file; throws Error(internal) if it was not embedded.
std::string_view file(std::string_view path);

inline std::string_view schema_json() { return file("schema/schema.json"); }

}  // namespace gainsly::embedded
