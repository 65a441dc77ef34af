// adapt(): the next sessions of a program made lighter, or given their volume back, from the
// user's state, without re-solving the week (the movements stay; see plan.hpp for the request).
//
// Rules, per working row (main, accessory, skill, finisher; circuit stations and drills are left
// alone) of each chosen session:
// - reasons to lighten: (a) a red day: the readiness of `date` below plan.readiness.low_below, for
//   sessions dated `date` or the day after; (b) local: a muscle the movement loads (primary, or
//   magnitude >= injury.muscle_magnitude_threshold) is fatigued (>= plan.adapt.fatigued_from at the
//   end of the session's date) or sore (soreness_logs of date and the day before >= the moderate
//   readiness threshold), or a hard interference window (severity >= interference.hard_threshold)
//   of an activity done in the 7 days up to `date` covers the session and matches the movement.
// - steps = (a) + (b) (0..2). The row gets, from its planned prescription: sets -
//   max(steps, round(sets x plan.adapt.set_cut x steps)) (at least 1), RPE - steps x plan.adapt.rpe_drop (not
//   below 5 unless planned lower), RIR + steps (at most 10).
// - a swap: a main row whose planned movement is a heavy exposure (cns_load in
//   limits.heavy_pattern.cns_load) on a red day, or when a muscle it loads is very fatigued
//   (>= plan.adapt.swap_fatigued_from) or very sore (>= plan.adapt.swap_sore_from), takes the best
//   ranked substitute (substitute.cpp: every hard constraint of the session kept) of the same
//   pattern that is not a heavy exposure; it keeps its planned sets (the lower demand is the cut)
//   and gets the lighter RPE / RIR. Without such a substitute the row is only made lighter.
// - Stimulus and fatigue of a changed row, and the session's estimated duration, totals, CNS load
//   and muscle volume, are recomputed from the new content.
// - The planned prescription is the row's own until it is adapted; an adapted row's notes end
//   with "[Adapted <date>: <sets> -> <sets> sets, RPE a -> b, RIR c -> d (<reasons>)]", whose
//   first numbers are the planned ones (a swap adds ", swapped <planned> (movement <id>) for
//   <substitute>"), so a fresh day restores them and a second call with the
//   same state finds nothing to change. The session's coach_notes carry one such bracket too.
#include <algorithm>
#include <cmath>
#include <regex>
#include <set>

#include "model/error.hpp"
#include "model/time.hpp"
#include "plan/persist.hpp"
#include "plan/plan.hpp"
#include "plan/stored.hpp"

namespace gainsly::plan {
namespace {

struct RowTargets {
    int sets = 0;
    std::optional<double> rpe;
    std::optional<int> rir;
    bool operator==(const RowTargets&) const = default;
};

// "3", "7.5": numbers in notes as people read them.
std::string num_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", std::round(v * 10) / 10);
    return buf;
}

const std::regex& marker() {
    static const std::regex re(R"(\s*\[Adapted [0-9-]+: ([^\]]*)\])");
    return re;
}

// The notes without an adaptation bracket, and the planned prescription the bracket records.
std::pair<std::string, RowTargets> planned(const std::string& notes, RowTargets current) {
    std::smatch m;
    if (!std::regex_search(notes, m, marker())) return {notes, current};
    std::string body = m[1].str();
    std::string base = notes.substr(0, size_t(m.position(0))) + notes.substr(size_t(m.position(0) + m.length(0)));
    std::smatch x;
    if (std::regex_search(body, x, std::regex(R"(^(\d+) -> \d+ sets)"))) current.sets = std::stoi(x[1].str());
    if (std::regex_search(body, x, std::regex(R"(RPE ([0-9.]+) -> )"))) current.rpe = std::stod(x[1].str());
    if (std::regex_search(body, x, std::regex(R"(RIR (\d+) -> )"))) current.rir = std::stoi(x[1].str());
    return {base, current};
}

// The movement the row had as planned when an adaptation swapped it.
std::optional<int64_t> planned_movement(const std::string& notes) {
    std::smatch m, x;
    if (!std::regex_search(notes, m, marker())) return std::nullopt;
    const std::string body = m[1].str();
    if (!std::regex_search(body, x, std::regex(R"(, swapped .* \(movement (\d+)\) for )"))) return std::nullopt;
    return std::stoll(x[1].str());
}

std::string joined(const std::vector<std::string>& v, const char* sep = "; ") {
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
    return out;
}

json from_to(const std::optional<double>& a, const std::optional<double>& b) {
    return {{"from", a ? json(*a) : json()}, {"to", b ? json(*b) : json()}};
}

struct WorkRow {
    int64_t id = 0;
    int movement = -1;
    int64_t movement_id = 0;
    std::string role;
    RowTargets now;
    std::string notes;
    double stimulus = 0, fatigue = 0;
};

std::vector<WorkRow> working_rows(store::Database& db, const Context& ctx, int64_t session_id) {
    std::vector<WorkRow> rows;
    auto& q = db.prepare(
        "SELECT id, movement_id, role, target_sets, target_rpe, target_rir, notes, stimulus, fatigue FROM session_exercises WHERE session_id = ? "
        "AND circuit_id IS NULL AND role IN ('main', 'accessory', 'skill', 'finisher') ORDER BY order_in_session, id");
    q.bind(1, static_cast<int64_t>(session_id));
    while (q.executeStep()) {
        WorkRow r;
        r.id = q.getColumn(0).getInt64();
        r.movement_id = q.getColumn(1).getInt64();
        auto it = ctx.catalog.by_id.find(r.movement_id);
        r.movement = it == ctx.catalog.by_id.end() ? -1 : it->second;
        r.role = q.getColumn(2).getString();
        r.now.sets = q.getColumn(3).getInt();
        if (!q.getColumn(4).isNull()) r.now.rpe = q.getColumn(4).getDouble();
        if (!q.getColumn(5).isNull()) r.now.rir = q.getColumn(5).getInt();
        r.notes = q.getColumn(6).isNull() ? "" : q.getColumn(6).getString();
        r.stimulus = q.getColumn(7).isNull() ? 0 : q.getColumn(7).getDouble();
        r.fatigue = q.getColumn(8).isNull() ? 0 : q.getColumn(8).getDouble();
        rows.push_back(std::move(r));
    }
    q.tryReset();
    return rows;
}

int64_t request_id(const json& in, const char* field) {
    if (!in[field].is_number_integer() || in[field].get<int64_t>() < 1) invalid(std::string(field) + ": must be a positive integer id");
    return in[field].get<int64_t>();
}

}  // namespace

json adapt(store::Database& db, const json& in, const DayReader& read_day) {
    if (!in.is_object()) invalid("request: must be a JSON object");
    for (const auto& [k, v] : in.items())
        if (k != "program_id" && k != "user_id" && k != "date" && k != "sessions") invalid("request." + k + ": unknown field (expected program_id, user_id, date, sessions)");
    if (!in.contains("program_id")) invalid("program_id: required, a positive integer id");
    const int64_t program_id = request_id(in, "program_id");
    Date as_of = model::today();
    if (in.contains("date") && !in["date"].is_null()) {
        if (!in["date"].is_string()) invalid("date: must be a date YYYY-MM-DD");
        as_of = date_from(in["date"].get<std::string>(), "date");
    }
    int count = 2;
    if (in.contains("sessions")) {
        if (!in["sessions"].is_number_integer() || in["sessions"].get<int64_t>() < 1 || in["sessions"].get<int64_t>() > 14)
            invalid("sessions: must be an integer between 1 and 14");
        count = in["sessions"].get<int>();
    }
    int64_t owner = 0;
    {
        auto& q = db.prepare("SELECT user_id FROM programs WHERE id = ?");
        q.bind(1, static_cast<int64_t>(program_id));
        bool found = q.executeStep();
        if (found && !q.getColumn(0).isNull()) owner = q.getColumn(0).getInt64();
        q.tryReset();
        if (!found) throw Error(Status::not_found, "program_id: no program " + std::to_string(program_id));
    }
    if (in.contains("user_id")) {
        const int64_t user = request_id(in, "user_id");
        if (user != owner) invalid("user_id: program " + std::to_string(program_id) + " belongs to another user");
    }
    auto sp = load_program(db, program_id, as_of);
    const Context& ctx = *sp->ctx;
    const PlanParams& p = ctx.params;
    const int64_t user = ctx.request.user_id;

    // The next sessions not completed, from `date` on; completed ones in between are only reported.
    std::vector<std::pair<int64_t, Date>> chosen;
    json kept = json::array();
    {
        auto& q = db.prepare("SELECT id, date FROM sessions WHERE program_id = ? AND date >= ? ORDER BY date, id");
        q.bind(1, static_cast<int64_t>(program_id));
        q.bind(2, date_text(as_of));
        std::vector<std::pair<int64_t, Date>> all;
        while (q.executeStep()) all.push_back({q.getColumn(0).getInt64(), date_from(q.getColumn(1).getString(), "sessions.date")});
        q.tryReset();
        for (const auto& s : all) {
            if (int(chosen.size()) == count) break;
            if (is_completed(db, s.first)) kept.push_back(s.first);
            else chosen.push_back(s);
        }
    }

    const DayReading today = read_day(user, as_of);
    const bool red = today.readiness < p.low_readiness_below;
    const std::map<int, double> sore = recent_soreness(db, ctx, as_of, p.soreness_penalty_from, nullptr);

    auto heavy = [&](int movement) {
        return std::find(p.heavy_cns.begin(), p.heavy_cns.end(), ctx.catalog.movements[size_t(movement)].cns) != p.heavy_cns.end();
    };
    auto deload_on = [&](Date day) {
        for (const auto& w : sp->weeks)
            if (day >= w.start && day < w.start + std::chrono::days(7)) return w.spec.deload;
        return false;
    };
    store::Savepoint save(db);
    json changes = json::array(), sessions = json::array();
    for (const auto& [session_id, day] : chosen) {
        const DayReading reading = day == as_of ? today : read_day(user, day);
        const bool red_here = red && day <= as_of + std::chrono::days(1);
        int planned_sets = 0, adapted_sets = 0;
        std::set<std::string> session_reasons;
        std::vector<std::string> session_swaps;
        bool changed = false;
        bool rows_changed = false;
        for (WorkRow& r : working_rows(db, ctx, session_id)) {
            auto [base_notes, plan_rx] = planned(r.notes, r.now);
            // Reasons and the swap are judged on the movement as planned, so the same state gives
            // the same answer whether or not the row was swapped before.
            int plan_movement = r.movement;
            if (auto id = planned_movement(r.notes)) {
                auto it = ctx.catalog.by_id.find(*id);
                if (it != ctx.catalog.by_id.end()) plan_movement = it->second;
            }
            std::vector<std::string> local;
            bool very_tired = false;
            if (plan_movement >= 0) {
                const Movement& m = ctx.catalog.movements[size_t(plan_movement)];
                for (const auto& l : m.muscles) {
                    if (l.role != 0 && l.magnitude < p.muscle_threshold) continue;
                    const std::string& name = ctx.catalog.muscles[size_t(l.muscle)];
                    if (auto f = reading.muscle_fatigue.find(name); f != reading.muscle_fatigue.end() && f->second >= p.adapt_fatigued_from) {
                        local.push_back(name + " fatigue " + std::to_string(int(std::lround(f->second))) + "/100");
                        very_tired |= f->second >= p.adapt_swap_fatigued_from;
                    }
                    if (auto s = sore.find(l.muscle); s != sore.end()) {
                        local.push_back(name + " sore " + std::to_string(int(s->second)) + "/10");
                        very_tired |= s->second >= p.adapt_swap_sore_from;
                    }
                }
                // Activities actually done count for the interference windows like planned ones.
                for (const auto& a : today.activities) {
                    if (!a.enjoyable) continue;
                    auto w = p.interference.find(*a.enjoyable);
                    if (w == p.interference.end()) continue;
                    const int delta = int((a.date - day).count());  // < 0: the session comes after the activity
                    for (const Window& win : w->second) {
                        if (win.severity < p.interference_hard || !win.covers(delta)) continue;
                        bool matches = win.pattern >= 0 ? m.pattern == win.pattern : std::any_of(m.muscles.begin(), m.muscles.end(), [&](const MuscleLoad& l) {
                            return l.muscle == win.muscle && (l.role == 0 || l.magnitude >= p.muscle_threshold);
                        });
                        if (!matches) continue;
                        local.push_back(a.name + " " + std::to_string(int(std::lround(a.minutes))) + " min on " + date_text(a.date) +
                                        " (interference window)");
                        break;
                    }
                }
            }
            std::sort(local.begin(), local.end());
            local.erase(std::unique(local.begin(), local.end()), local.end());
            std::vector<std::string> reasons;
            if (red_here) reasons.push_back("readiness " + std::to_string(int(std::lround(today.readiness))) + "/100");
            reasons.insert(reasons.end(), local.begin(), local.end());
            const int steps = (red_here ? 1 : 0) + (local.empty() ? 0 : 1);

            // The swap: a heavy main lift on a red day or on a very tired muscle.
            int movement = plan_movement;
            if (r.role == "main" && plan_movement >= 0 && heavy(plan_movement) && (red_here || very_tired)) {
                if (r.movement >= 0 && r.movement != plan_movement && !heavy(r.movement)) {
                    movement = r.movement;  // swapped before: keep it
                } else {
                    const Movement& orig = ctx.catalog.movements[size_t(plan_movement)];
                    const json ranked = substitutes(db, r.id, 100);  // kept: the loop walks a part of it
                    for (const auto& c : ranked["substitutes"]) {
                        auto it = ctx.catalog.by_id.find(c["movement_id"].get<int64_t>());
                        if (it == ctx.catalog.by_id.end() || heavy(it->second) || ctx.catalog.movements[size_t(it->second)].pattern != orig.pattern) continue;
                        movement = it->second;
                        break;
                    }
                }
            }
            const bool swapped = movement != plan_movement;

            RowTargets target = plan_rx;
            std::string notes = base_notes;
            if (steps > 0) {
                const int cut = std::max(steps, int(std::lround(plan_rx.sets * p.adapt_set_cut * steps)));
                target.sets = std::max(1, plan_rx.sets - cut);
                if (plan_rx.rpe) target.rpe = std::max(std::min(*plan_rx.rpe, 5.0), *plan_rx.rpe - steps * p.adapt_rpe_drop);
                if (plan_rx.rir) target.rir = std::min(10, *plan_rx.rir + steps);
                std::string what = std::to_string(plan_rx.sets) + " -> " + std::to_string(target.sets) + " sets";
                if (plan_rx.rpe) what += ", RPE " + num_text(*plan_rx.rpe) + " -> " + num_text(*target.rpe);
                if (plan_rx.rir) what += ", RIR " + std::to_string(*plan_rx.rir) + " -> " + std::to_string(*target.rir);
                if (swapped)
                    what += ", swapped " + ctx.catalog.movements[size_t(plan_movement)].name + " (movement " +
                            std::to_string(ctx.catalog.movements[size_t(plan_movement)].id) + ") for " + ctx.catalog.movements[size_t(movement)].name;
                notes += (notes.empty() ? "" : " ") + std::string("[Adapted ") + date_text(as_of) + ": " + what + " (" + joined(reasons) + ")]";
                session_reasons.insert(reasons.begin(), reasons.end());
                if (swapped)
                    session_swaps.push_back("swapped " + ctx.catalog.movements[size_t(plan_movement)].name + " for " + ctx.catalog.movements[size_t(movement)].name);
            }
            planned_sets += plan_rx.sets;
            adapted_sets += target.sets;
            // The row's stimulus and fatigue follow its sets and movement (as the generator writes them).
            const Movement* now_m = movement >= 0 ? &ctx.catalog.movements[size_t(movement)] : nullptr;
            const double stimulus = now_m ? std::round(target.sets * now_m->stimulus * 100) / 100 : r.stimulus;
            const double fatigue = now_m ? std::round(target.sets * now_m->fatigue * 100) / 100 : r.fatigue;
            if (target == r.now && notes == r.notes && movement == r.movement && stimulus == r.stimulus && fatigue == r.fatigue) continue;
            json row = {{"target_sets", target.sets}, {"notes", notes.empty() ? json() : json(notes)}, {"stimulus", stimulus}, {"fatigue", fatigue}};
            if (target.rpe) row["target_rpe"] = *target.rpe;
            if (target.rir) row["target_rir"] = *target.rir;
            if (now_m) row["movement_id"] = now_m->id;
            db.update("session_exercises", r.id, row);
            changed = rows_changed = true;
            auto opt = [](const std::optional<int>& v) { return v ? std::optional<double>(*v) : std::nullopt; };
            json change = {{"session_id", session_id},
                           {"session_exercise_id", r.id},
                           {"movement_id", now_m ? json(now_m->id) : json(r.movement_id)},
                           {"movement", now_m ? json(now_m->name) : json()},
                           {"role", r.role},
                           {"action", swapped && movement != r.movement ? "swapped" : steps > 0 ? "lighter" : "restored"},
                           {"sets", {{"from", r.now.sets}, {"to", target.sets}}},
                           {"target_rpe", from_to(r.now.rpe, target.rpe)},
                           {"target_rir", from_to(opt(r.now.rir), opt(target.rir))},
                           {"reasons", reasons}};
            if (movement != r.movement && r.movement >= 0)
                change["replaced"] = {{"movement_id", r.movement_id}, {"movement", ctx.catalog.movements[size_t(r.movement)].name}};
            changes.push_back(std::move(change));
        }
        // The session's notes say the same in one line.
        auto& q = db.prepare("SELECT coach_notes FROM sessions WHERE id = ?");
        q.bind(1, static_cast<int64_t>(session_id));
        std::string old_notes;
        if (q.executeStep() && !q.getColumn(0).isNull()) old_notes = q.getColumn(0).getString();
        q.tryReset();
        std::string notes = std::regex_replace(old_notes, marker(), "");
        if (adapted_sets != planned_sets || !session_reasons.empty())
            notes += (notes.empty() ? "" : " ") + std::string("[Adapted ") + date_text(as_of) + ": " + std::to_string(planned_sets) + " -> " +
                     std::to_string(adapted_sets) + " working sets" + (session_swaps.empty() ? "" : ", " + joined(session_swaps, ", ")) + " (" +
                     joined({session_reasons.begin(), session_reasons.end()}) + ")]";
        if (notes != old_notes || rows_changed) {
            // Duration, totals, CNS load and muscle volume from the session's new content.
            PlannedSession ps = load_session(db, ctx, session_id);
            ps.coach_notes = notes;
            json columns = session_columns(ctx, ps, deload_on(day));
            columns.erase("session_type");
            columns.erase("intent_tags");
            columns.erase("finisher_circuit_id");
            columns["coach_notes"] = notes.empty() ? json() : json(notes);
            db.update("sessions", session_id, columns);
            changed = true;
        }
        sessions.push_back({{"session_id", session_id}, {"date", date_text(day)}, {"changed", changed}});
    }
    save.commit();
    return {{"program_id", program_id},
            {"user_id", user},
            {"date", date_text(as_of)},
            {"readiness", {{"score", today.readiness}, {"red", red}, {"signals_used", today.signals_used}}},
            {"sessions", sessions},
            {"kept_session_ids", kept},
            {"changes", changes},
            {"changed", changes.size()}};
}

}  // namespace gainsly::plan
