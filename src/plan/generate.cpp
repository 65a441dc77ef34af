// generate(): request -> layout of microcycles -> one solved template per block (the weeks between
// deloads) -> weekly sessions with progression -> verification -> one savepoint -> report.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "math/e1rm.hpp"
#include "math/fatigue.hpp"
#include "math/strength.hpp"
#include "model/error.hpp"
#include "plan/persist.hpp"
#include "plan/plan.hpp"
#include "plan/program.hpp"
#include "store/heuristics.hpp"

namespace gainsly::plan {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

// Share (0..1) of what a session of `type` on ISO weekday `wd` would train (its patterns other
// than isolation, and its isolation muscles) that a hard interference window of a planned
// activity forbids that day: e.g. an upper day right after bouldering loses its pulls.
double interference_share(const Context& ctx, const std::string& type, int wd) {
    const PlanParams& p = ctx.params;
    const json& sp = p.session_patterns.contains(type) ? p.session_patterns[type] : p.session_patterns["full_body"];
    std::set<int> patterns, muscles, blocked_patterns, blocked_muscles;
    for (const auto& n : sp.value("patterns", json::array()))
        if (n.is_string() && n != "isolation") patterns.insert(enum_index("movement_pattern", n.get<std::string>()));
    for (const auto& n : sp.value("isolation_muscles", json::array()))
        if (n.is_string()) muscles.insert(ctx.catalog.muscle(n.get<std::string>()));
    if (patterns.size() + muscles.size() == 0) return 0;
    for (const auto& act : ctx.user.activities) {
        auto it = p.interference.find(act.activity);
        if (it == p.interference.end()) continue;
        for (int ad : act.weekdays)
            for (int a_off : {ad - 7, ad, ad + 7}) {
                int delta = a_off - wd;  // > 0: the session is before the activity
                for (const Window& w : it->second) {
                    if (w.severity < p.interference_hard || !w.covers(delta)) continue;
                    if (w.pattern >= 0 && patterns.count(w.pattern)) blocked_patterns.insert(w.pattern);
                    if (w.muscle >= 0 && muscles.count(w.muscle)) blocked_muscles.insert(w.muscle);
                }
            }
    }
    return double(blocked_patterns.size() + blocked_muscles.size()) / double(patterns.size() + muscles.size());
}

// Weekdays for a request that only gives days_per_week: evenly spread (no back-to-back days
// where avoidable), away from planned activity days and their interference windows (given the
// session types the split's rotation puts on each day); ties go to the earliest days.
std::vector<int> choose_weekdays(const Context& ctx, int n, int start_wd, const json& rotation) {
    std::set<int> activity;
    for (const auto& a : ctx.user.activities)
        for (int d : a.weekdays) activity.insert(d);
    std::map<std::pair<std::string, int>, double> share;  // (type, weekday) -> interference_share
    std::vector<int> best;
    double best_score = 1e18;
    for (int mask = 1; mask < 128; ++mask) {
        if (__builtin_popcount(unsigned(mask)) != n) continue;
        std::vector<int> days;
        for (int d = 0; d < 7; ++d)
            if (mask & (1 << d)) days.push_back(d + 1);
        double score = 0;
        for (size_t i = 0; i < days.size() && n > 1; ++i) {
            int gap = (days[(i + 1) % days.size()] - days[i] + 7) % 7;
            if (gap == 0) gap = 7;
            if (gap == 1) score += 1.0;           // back-to-back sessions
            if (gap > 2) score += 0.5 * (gap - 2);  // long breaks
        }
        for (int d : days)
            if (activity.count(d)) score += 2.0;
        std::vector<int> ordered = days;  // the rotation's order: from the start weekday
        std::sort(ordered.begin(), ordered.end(), [&](int a, int b) { return (a - start_wd + 7) % 7 < (b - start_wd + 7) % 7; });
        for (size_t i = 0; i < ordered.size() && rotation.is_array() && i < rotation.size(); ++i) {
            if (!rotation[i].is_string()) continue;
            auto key = std::make_pair(rotation[i].get<std::string>(), ordered[i]);
            auto it = share.find(key);
            if (it == share.end()) it = share.emplace(key, interference_share(ctx, key.first, key.second)).first;
            score += 8.0 * it->second;
        }
        if (score < best_score - 1e-9) best_score = score, best = days;
    }
    return best;
}

struct Block {
    std::vector<WeekSpec> weeks;
};

std::vector<Block> schedule(const Context& ctx, bool early) {
    const PlanParams& p = ctx.params;
    std::vector<WeekSpec> weeks;
    int since = 0;
    for (int w = 1; w <= ctx.request.weeks; ++w) {
        WeekSpec s;
        s.week = w;
        if (w == 1 && early) {
            s.deload = s.early_deload = true;
        } else if (p.deload_every >= 2 && since == p.deload_every - 1) {
            s.deload = true;
            since = 0;
        } else {
            ++since;
        }
        weeks.push_back(s);
    }
    // A block ends with its deload week (an early deload opens the first block instead).
    std::vector<Block> blocks(1);
    for (const auto& s : weeks) {
        blocks.back().weeks.push_back(s);
        if (s.deload && !s.early_deload && s.week != ctx.request.weeks) blocks.emplace_back();
    }
    for (auto& b : blocks) {
        int loading = 0;
        for (const auto& s : b.weeks) loading += s.deload ? 0 : 1;
        int index = 0;
        for (auto& s : b.weeks) {
            s.loading_weeks = std::max(1, loading);
            s.loading_index = s.deload ? std::max(0, index - 1) : index;
            if (!s.deload) ++index;
            if (s.early_deload) s.loading_index = 0;
        }
    }
    return blocks;
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
    return out;
}

std::string days_text(const std::vector<int>& weekdays) {
    std::vector<std::string> names;
    for (int d : weekdays) names.push_back(weekday_name(d));
    return "[" + join(names, ", ") + "]";
}

std::string group_text(const Context& ctx, const GroupRef& g) {
    const Catalog& c = ctx.catalog;
    char buf[64];
    switch (g.group) {
        case Group::rule:
        case Group::hard_no: {
            const Rule& r = ctx.user.rules[size_t(g.index)];
            return r.type + " " + c.movements[size_t(r.movement)].name;
        }
        case Group::injury: {
            const Injury& i = ctx.user.injuries[size_t(g.index)];
            std::snprintf(buf, sizeof buf, "%g", i.severity);
            return "injury " + i.part + " (severity " + buf + ")";
        }
        case Group::equipment: {
            std::vector<std::string> names;
            for (int e : ctx.request.equipment)
                if (e != c.bodyweight || ctx.request.equipment.size() == 1) names.push_back(c.equipment[size_t(e)]);
            return "equipment [" + join(names, ", ") + "]";
        }
        case Group::skill: {
            auto it = ctx.params.skill_max_for_experience.find(ctx.user.experience);
            std::string cap = it == ctx.params.skill_max_for_experience.end() ? "?" : enum_values("skill_level")[size_t(it->second)];
            return "skill level (" + ctx.user.experience + ": up to " + cap + ")";
        }
        case Group::session_minutes: return "session_minutes " + std::to_string(ctx.request.session_minutes);
        case Group::cns:
            std::snprintf(buf, sizeof buf, "%g", math::cns_daily_budget(ctx.user.aggression, ctx.params.math.cns));
            return std::string("daily CNS budget ") + buf + " (persona_aggression " + std::to_string(ctx.user.aggression) + ")";
        case Group::daily_limits:
            return "daily limits (" + std::to_string(ctx.params.olympic_max) + " olympic, " + std::to_string(ctx.params.plyometric_max) +
                   " plyometric, " + std::to_string(ctx.params.very_high_max) + " very_high CNS)";
        case Group::interference: {
            const auto& a = ctx.user.activities[size_t(g.index)];
            return "interference window of " + a.activity + " " + days_text(a.weekdays);
        }
        case Group::days: return "days";
    }
    return "?";
}

// QuickXplain (Junker 2004): a minimal subset of `candidates` that is inconsistent together with
// `background`.
std::vector<GroupRef> quickxplain(const std::function<bool(const std::vector<GroupRef>&)>& consistent, std::vector<GroupRef> background,
                                  bool has_delta, const std::vector<GroupRef>& candidates) {
    if (has_delta && !consistent(background)) return {};
    if (candidates.size() == 1) return candidates;
    size_t half = candidates.size() / 2;
    std::vector<GroupRef> c1(candidates.begin(), candidates.begin() + long(half)), c2(candidates.begin() + long(half), candidates.end());
    std::vector<GroupRef> b1 = background;
    b1.insert(b1.end(), c1.begin(), c1.end());
    std::vector<GroupRef> d2 = quickxplain(consistent, b1, !c1.empty(), c2);
    std::vector<GroupRef> b2 = background;
    b2.insert(b2.end(), d2.begin(), d2.end());
    std::vector<GroupRef> d1 = quickxplain(consistent, b2, !d2.empty(), c1);
    d1.insert(d1.end(), d2.begin(), d2.end());
    return d1;
}

}  // namespace

std::string explain_infeasible(const Context& ctx, const Layout& layout, const std::vector<int>& weekdays) {
    // A rule whose movement is excluded outright: name every constraint that excludes it.
    Planner full(ctx);
    for (size_t i = 0; i < ctx.user.rules.size(); ++i) {
        const Rule& r = ctx.user.rules[i];
        if (r.type != "hard_yes" && r.type != "preferred") continue;
        const auto& why = full.elig.excluded_by[size_t(r.movement)];
        if (why.empty()) continue;
        std::vector<std::string> parts;
        for (const auto& g : why) {
            std::string text = group_text(ctx, g);
            if (g.group == Group::equipment) {  // say what is missing
                std::vector<std::string> missing;
                for (int e : ctx.catalog.movements[size_t(r.movement)].equipment)
                    if (!std::binary_search(ctx.request.equipment.begin(), ctx.request.equipment.end(), e)) missing.push_back(ctx.catalog.equipment[size_t(e)]);
                text += " (needs " + join(missing, ", ") + ")";
            }
            parts.push_back(text);
        }
        return r.type + " " + ctx.catalog.movements[size_t(r.movement)].name + " conflicts with " + join(parts, " and ");
    }
    std::vector<GroupRef> all;
    std::set<int> required;
    for (size_t i = 0; i < ctx.user.rules.size(); ++i)
        if (ctx.user.rules[i].type == "hard_yes" || ctx.user.rules[i].type == "preferred") {
            all.push_back({Group::rule, int(i)});
            required.insert(ctx.user.rules[i].movement);
        }
    for (size_t i = 0; i < ctx.user.rules.size(); ++i)
        if (ctx.user.rules[i].type == "hard_no" && required.count(ctx.user.rules[i].movement)) all.push_back({Group::hard_no, int(i)});
    for (size_t k = 0; k < ctx.user.injuries.size(); ++k) all.push_back({Group::injury, int(k)});
    all.push_back({Group::equipment, 0});
    all.push_back({Group::skill, 0});
    all.push_back({Group::session_minutes, 0});
    all.push_back({Group::cns, 0});
    all.push_back({Group::daily_limits, 0});
    for (size_t a = 0; a < ctx.user.activities.size(); ++a)
        if (!ctx.user.activities[a].weekdays.empty()) all.push_back({Group::interference, int(a)});

    auto consistent = [&](const std::vector<GroupRef>& active) {
        std::vector<GroupRef> off;
        for (const auto& g : all)
            if (std::find(active.begin(), active.end(), g) == active.end()) off.push_back(g);
        Planner planner(ctx, off);
        return feasible(build_week(planner, layout, off));
    };
    std::vector<GroupRef> conflict = quickxplain(consistent, {}, false, all);
    std::vector<std::string> rules, others;
    bool per_day = false;
    for (const auto& g : conflict) {
        if (g.group == Group::rule) rules.push_back(group_text(ctx, g));
        else others.push_back(group_text(ctx, g));
        per_day = per_day || g.group == Group::session_minutes || g.group == Group::cns || g.group == Group::daily_limits ||
                  g.group == Group::interference;
    }
    std::string days = " with " + std::to_string(weekdays.size()) + " session(s) on " + days_text(weekdays);
    if (!rules.empty() && !others.empty())
        return join(rules, ", ") + (rules.size() == 1 ? " conflicts with " : " conflict with ") + join(others, " and ") + (per_day ? days : "");
    if (!rules.empty())
        return join(rules, ", ") + " do not fit in " + std::to_string(weekdays.size()) + " session(s) of at most " +
               std::to_string(ctx.params.max_exercises) + " exercises" + days;
    if (!others.empty()) return join(others, " and ") + " leave no exercise that fits a session" + days;
    return "no plan satisfies every hard constraint" + days;
}

// Early deload: the pattern strength index from the user's logged top sets dropped by
// deload.strength_index_drop or more.
std::optional<std::string> early_deload_reason(const Context& ctx) {
    if (ctx.user.sets.empty()) return std::nullopt;
    math::Formula f = math::parse_formula(ctx.user.formula);
    std::map<std::pair<Date, int>, double> best;
    for (const auto& s : ctx.user.sets) {
        if (s.load <= 0) continue;
        const Movement& m = ctx.catalog.movements[size_t(s.movement)];
        double rpe = s.rpe >= 1 && s.rpe <= 10 ? s.rpe : 0.0;
        double e = math::e1rm(f, s.load, std::min(s.reps, ctx.params.math.e1rm.max_reps), rpe, ctx.params.math.e1rm);
        auto& b = best[{s.date, m.pattern}];
        b = std::max(b, e);
    }
    std::vector<math::PatternSample> samples;
    for (const auto& [key, e] : best)
        samples.push_back({enum_values("movement_pattern")[size_t(key.second)], key.first, e, int(key.first.time_since_epoch().count() / 7)});
    for (const auto& ps : math::pattern_strength(samples, std::nullopt, ctx.params.math.strength))
        if (ps.early_deload) {
            char buf[160];
            std::snprintf(buf, sizeof buf, "your %s strength index fell %.0f%%", ps.pattern.c_str(), -ps.change * 100);
            return std::string(buf);
        }
    return std::nullopt;
}

Layout block_layout(const Context& ctx, const std::vector<int>& weekdays, const std::vector<std::string>& types, const std::vector<WeekSpec>& weeks) {
    Layout layout;
    layout.cyclic = true;
    int start_wd = iso_weekday(ctx.request.start);
    for (size_t i = 0; i < weekdays.size(); ++i) {
        LayoutDay d;
        d.offset = (weekdays[i] - start_wd + 7) % 7;
        d.type = types[i];
        layout.days.push_back(d);
    }
    for (size_t a = 0; a < ctx.user.activities.size(); ++a)
        for (int wd : ctx.user.activities[a].weekdays) {
            int offset = (wd - start_wd + 7) % 7;
            for (int k = -1; k <= 1; ++k) layout.activity_days.push_back({int(a), offset + 7 * k});
        }
    layout.weeks = weeks;
    for (const auto& [m, d] : ctx.user.recent_movements) layout.recent.insert(m);
    return layout;
}

json generate(store::Database& db, const json& request) {
    auto t0 = Clock::now();
    Catalog catalog = load_catalog(db);
    PlanParams params = load_plan_params(store::read_heuristics(db), catalog);
    Request req = parse_request(db, catalog, request);
    UserData user = load_user(db, catalog, req.user_id, req.start, params.variety_lookback_days);
    Context ctx{catalog, params, user, req};

    int start_wd = iso_weekday(req.start);
    const json& rotation = params.split.value(req.split, json::object()).value(std::to_string(req.days_per_week), json::array());
    std::vector<int> weekdays = req.weekdays.empty() ? choose_weekdays(ctx, req.days_per_week, start_wd, rotation) : req.weekdays;
    std::sort(weekdays.begin(), weekdays.end(), [&](int a, int b) { return (a - start_wd + 7) % 7 < (b - start_wd + 7) % 7; });
    if (!rotation.is_array() || rotation.size() != weekdays.size())
        invalid("heuristic_configs.split." + req.split + ": no rotation for " + std::to_string(weekdays.size()) + " days");
    std::vector<std::string> types;
    for (const auto& t : rotation) {
        if (!t.is_string() || enum_index("session_type", t.get<std::string>()) < 0)
            invalid("heuristic_configs.split." + req.split + ": unknown session type " + t.dump());
        types.push_back(t.get<std::string>());
    }

    auto early = early_deload_reason(ctx);
    std::vector<Block> blocks = schedule(ctx, early.has_value());
    Planner planner(ctx);
    auto t_setup = ms_since(t0);

    PlannedProgram program;
    program.weekdays = weekdays;
    json block_reports = json::array();
    double objective = 0, solve_ms = 0;
    ObjectiveTerms terms_sum;
    int64_t nodes = 0;
    bool proven = true, time_hit = false;
    std::vector<std::pair<int, int>> previous_heavy;  // heavy patterns of the previous block's week
    std::set<int> previous_accessories;
    for (size_t b = 0; b < blocks.size(); ++b) {
        Layout layout = block_layout(ctx, weekdays, types, blocks[b].weeks);
        layout.external_heavy = previous_heavy;
        layout.recent.insert(previous_accessories.begin(), previous_accessories.end());
        WeekProblem wp = build_week(planner, layout);
        if (!feasible(wp)) throw Error(Status::infeasible, "infeasible: " + explain_infeasible(ctx, layout, weekdays));
        SolveOptions so;
        so.seed = req.seed * 1000003ULL + b;
        size_search(req, double(blocks[b].weeks.size()) / req.weeks, so);
        so.exact = req.exact;
        auto ts = Clock::now();
        Solution sol = solve(wp, so);
        solve_ms += ms_since(ts);
        std::string bad = violation(wp, sol.days);
        if (!bad.empty()) throw Error(Status::internal, "solver returned an invalid week: " + bad);
        double weight = double(blocks[b].weeks.size()) / req.weeks;
        objective += weight * sol.objective;
        terms_sum.unary += weight * sol.terms.unary;
        terms_sum.volume_in_window += weight * sol.terms.volume_in_window;
        terms_sum.volume_excess += weight * sol.terms.volume_excess;
        terms_sum.balance += weight * sol.terms.balance;
        terms_sum.repeats += weight * sol.terms.repeats;
        terms_sum.coverage += weight * sol.terms.coverage;
        nodes += sol.nodes;
        proven = proven && sol.proven_optimal;
        time_hit = time_hit || sol.time_limit_hit;
        block_reports.push_back({{"weeks", json::array()}, {"objective", sol.objective}, {"nodes", sol.nodes},
                                 {"lns_iterations", sol.lns_iterations}, {"lns_improvements", sol.lns_improvements},
                                 {"proven_optimal", sol.proven_optimal}});
        for (const auto& w : blocks[b].weeks) block_reports.back()["weeks"].push_back(w.week);

        previous_heavy.clear();
        previous_accessories.clear();
        for (size_t d = 0; d < wp.days.size(); ++d)
            for (int o : sol.days[d]) {
                const Option& x = wp.options[size_t(o)];
                if (x.heavy_pattern >= 0) previous_heavy.push_back({wp.days[d].offset - 7, x.heavy_pattern});
                if (x.movement >= 0 && x.role != Role::main) previous_accessories.insert(x.movement);
            }

        std::vector<std::vector<std::pair<int, int>>> pairs(wp.days.size());
        for (size_t d = 0; d < wp.days.size(); ++d) pairs[d] = superset_pairs(planner, wp, int(d), sol.days[d]);
        for (const auto& spec : blocks[b].weeks) {
            PlannedWeek week;
            week.spec = spec;
            week.start = req.start + std::chrono::days(7 * (spec.week - 1));
            if (spec.deload) {
                week.type = "deload";
                week.intensity_percent = 100 * params.deload_intensity;
                week.volume_percent = 100 * params.deload_volume;
                week.notes = spec.early_deload ? "Early deload: " + *early + "." : "Planned deload every " + std::to_string(params.deload_every) + " microcycles.";
            } else {
                week.type = spec.loading_index + 1 < spec.loading_weeks ? "accumulation" : spec.loading_weeks > 1 ? "intensification" : "accumulation";
                week.notes = "Loading week " + std::to_string(spec.loading_index + 1) + " of " + std::to_string(spec.loading_weeks) + ".";
            }
            for (size_t d = 0; d < wp.days.size(); ++d) {
                Date date = week.start + std::chrono::days(layout.days[d].offset);
                PlannedSession s = expand_day(planner, wp, sol.days[d], layout.days[d], spec, date, pairs[d]);
                s.day_number = layout.days[d].offset + 1;
                s.coach_notes = coach_notes(planner, s, spec, layout, layout.days[d], spec.early_deload ? "(" + *early + ")" : "");
                week.sessions.push_back(std::move(s));
            }
            program.weeks.push_back(std::move(week));
        }
    }

    json checks = verify(ctx, planner.elig, program);
    for (const auto& c : checks)
        if (!c["ok"].get<bool>()) throw Error(Status::internal, "planned program breaks hard constraint " + c["name"].get<std::string>() + ": " + c["violations"].dump());

    auto tw = Clock::now();
    json stored = request_json(req, catalog);
    stored["weekdays"] = weekdays;
    int64_t program_id = persist_program(db, ctx, program, stored);
    double write_ms = ms_since(tw);

    std::vector<std::string> day_names;
    for (int d : weekdays) day_names.push_back(weekday_name(d));
    json report = {{"program_id", program_id},
                   {"user_id", req.user_id},
                   {"name", req.name},
                   {"start_date", date_text(req.start)},
                   {"duration_weeks", req.weeks},
                   {"weekdays", weekdays},
                   {"weekday_names", day_names},
                   {"session_types", types},
                   {"split", req.split},
                   {"progression_style", req.progression_style},
                   {"objective", {{"value", objective},
                                  {"terms", {{"stimulus_enjoyment_variety", terms_sum.unary},
                                             {"volume_in_window", terms_sum.volume_in_window},
                                             {"volume_excess_penalty", terms_sum.volume_excess},
                                             {"balance_penalty", terms_sum.balance},
                                             {"repeat_penalty", terms_sum.repeats},
                                             {"staple_coverage", terms_sum.coverage}}},
                                  {"blocks", block_reports}}},
                   {"hard_constraints", checks},
                   {"proven_optimal", proven},
                   {"time_limit_hit", time_hit},
                   {"nodes", nodes},
                   {"seed", req.seed},
                   {"setup_ms", t_setup},
                   {"solve_ms", solve_ms},
                   {"write_ms", write_ms},
                   {"total_ms", ms_since(t0)}};
    report["coach"] = coach_report(planner, program);
    if (early) report["early_deload"] = *early;
    json weeks = json::array();
    for (const auto& w : program.weeks) {
        json ids = json::array();
        for (const auto& s : w.sessions) ids.push_back(s.id);
        weeks.push_back({{"week", w.spec.week}, {"microcycle_id", w.id}, {"deload", w.spec.deload}, {"session_ids", ids}});
    }
    report["microcycles"] = weeks;
    return report;
}

}  // namespace gainsly::plan
