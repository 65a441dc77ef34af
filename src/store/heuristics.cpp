#include "store/heuristics.hpp"

#include "model/error.hpp"

namespace gainsly::store {

Heuristics read_heuristics(Database& db, std::span<const std::string> keys) {
    std::string sql = "SELECT key, value, data_type FROM heuristic_configs WHERE is_active = 1";
    if (!keys.empty()) sql += " AND key IN (SELECT value FROM json_each(?))";
    auto& q = db.prepare(sql);
    if (!keys.empty()) q.bind(1, nlohmann::json(std::vector<std::string>(keys.begin(), keys.end())).dump());
    Heuristics out;
    while (q.executeStep()) {
        std::string key = q.getColumn(0).getString(), value = q.getColumn(1).getString(), type = q.getColumn(2).getString();
        if (type == "string") {
            out[key] = value;
            continue;
        }
        auto parsed = nlohmann::json::parse(value, nullptr, false);
        if (parsed.is_discarded()) {
            q.tryReset();  // a statement left on a row holds its read snapshot
            throw Error(Status::invalid, "heuristic_configs." + key + ": value is not valid JSON for data_type " + type);
        }
        out[key] = std::move(parsed);
    }
    q.tryReset();
    return out;
}

}  // namespace gainsly::store
