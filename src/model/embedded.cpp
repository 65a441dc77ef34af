#include "model/embedded.hpp"

#include <zlib.h>

#include <string>

#include "model/error.hpp"

namespace gainsly::embedded {

const std::vector<std::pair<std::string_view, std::string_view>>& files() {
    // Inflated once, on first use, and kept for the life of the process (about 0.7 MB).
    static const std::vector<std::string> contents = [] {
        std::vector<std::string> out;
        for (size_t i = 0; i < blob_count; ++i) {
            std::string data(blobs[i].raw_size, '\0');
            uLongf size = uLongf(data.size());
            if (uncompress(reinterpret_cast<Bytef*>(data.data()), &size, blobs[i].data, uLong(blobs[i].size)) != Z_OK || size != data.size())
                throw Error(Status::internal, "embedded file damaged: " + std::string(blobs[i].name));
            out.push_back(std::move(data));
        }
        return out;
    }();
    static const std::vector<std::pair<std::string_view, std::string_view>> table = [] {
        std::vector<std::pair<std::string_view, std::string_view>> out;
        for (size_t i = 0; i < blob_count; ++i) out.emplace_back(blobs[i].name, contents[i]);
        return out;
    }();
    return table;
}

std::string_view file(std::string_view path) {
    for (const auto& [name, data] : files())
        if (name == path) return data;
    throw Error(Status::internal, "embedded file missing: " + std::string(path));
}

}  // namespace gainsly::embedded
