// Loading what the planner reads: the catalog (movements with their junctions, relationships,
// circuits), the user's data, and per-movement eligibility under the user's rules, injuries,
// equipment and skill.
#include <algorithm>
#include <cmath>
#include <deque>
#include <set>

#include "model/error.hpp"
#include "model/schema.hpp"
#include "model/time.hpp"
#include "plan/internal.hpp"

namespace gainsly::plan {

// ---------------------------------------------------------------- enums and dates

std::string_view role_name(Role r) {
    static constexpr std::string_view names[] = {"warmup", "main", "accessory", "skill", "finisher", "cooldown"};
    return names[int(r)];
}

Role parse_role(std::string_view s) {
    for (int i = 0; i < role_count; ++i)
        if (role_name(Role(i)) == s) return Role(i);
    throw Error(Status::internal, "unknown exercise role " + std::string(s));
}

const std::vector<std::string>& enum_values(std::string_view enum_name) {
    const auto* e = model::Schema::builtin().find_enum(enum_name);
    if (!e) throw Error(Status::internal, "schema has no enum " + std::string(enum_name));
    return e->values;
}

int enum_index(std::string_view enum_name, std::string_view value) {
    const auto& v = enum_values(enum_name);
    auto it = std::find(v.begin(), v.end(), value);
    return it == v.end() ? -1 : int(it - v.begin());
}

Date date_from(std::string_view text, const std::string& field) {
    auto d = model::parse_date(text);
    if (!d) invalid(field + ": must be a date YYYY-MM-DD, got \"" + std::string(text) + "\"");
    return *d;
}

std::string date_text(Date d) { return model::format_date(d); }

int iso_weekday(Date d) {
    unsigned wd = std::chrono::weekday(d).c_encoding();  // 0 = Sunday
    return wd == 0 ? 7 : int(wd);
}

std::string weekday_name(int iso) {
    static const char* names[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    return iso >= 1 && iso <= 7 ? names[iso - 1] : "?";
}

// ---------------------------------------------------------------- catalog

bool Movement::has_tag(int tag) const { return tag >= 0 && std::binary_search(tags.begin(), tags.end(), tag); }

double Movement::magnitude_of(int muscle) const {
    for (const auto& l : muscles)
        if (l.muscle == muscle) return l.magnitude;
    return 0.0;
}

int Catalog::tag(std::string_view name) const {
    auto it = tag_index.find(std::string(name));
    return it == tag_index.end() ? -1 : it->second;
}

int Catalog::muscle(std::string_view name) const {
    auto it = muscle_index.find(std::string(name));
    return it == muscle_index.end() ? -1 : it->second;
}

const Movement* Catalog::find(int64_t id) const {
    auto it = by_id.find(id);
    return it == by_id.end() ? nullptr : &movements[size_t(it->second)];
}

namespace {

std::string text_or(sqlite::Column c, const std::string& fallback = "") { return c.isNull() ? fallback : c.getString(); }
double real_or(sqlite::Column c, double fallback) { return c.isNull() ? fallback : c.getDouble(); }

}  // namespace

Catalog load_catalog(store::Database& db) {
    Catalog c;
    {
        auto& q = db.prepare("SELECT id, name, body_region FROM muscles ORDER BY id");
        std::unordered_map<int64_t, int> unused;
        while (q.executeStep()) {
            c.muscle_index[q.getColumn(1).getString()] = int(c.muscles.size());
            c.muscles.push_back(q.getColumn(1).getString());
            c.muscle_region.push_back(text_or(q.getColumn(2)));
        }
    }
    std::unordered_map<int64_t, int> muscle_by_id, equipment_by_id;
    {
        auto& q = db.prepare("SELECT id, name FROM muscles ORDER BY id");
        while (q.executeStep()) muscle_by_id[q.getColumn(0).getInt64()] = c.muscle_index[q.getColumn(1).getString()];
    }
    {
        auto& q = db.prepare("SELECT id, name FROM equipment ORDER BY id");
        while (q.executeStep()) {
            equipment_by_id[q.getColumn(0).getInt64()] = int(c.equipment.size());
            c.equipment_index[q.getColumn(1).getString()] = int(c.equipment.size());
            c.equipment.push_back(q.getColumn(1).getString());
        }
        auto it = c.equipment_index.find("bodyweight");
        c.bodyweight = it == c.equipment_index.end() ? -1 : it->second;
    }
    {
        auto& q = db.prepare(
            "SELECT id, name, pattern, block_type, primary_muscle, primary_region, cns_load, skill_level, "
            "spinal_compression, metric_type, fatigue_factor, stimulus_factor, injury_risk_factor FROM movements ORDER BY id");
        while (q.executeStep()) {
            Movement m;
            m.id = q.getColumn(0).getInt64();
            m.name = text_or(q.getColumn(1), "movement " + std::to_string(m.id));
            m.pattern = enum_index("movement_pattern", text_or(q.getColumn(2)));
            m.block_type = text_or(q.getColumn(3));
            m.primary_muscle = c.muscle(text_or(q.getColumn(4)));
            m.region = text_or(q.getColumn(5));
            int cns = enum_index("cns_load", text_or(q.getColumn(6)));
            m.cns = cns < 0 ? 2 : cns;  // unknown demand: moderate
            m.skill = std::max(0, enum_index("skill_level", text_or(q.getColumn(7))));
            m.spinal = std::max(0, enum_index("spinal_compression", text_or(q.getColumn(8))));
            m.metric = text_or(q.getColumn(9), "reps");
            m.fatigue = real_or(q.getColumn(10), 1.0);
            m.stimulus = real_or(q.getColumn(11), 1.0);
            m.risk = real_or(q.getColumn(12), 0.1);
            c.by_id[m.id] = int(c.movements.size());
            c.movements.push_back(std::move(m));
        }
    }
    {
        auto& q = db.prepare("SELECT movement_id, muscle_id, role, magnitude FROM movement_muscle_map ORDER BY movement_id, magnitude DESC, id");
        while (q.executeStep()) {
            auto mv = c.by_id.find(q.getColumn(0).getInt64());
            auto mu = muscle_by_id.find(q.getColumn(1).getInt64());
            if (mv == c.by_id.end() || mu == muscle_by_id.end()) continue;
            std::string role = text_or(q.getColumn(2), "secondary");
            int r = role == "primary" ? 0 : role == "stabilizer" ? 2 : 1;
            c.movements[size_t(mv->second)].muscles.push_back({mu->second, r, real_or(q.getColumn(3), 1.0)});
        }
        // The primary muscle always counts as primary, even when the map lacks it.
        for (auto& m : c.movements)
            if (m.primary_muscle >= 0 && m.magnitude_of(m.primary_muscle) == 0.0) m.muscles.insert(m.muscles.begin(), {m.primary_muscle, 0, 1.0});
    }
    {
        auto& q = db.prepare("SELECT movement_id, tag FROM movement_tags ORDER BY tag");
        while (q.executeStep()) {
            auto mv = c.by_id.find(q.getColumn(0).getInt64());
            if (mv == c.by_id.end()) continue;
            std::string tag = q.getColumn(1).getString();
            auto [it, fresh] = c.tag_index.emplace(tag, int(c.tags.size()));
            if (fresh) c.tags.push_back(tag);
            c.movements[size_t(mv->second)].tags.push_back(it->second);
        }
        for (auto& m : c.movements) std::sort(m.tags.begin(), m.tags.end());
        int ballistic = c.tag("ballistic");
        for (auto& m : c.movements) m.power = m.block_type == "power" || (ballistic >= 0 && m.has_tag(ballistic));
    }
    {
        auto& q = db.prepare("SELECT movement_id, equipment_id FROM movement_equipment ORDER BY id");
        while (q.executeStep()) {
            auto mv = c.by_id.find(q.getColumn(0).getInt64());
            auto eq = equipment_by_id.find(q.getColumn(1).getInt64());
            if (mv != c.by_id.end() && eq != equipment_by_id.end()) c.movements[size_t(mv->second)].equipment.push_back(eq->second);
        }
    }
    {
        auto& q = db.prepare("SELECT movement_id, discipline_id FROM movement_disciplines ORDER BY id");
        while (q.executeStep()) {
            auto mv = c.by_id.find(q.getColumn(0).getInt64());
            if (mv != c.by_id.end()) c.movements[size_t(mv->second)].disciplines.push_back(q.getColumn(1).getInt64());
        }
    }
    c.links.resize(c.movements.size());
    {
        auto& q = db.prepare("SELECT movement_1_id, movement_2_id, relationship_type, severity FROM movement_relationships ORDER BY id");
        while (q.executeStep()) {
            auto a = c.by_id.find(q.getColumn(0).getInt64());
            auto b = c.by_id.find(q.getColumn(1).getInt64());
            int type = enum_index("relationship_type", text_or(q.getColumn(2)));
            if (a == c.by_id.end() || b == c.by_id.end() || type < 0 || a->second == b->second) continue;
            double sev = real_or(q.getColumn(3), 0.5);
            c.links[size_t(a->second)].push_back({b->second, Relation(type), sev, true});
            c.links[size_t(b->second)].push_back({a->second, Relation(type), sev, false});
        }
    }
    {
        std::unordered_map<std::string, int> by_name;
        for (size_t i = 0; i < c.movements.size(); ++i) by_name.emplace(c.movements[i].name, int(i));
        auto& q = db.prepare(
            "SELECT id, name, circuit_type, exercises_json, default_rounds, default_duration_seconds, fatigue_factor, "
            "stimulus_factor, difficulty_tier FROM circuit_templates ORDER BY id");
        while (q.executeStep()) {
            Circuit ct;
            ct.id = q.getColumn(0).getInt64();
            ct.name = text_or(q.getColumn(1));
            ct.type = text_or(q.getColumn(2));
            json entries = json::parse(text_or(q.getColumn(3), "[]"), nullptr, false);
            bool ok = entries.is_array() && !entries.empty();
            if (ok)
                for (const auto& e : entries) {
                    auto it = e.is_object() && e.contains("movement") && e["movement"].is_string() ? by_name.find(e["movement"].get<std::string>())
                                                                                                    : by_name.end();
                    if (it == by_name.end()) {
                        ok = false;
                        break;
                    }
                    ct.movements.push_back(it->second);
                    ct.entries.push_back(e);
                }
            ct.rounds = q.getColumn(4).isNull() ? 1 : std::max(1, q.getColumn(4).getInt());
            ct.duration_s = q.getColumn(5).isNull() ? 0 : q.getColumn(5).getInt();
            ct.fatigue = real_or(q.getColumn(6), 1.0);
            ct.stimulus = real_or(q.getColumn(7), 1.0);
            ct.difficulty = q.getColumn(8).isNull() ? 1 : q.getColumn(8).getInt();
            if (!ok || ct.duration_s <= 0) continue;  // unusable: no time estimate or unknown movements
            c.circuit_by_id[ct.id] = int(c.circuits.size());
            c.circuits.push_back(std::move(ct));
        }
    }
    return c;
}

// ---------------------------------------------------------------- user data

UserData load_user(store::Database& db, const Catalog& catalog, int64_t user_id, Date as_of, int lookback_days) {
    UserData u;
    u.id = user_id;
    {
        auto& q = db.prepare("SELECT experience_level, persona_tone, persona_aggression FROM users WHERE id = ?");
        q.bind(1, static_cast<int64_t>(user_id));
        if (!q.executeStep()) throw Error(Status::not_found, "user_id: no user " + std::to_string(user_id));
        u.experience = text_or(q.getColumn(0), "beginner");
        u.tone = text_or(q.getColumn(1), "supportive");
        u.aggression = q.getColumn(2).isNull() ? 3 : std::clamp(q.getColumn(2).getInt(), 1, 5);
    }
    {
        auto& q = db.prepare("SELECT active_e1rm_formula, use_metric FROM user_settings WHERE user_id = ?");
        q.bind(1, static_cast<int64_t>(user_id));
        if (q.executeStep()) {
            u.formula = text_or(q.getColumn(0), "epley");
            u.metric = q.getColumn(1).isNull() || q.getColumn(1).getInt() != 0;
        }
    }
    {
        auto& q = db.prepare("SELECT movement_id, rule_type FROM user_movement_rules WHERE user_id = ? AND movement_id IS NOT NULL AND rule_type IS NOT NULL ORDER BY id");
        q.bind(1, static_cast<int64_t>(user_id));
        std::set<std::pair<int, std::string>> seen;
        while (q.executeStep()) {
            auto it = catalog.by_id.find(q.getColumn(0).getInt64());
            if (it == catalog.by_id.end()) continue;
            Rule r{it->second, q.getColumn(1).getString()};
            if (seen.insert({r.movement, r.type}).second) u.rules.push_back(r);
        }
    }
    {
        auto& q = db.prepare("SELECT body_part, severity, description FROM user_injuries WHERE user_id = ? AND body_part IS NOT NULL ORDER BY id");
        q.bind(1, static_cast<int64_t>(user_id));
        while (q.executeStep()) u.injuries.push_back({q.getColumn(0).getString(), real_or(q.getColumn(1), 1.0), text_or(q.getColumn(2))});
    }
    {
        auto& q = db.prepare("SELECT discipline_id, skill_level FROM user_skills WHERE user_id = ? AND discipline_id IS NOT NULL AND skill_level IS NOT NULL");
        q.bind(1, static_cast<int64_t>(user_id));
        while (q.executeStep()) u.discipline_skill[q.getColumn(0).getInt64()] = std::max(0, enum_index("skill_level", q.getColumn(1).getString()));
    }
    {
        auto& q = db.prepare("SELECT d.name FROM user_skills s JOIN disciplines d ON d.id = s.discipline_id WHERE s.user_id = ? ORDER BY d.name");
        q.bind(1, static_cast<int64_t>(user_id));
        while (q.executeStep()) u.skill_disciplines.push_back(text_or(q.getColumn(0)));
    }
    {
        auto& q = db.prepare("SELECT long_term_goal_description, discipline_preferences FROM user_profiles WHERE user_id = ?");
        q.bind(1, static_cast<int64_t>(user_id));
        if (q.executeStep()) {
            u.long_term_goal = text_or(q.getColumn(0));
            // The discipline the user prefers most (discipline name -> preference score).
            json prefs = json::parse(text_or(q.getColumn(1), "{}"), nullptr, false);
            double best = 0;
            if (prefs.is_object())
                for (const auto& [name, score] : prefs.items())
                    if (score.is_number() && score.get<double>() > best) best = score.get<double>(), u.top_discipline = name;
        }
    }
    {
        auto& q = db.prepare("SELECT movement_id, activity, planned_weekdays, enjoyment_score FROM user_enjoyable_activities WHERE user_id = ? ORDER BY id");
        q.bind(1, static_cast<int64_t>(user_id));
        while (q.executeStep()) {
            double score = real_or(q.getColumn(3), 0.5);
            if (!q.getColumn(0).isNull()) {
                auto it = catalog.by_id.find(q.getColumn(0).getInt64());
                if (it != catalog.by_id.end()) u.enjoyed_movements[it->second] = std::max(u.enjoyed_movements[it->second], score);
            }
            if (q.getColumn(1).isNull()) continue;
            EnjoyedActivity a{q.getColumn(1).getString(), {}, score};
            json days = json::parse(text_or(q.getColumn(2), "[]"), nullptr, false);
            if (days.is_array())
                for (const auto& d : days)
                    if (d.is_number_integer() && d.get<int>() >= 1 && d.get<int>() <= 7) a.weekdays.push_back(d.get<int>());
            std::sort(a.weekdays.begin(), a.weekdays.end());
            a.weekdays.erase(std::unique(a.weekdays.begin(), a.weekdays.end()), a.weekdays.end());
            u.activities.push_back(std::move(a));
        }
    }
    {
        // Activities actually done (the user's through their session, or through the provider record
        // an ingested one came from), a duplicate linked as a substitution left out (as src/training).
        auto& q = db.prepare(R"(
SELECT ad.enjoyable_activity, COALESCE(s.date, substr(a.completed_at, 1, 10)) AS d
FROM activity_instances a JOIN activity_definitions ad ON ad.id = a.activity_definition_id
LEFT JOIN sessions s ON s.id = a.session_id
WHERE a.completed = 1 AND ad.enjoyable_activity IS NOT NULL AND d BETWEEN ?2 AND ?3
  AND (s.user_id = ?1 OR (a.session_id IS NULL AND EXISTS (SELECT 1 FROM external_activity_records e
                                                           WHERE e.processed_to_instance_id = a.id AND e.user_id = ?1)))
  AND NOT EXISTS (SELECT 1 FROM activity_instance_links l WHERE l.source_activity_instance_id = a.id AND l.link_type = 'substitution')
ORDER BY d, a.id)");
        q.bind(1, static_cast<int64_t>(user_id));
        q.bind(2, date_text(as_of - std::chrono::days(14)));
        q.bind(3, date_text(as_of));
        while (q.executeStep()) {
            auto d = model::parse_date(q.getColumn(1).getString());
            if (!d) continue;
            const std::string key = q.getColumn(0).getString();
            auto it = std::find_if(u.activities.begin(), u.activities.end(), [&](const EnjoyedActivity& a) { return a.activity == key; });
            if (it == u.activities.end()) it = u.activities.insert(u.activities.end(), EnjoyedActivity{key, {}, 0.5, {}});
            if (std::find(it->done.begin(), it->done.end(), *d) == it->done.end()) it->done.push_back(*d);
        }
        q.tryReset();
    }
    {
        auto& q = db.prepare("SELECT pattern_type, consecutive_exposures, last_exposure_date FROM pattern_exposure WHERE user_id = ?");
        q.bind(1, static_cast<int64_t>(user_id));
        while (q.executeStep()) {
            int p = enum_index("movement_pattern", text_or(q.getColumn(0)));
            if (p < 0 || q.getColumn(2).isNull()) continue;
            auto last = model::parse_date(q.getColumn(2).getString());
            if (!last || (as_of - *last).count() > lookback_days) continue;  // only recent exposure matters
            u.pattern_consecutive[p] = q.getColumn(1).getInt();
        }
    }
    {
        // Logged sets with the date of their workout (or of the log row).
        auto& q = db.prepare(
            "SELECT t.movement_id, COALESCE(w.workout_date, s.date, substr(t.created_at, 1, 10)), t.reps, t.load_kg, t.rpe "
            "FROM top_set_logs t LEFT JOIN workout_logs w ON w.id = t.workout_log_id LEFT JOIN sessions s ON s.id = t.session_id "
            "WHERE t.user_id = ? AND t.movement_id IS NOT NULL AND t.reps >= 1 AND t.load_kg IS NOT NULL ORDER BY 2, t.id");
        q.bind(1, static_cast<int64_t>(user_id));
        while (q.executeStep()) {
            auto it = catalog.by_id.find(q.getColumn(0).getInt64());
            auto d = model::parse_date(text_or(q.getColumn(1)));
            if (it == catalog.by_id.end() || !d || *d > as_of) continue;
            u.sets.push_back({it->second, *d, q.getColumn(2).getInt(), q.getColumn(3).getDouble(), real_or(q.getColumn(4), 0.0)});
            u.recent_movements[it->second] = *d;
        }
    }
    {
        // Movements planned in the lookback window before as_of count as recent for variety.
        auto& q = db.prepare(
            "SELECT e.movement_id, s.date FROM session_exercises e JOIN sessions s ON s.id = e.session_id "
            "WHERE s.user_id = ? AND s.date >= ? AND s.date < ? AND e.role IN ('accessory', 'finisher') AND e.movement_id IS NOT NULL");
        q.bind(1, static_cast<int64_t>(user_id));
        q.bind(2, date_text(as_of - std::chrono::days(lookback_days)));
        q.bind(3, date_text(as_of));
        while (q.executeStep()) {
            auto it = catalog.by_id.find(q.getColumn(0).getInt64());
            auto d = model::parse_date(q.getColumn(1).getString());
            if (it == catalog.by_id.end() || !d) continue;
            auto& last = u.recent_movements[it->second];
            last = std::max(last, *d);
        }
        for (auto it = u.recent_movements.begin(); it != u.recent_movements.end();)
            it = (as_of - it->second).count() > lookback_days ? u.recent_movements.erase(it) : std::next(it);
    }
    return u;
}

// ---------------------------------------------------------------- eligibility

bool loads_part(const Catalog& c, const PlanParams& p, const Movement& m, std::string_view part) {
    auto loads_muscle = [&](int muscle) {
        for (const auto& l : m.muscles)
            if (l.muscle == muscle && (l.role == 0 || l.magnitude >= p.muscle_threshold)) return true;
        return false;
    };
    auto joint = p.joints.find(part);
    if (joint == p.joints.end()) {
        int muscle = c.muscle(part);
        return muscle >= 0 && loads_muscle(muscle);
    }
    const JointRule& j = joint->second;
    if (std::find(j.patterns.begin(), j.patterns.end(), m.pattern) != j.patterns.end()) return true;
    for (int t : j.tags)
        if (m.has_tag(t)) return true;
    for (int mu : j.muscles)
        if (loads_muscle(mu)) return true;
    return j.spinal_min >= 0 && m.spinal >= j.spinal_min;
}

int skill_cap(const Context& ctx, const Movement& m) {
    int cap = -1;
    for (int64_t d : m.disciplines) {
        auto it = ctx.user.discipline_skill.find(d);
        if (it != ctx.user.discipline_skill.end()) cap = std::max(cap, it->second);
    }
    if (cap >= 0) return cap;
    auto it = ctx.params.skill_max_for_experience.find(ctx.user.experience);
    return it == ctx.params.skill_max_for_experience.end() ? 0 : it->second;
}

bool has_named_tag(const Catalog& c, const Movement& m, const std::string& tag) { return m.has_tag(c.tag(tag)); }

bool loadable(const Catalog& c, const CoachParams& k, const Movement& m) {
    for (int e : m.equipment)
        if (std::find(k.loadable_equipment.begin(), k.loadable_equipment.end(), c.equipment[size_t(e)]) != k.loadable_equipment.end()) return true;
    return false;
}

bool is_power(const Movement& m) { return m.power; }

// A main slot holds a loadable compound strength lift: the catalog's main_lift tag says which.
bool main_lift(const Catalog& c, const CoachParams& k, const Movement& m) { return has_named_tag(c, m, k.main_lift_tag) && !is_power(m); }

const std::string& dominant_goal(const Request& r) {
    const GoalWeight* best = &r.goals.front();
    for (const auto& g : r.goals)
        if (g.weight > best->weight) best = &g;
    return best->goal;
}

int goal_weight(const Request& r, const std::vector<std::string>& goals) {
    int w = 0;
    for (const auto& g : r.goals)
        if (std::find(goals.begin(), goals.end(), g.goal) != goals.end()) w += g.weight;
    return w;
}

std::vector<std::pair<int, float>> group_volume(const CoachParams& k, const Movement& m) {
    std::vector<std::pair<int, float>> out;
    for (size_t g = 0; g < k.groups.size(); ++g) {
        double best = 0;
        for (const auto& l : m.muscles)
            if (std::find(k.group_muscles[g].begin(), k.group_muscles[g].end(), l.muscle) != k.group_muscles[g].end())
                best = std::max(best, l.role == 0 ? 1.0 : l.role == 1 ? k.secondary_set : 0.0);
        if (best > 0) out.push_back({int(g), float(best)});
    }
    return out;
}

Eligibility eligibility(const Context& ctx, const std::vector<GroupRef>& off) {
    const Catalog& c = ctx.catalog;
    const PlanParams& p = ctx.params;
    auto is_off = [&](Group g, int index = 0) { return std::find(off.begin(), off.end(), GroupRef{g, index}) != off.end(); };
    size_t n = c.movements.size();
    Eligibility e;
    e.allowed.assign(n, true);
    e.reduced.assign(n, false);
    e.spares_injuries.assign(n, true);
    e.replaced_by.assign(n, -1);
    e.excluded_by.assign(n, {});
    e.required.assign(n, false);

    std::vector<bool> available(c.equipment.size(), false);
    for (int eq : ctx.request.equipment) available[size_t(eq)] = true;
    if (c.bodyweight >= 0) available[size_t(c.bodyweight)] = true;

    for (size_t i = 0; i < ctx.user.rules.size(); ++i) {
        const Rule& r = ctx.user.rules[i];
        if (r.type == "hard_no" && !is_off(Group::hard_no, int(i))) e.excluded_by[size_t(r.movement)].push_back({Group::hard_no, int(i)});
        if ((r.type == "hard_yes" || r.type == "preferred") && !is_off(Group::rule, int(i))) e.required[size_t(r.movement)] = true;
    }
    // Which injured parts each movement loads (computed once; used three ways below).
    std::vector<std::vector<int>> loads(n);
    for (size_t m = 0; m < n; ++m)
        for (size_t k = 0; k < ctx.user.injuries.size(); ++k)
            if (loads_part(c, p, c.movements[m], ctx.user.injuries[k].part)) loads[m].push_back(int(k));

    for (size_t m = 0; m < n; ++m) {
        const Movement& mv = c.movements[m];
        if (!is_off(Group::equipment))
            for (int eq : mv.equipment)
                if (!available[size_t(eq)]) {
                    e.excluded_by[m].push_back({Group::equipment, 0});
                    break;
                }
        if (!is_off(Group::skill) && mv.skill > skill_cap(ctx, mv)) e.excluded_by[m].push_back({Group::skill, 0});
        for (int k : loads[m]) {
            if (is_off(Group::injury, k)) continue;
            e.spares_injuries[m] = false;
            if (ctx.user.injuries[size_t(k)].severity >= p.injury_exclude) e.excluded_by[m].push_back({Group::injury, k});
        }
        e.allowed[m] = e.excluded_by[m].empty();
    }
    // Mild injuries: a movement that loads the part is replaced by the nearest regression (within
    // injury.regression_max_steps) that spares every injured part and is itself allowed; without
    // one it stays at reduced load. Rule movements (hard_yes/preferred) stay at reduced load.
    for (size_t m = 0; m < n; ++m) {
        if (!e.allowed[m] || e.spares_injuries[m]) continue;
        int found = -1;
        std::deque<std::pair<int, int>> queue{{int(m), 0}};
        std::vector<int> seen{int(m)};
        while (!queue.empty() && found < 0) {
            auto [cur, depth] = queue.front();
            queue.pop_front();
            if (depth >= p.regression_steps) continue;
            for (const Link& l : c.links[size_t(cur)]) {
                if (l.type != Relation::regression || !l.forward) continue;
                if (std::find(seen.begin(), seen.end(), l.other) != seen.end()) continue;
                seen.push_back(l.other);
                if (e.allowed[size_t(l.other)] && e.spares_injuries[size_t(l.other)]) {
                    found = l.other;
                    break;
                }
                queue.push_back({l.other, depth + 1});
            }
        }
        if (found >= 0 && !e.required[m]) {
            e.allowed[m] = false;
            e.replaced_by[m] = found;
            for (int k : loads[m])
                if (!is_off(Group::injury, k)) e.excluded_by[m].push_back({Group::injury, k});
        } else {
            e.reduced[m] = true;
        }
    }
    return e;
}

}  // namespace gainsly::plan
