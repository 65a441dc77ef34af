// The week solver: exact feasibility of rule coverage (backtracking), then branch and bound with
// an admissible bound and rule-coverage propagation, then large-neighbourhood search that frees
// one or two days at a time and re-solves them by branch and bound. Exact mode runs the branch and
// bound to completion from the heuristic incumbent, which proves optimality.
#include "plan/solver.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>

#include "model/error.hpp"

namespace gainsly::plan {

namespace {

using Clock = std::chrono::steady_clock;
constexpr double eps = 1e-9;
// The search is sized in nodes (a node budget, or nodes_per_ms x time_limit_ms), which keeps it
// deterministic; the wall clock only stops a search running far slower than expected (e.g. a
// throttled device, an emulator).
constexpr int64_t nodes_per_ms = 150;
constexpr int64_t wall_clock_factor = 5;

// SplitMix64: a tiny deterministic generator (the standard distributions differ between
// standard libraries, so draws are made by hand).
struct Rng {
    uint64_t state;
    uint64_t next() {
        uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    int below(int n) { return n <= 0 ? 0 : int(next() % uint64_t(n)); }
};

int day_distance(const WeekProblem& p, int a, int b) {
    int d = std::abs(a - b);
    return p.cyclic ? std::min(d, std::abs(p.period - d)) : d;
}

bool too_close(const WeekProblem& p, int distance_days) { return distance_days * 24.0 < p.heavy_min_hours - eps; }

struct DayState {
    int seconds = 0;
    double cns = 0;
    int olympic = 0, plyometric = 0, very_high = 0, n_main = 0, n_total = 0;
    std::vector<int> heavy_count;  // per pattern
    std::vector<int> pattern_count;
    std::vector<int> movements;
    std::vector<int> options;
};

// Incremental state of an assignment: per-day resources and the objective's running sums.
class State {
public:
    explicit State(const WeekProblem& p) : p_(p) {
        days_.resize(p.days.size());
        for (auto& d : days_) d.heavy_count.assign(32, 0), d.pattern_count.assign(32, 0);
        volume_.assign(p.lo.size(), 0.0);
        repeat_.assign(size_t(std::max(1, p.movement_count)), 0);
        req_.assign(p.required.size(), 0);
        cover_count_.assign(p.cover_bonus.size(), 0);
        for (double b : p.cover_bonus) uncovered_ += b;
        for (size_t m = 0; m < volume_.size(); ++m)
            if (p.volume_muscle[m]) short_ += p.lo[m];
        floor_total_ = short_;
    }

    const WeekProblem& problem() const { return p_; }
    const DayState& day(int d) const { return days_[size_t(d)]; }

    bool can_add(int d, int o) const {
        const Option& x = p_.options[size_t(o)];
        const DayState& s = days_[size_t(d)];
        const Day& day = p_.days[size_t(d)];
        if (x.movement >= 0 && std::find(s.movements.begin(), s.movements.end(), x.movement) != s.movements.end()) return false;
        if (s.n_total + 1 > day.max_total) return false;
        if (x.role == Role::main && s.n_main + 1 > day.max_main) return false;
        if (s.seconds + x.seconds > day.seconds_budget) return false;
        if (s.cns + x.cns > day.cns_budget + eps) return false;
        if (s.olympic + x.olympic > p_.olympic_max || s.plyometric + x.plyometric > p_.plyometric_max ||
            s.very_high + x.very_high > p_.very_high_max)
            return false;
        if (x.heavy_pattern >= 0) {
            int mine = day.offset;
            for (size_t j = 0; j < days_.size(); ++j) {
                if (int(j) == d || days_[j].heavy_count[size_t(x.heavy_pattern)] == 0) continue;
                if (too_close(p_, day_distance(p_, mine, p_.days[j].offset))) return false;
            }
            for (const auto& [offset, pattern] : p_.external_heavy)
                if (pattern == x.heavy_pattern && too_close(p_, std::abs(mine - offset))) return false;
        }
        return true;
    }

    // Change of the objective if option o were added to day d (no feasibility check).
    double delta(int d, int o) const {
        const Option& x = p_.options[size_t(o)];
        double change = x.value;
        if (x.pattern >= 0 && days_[size_t(d)].pattern_count[size_t(x.pattern)] >= 1) change -= p_.same_pattern_penalty;
        for (const auto& [m, v] : x.volume) change -= penalty(size_t(m), volume_[size_t(m)] + v) - penalty(size_t(m), volume_[size_t(m)]);
        if (x.push + x.pull + x.anterior + x.posterior + x.hpush + x.hpull > 0)
            change -= balance(push_ + x.push, pull_ + x.pull, ant_ + x.anterior, post_ + x.posterior, hpush_ + x.hpush, hpull_ + x.hpull) -
                      balance(push_, pull_, ant_, post_, hpush_, hpull_);
        change += new_cover(x);
        if (x.role != Role::main && x.movement >= 0 && repeat_[size_t(x.movement)] >= 1) change -= p_.repeat_penalty;
        return change;
    }

    void add(int d, int o) {
        const Option& x = p_.options[size_t(o)];
        DayState& s = days_[size_t(d)];
        s.options.push_back(o);
        if (x.movement >= 0) s.movements.push_back(x.movement);
        s.n_total += 1;
        if (x.role == Role::main) s.n_main += 1;
        s.seconds += x.seconds;
        s.cns += x.cns;
        s.olympic += x.olympic;
        s.plyometric += x.plyometric;
        s.very_high += x.very_high;
        if (x.heavy_pattern >= 0) s.heavy_count[size_t(x.heavy_pattern)] += 1;
        if (x.pattern >= 0 && s.pattern_count[size_t(x.pattern)]++ >= 1) repeats_ += p_.same_pattern_penalty;
        apply(x, +1);
    }

    void remove(int d, int o) {
        const Option& x = p_.options[size_t(o)];
        DayState& s = days_[size_t(d)];
        auto it = std::find(s.options.begin(), s.options.end(), o);
        if (it == s.options.end()) return;
        s.options.erase(it);
        if (x.movement >= 0) s.movements.erase(std::find(s.movements.begin(), s.movements.end(), x.movement));
        s.n_total -= 1;
        if (x.role == Role::main) s.n_main -= 1;
        s.seconds -= x.seconds;
        s.cns -= x.cns;
        s.olympic -= x.olympic;
        s.plyometric -= x.plyometric;
        s.very_high -= x.very_high;
        if (x.heavy_pattern >= 0) s.heavy_count[size_t(x.heavy_pattern)] -= 1;
        if (x.pattern >= 0 && --s.pattern_count[size_t(x.pattern)] >= 1) repeats_ -= p_.same_pattern_penalty;
        apply(x, -1);
    }

    ObjectiveTerms terms() const {
        ObjectiveTerms t;
        t.unary = unary_;
        t.volume_in_window = p_.w_volume * (floor_total_ - short_);
        t.volume_excess = p_.w_excess * excess_;
        t.balance = balance(push_, pull_, ant_, post_, hpush_, hpull_);
        t.repeats = repeats_;
        t.coverage = coverage_;
        return t;
    }
    double objective() const { return terms().total(); }
    double unary() const { return unary_; }
    double shortfall() const { return short_; }
    double excess() const { return excess_; }
    double repeats() const { return repeats_; }
    double balance_penalty() const { return balance(push_, pull_, ant_, post_, hpush_, hpull_); }
    double coverage() const { return coverage_; }
    double uncovered() const { return uncovered_; }  // bonus of the coverage groups still open
    // Coverage bonus option x would add (groups the week does not cover yet).
    double new_cover(const Option& x) const {
        double b = 0;
        for (uint32_t bits = x.cover; bits; bits &= bits - 1) {
            size_t g = size_t(__builtin_ctz(bits));
            if (g < cover_count_.size() && cover_count_[g] == 0) b += p_.cover_bonus[g];
        }
        return b;
    }
    double floor_total() const { return floor_total_; }
    double short_of(size_t m) const { return p_.volume_muscle[m] ? std::max(0.0, p_.lo[m] - volume_[m]) : 0.0; }
    bool requirement_met(size_t r) const { return req_[r] > 0 || p_.required_done[r] > 0; }

private:
    // Weighted distance of v sets from muscle m's window.
    double penalty(size_t m, double v) const {
        if (!p_.volume_muscle[m]) return 0;
        return p_.w_volume * std::max(0.0, p_.lo[m] - v) + p_.w_excess * std::max(0.0, v - p_.hi[m]);
    }
    // Weighted penalty: push:pull and anterior:posterior beyond the tolerance, and horizontal
    // pushing beyond horizontal_max x horizontal pulling.
    double balance(double push, double pull, double ant, double post, double hpush, double hpull) const {
        auto dev = [&](double a, double b, double target) {
            return std::max(0.0, a - (1 + p_.tolerance) * target * b) + std::max(0.0, (1 - p_.tolerance) * target * b - a);
        };
        double push_pull = p_.push_pull_balance ? dev(push, pull, p_.push_pull_target) : 0.0;
        return p_.w_balance * (push_pull + dev(ant, post, p_.ant_post_target)) +
               (p_.horizontal_balance ? p_.w_horizontal * std::max(0.0, hpush - p_.horizontal_max * hpull) : 0.0);
    }
    void apply(const Option& x, int sign) {
        unary_ += sign * x.value;
        for (const auto& [m, v] : x.volume) {
            size_t mi = size_t(m);
            if (p_.volume_muscle[mi]) {
                short_ -= std::max(0.0, p_.lo[mi] - volume_[mi]);
                excess_ -= std::max(0.0, volume_[mi] - p_.hi[mi]);
            }
            volume_[mi] += sign * v;
            if (std::abs(volume_[mi]) < 1e-9) volume_[mi] = 0;
            if (p_.volume_muscle[mi]) {
                short_ += std::max(0.0, p_.lo[mi] - volume_[mi]);
                excess_ += std::max(0.0, volume_[mi] - p_.hi[mi]);
            }
        }
        push_ += sign * x.push;
        pull_ += sign * x.pull;
        ant_ += sign * x.anterior;
        post_ += sign * x.posterior;
        hpush_ += sign * x.hpush;
        hpull_ += sign * x.hpull;
        for (uint32_t bits = x.cover; bits; bits &= bits - 1) {
            size_t g = size_t(__builtin_ctz(bits));
            if (g >= cover_count_.size()) continue;
            int& c = cover_count_[g];
            if (sign > 0 && c++ == 0) coverage_ += p_.cover_bonus[g], uncovered_ -= p_.cover_bonus[g];
            if (sign < 0 && --c == 0) coverage_ -= p_.cover_bonus[g], uncovered_ += p_.cover_bonus[g];
        }
        if (x.role != Role::main && x.movement >= 0) {
            int& c = repeat_[size_t(x.movement)];
            if (sign > 0) {
                if (c >= 1) repeats_ += p_.repeat_penalty;
                ++c;
            } else {
                --c;
                if (c >= 1) repeats_ -= p_.repeat_penalty;
            }
        }
        if (x.requirement >= 0) req_[size_t(x.requirement)] += sign;
    }

    const WeekProblem& p_;
    std::vector<DayState> days_;
    std::vector<double> volume_;
    double short_ = 0, excess_ = 0, unary_ = 0, repeats_ = 0, floor_total_ = 0;
    double push_ = 0, pull_ = 0, ant_ = 0, post_ = 0, hpush_ = 0, hpull_ = 0;
    double coverage_ = 0, uncovered_ = 0;
    std::vector<int> cover_count_;
    std::vector<int> repeat_;
    std::vector<int> req_;
};

// Per-day candidate lists with prefix sums of values and suffix maxima for the bound.
struct ListInfo {
    std::vector<double> prefix;      // prefix[i] = sum of max(0, value) of the first i options
    std::vector<double> pot_suffix;  // max volume_potential from i on
    std::vector<double> max_contrib; // per muscle: the largest weekly sets any option adds
    int min_seconds = 0;
};

ListInfo list_info(const WeekProblem& p, const std::vector<int>& list) {
    ListInfo info;
    info.prefix.assign(list.size() + 1, 0.0);
    info.pot_suffix.assign(list.size() + 1, 0.0);
    info.min_seconds = std::numeric_limits<int>::max();
    for (size_t i = 0; i < list.size(); ++i) {
        const Option& o = p.options[size_t(list[i])];
        info.prefix[i + 1] = info.prefix[i] + std::max(0.0, o.value);
        info.min_seconds = std::min(info.min_seconds, std::max(1, o.seconds));
    }
    for (size_t i = list.size(); i-- > 0;)
        info.pot_suffix[i] = std::max(info.pot_suffix[i + 1], p.options[size_t(list[i])].volume_potential);
    info.max_contrib.assign(p.lo.size(), 0.0);
    for (int o : list)
        for (const auto& [m, v] : p.options[size_t(o)].volume) info.max_contrib[size_t(m)] = std::max(info.max_contrib[size_t(m)], double(v));
    return info;
}

class Search {
public:
    Search(const WeekProblem& p, const SolveOptions& o, State& state)
        : p_(p), o_(o), s_(state), start_(Clock::now()),
          deadline_(start_ + std::chrono::milliseconds(int64_t(o.time_limit_ms) * (o.node_budget > 0 ? 1 : wall_clock_factor))) {
        for (const auto& d : p.days) {
            infos_.push_back({list_info(p, d.main), list_info(p, d.accessory), list_info(p, d.finisher)});
        }
        reach_.assign(p.lo.size(), 0.0);
        shortage_.assign(p.lo.size(), 0.0);
        req_options_.assign(p.required.size(), std::vector<std::vector<std::pair<int, int>>>(p.days.size()));
        for (size_t d = 0; d < p.days.size(); ++d)
            for (int kind = 0; kind < 3; ++kind) {
                const auto& list = kind == 0 ? p.days[d].main : kind == 1 ? p.days[d].accessory : p.days[d].finisher;
                for (size_t i = 0; i < list.size(); ++i) {
                    int r = p.options[size_t(list[i])].requirement;
                    if (r >= 0) req_options_[size_t(r)][d].push_back({kind, int(i)});
                }
            }
    }

    int64_t nodes = 0;
    bool aborted = false, time_hit = false;
    int child_limit = 0;  // 0 = every child (exact); else the best few by marginal change
    bool primary_only = false;  // heuristic: one set count per movement, tuned afterwards
    bool combined_bound = false;  // bound C (see bound())
    double noise = 0;           // random jitter of the child order (LNS diversification)
    Rng* rng = nullptr;

    // Branch and bound over `free_days` (their current contents must be empty) against `incumbent`.
    // Returns true when an assignment better than incumbent was found (left in best_).
    bool run(const std::vector<int>& free_days, double incumbent, int64_t node_limit) {
        free_ = free_days;
        best_value_ = incumbent;
        found_ = false;
        node_limit_ = node_limit;
        nodes_at_start_ = nodes;
        aborted = false;
        current_.assign(p_.days.size(), {});
        if (!free_.empty()) dfs(0, 0, 0);
        return found_;
    }

    const std::vector<std::vector<int>>& best() const { return best_; }
    double best_value() const { return best_value_; }
    bool out_of_time() const { return Clock::now() >= deadline_; }

private:
    const std::vector<int>& list_of(int d, int kind) const {
        const Day& day = p_.days[size_t(d)];
        return kind == 0 ? day.main : kind == 1 ? day.accessory : day.finisher;
    }
    const ListInfo& info_of(int d, int kind) const { return infos_[size_t(d)][size_t(kind)]; }

    // Sum of the best n values from position `from` of a list, and the best volume potential.
    void slots(int d, int kind, int from, int n, double& value, double& potential) const {
        if (n <= 0) return;
        const ListInfo& info = info_of(d, kind);
        int size = int(info.prefix.size()) - 1;
        if (from >= size) return;
        int to = std::min(size, from + n);
        value += info.prefix[size_t(to)] - info.prefix[size_t(from)];
        potential += double(to - from) * info.pot_suffix[size_t(from)];
    }

    // Admissible upper bound of any completion: the minimum of three relaxations.
    //  A: each remaining slot adds the best values of its list, and fills at most the shortfall
    //     (or its options' largest volume potential).
    //  B: per muscle, the remaining slots add at most slots x the largest contribution to it.
    //  C (exact mode): each slot adds the best of value + the shortfall that option alone fills.
    double bound(size_t k, int phase, int from) {
        double value = 0, potential = 0, combined = 0;
        std::fill(reach_.begin(), reach_.end(), 0.0);
        bool exact = combined_bound;
        if (exact) {
            for (size_t m = 0; m < shortage_.size(); ++m) shortage_[m] = s_.short_of(m);
        }
        auto add_slots = [&](int d, int kind, int start, int n) {
            if (n <= 0) return;
            slots(d, kind, start, n, value, potential);
            const ListInfo& info = info_of(d, kind);
            for (size_t m = 0; m < reach_.size(); ++m) reach_[m] += n * info.max_contrib[m];
            if (exact) combined += top_combined(d, kind, start, n);
        };
        for (size_t i = k; i < free_.size(); ++i) {
            int d = free_[i];
            const Day& day = p_.days[size_t(d)];
            const DayState& st = s_.day(d);
            int time_left = day.seconds_budget - st.seconds;
            int items_left = day.max_total - st.n_total;
            auto fit = [&](int kind) {
                int secs = info_of(d, kind).min_seconds;
                return std::min(items_left, secs > 0 ? time_left / secs : items_left);
            };
            int ph = i == k ? phase : 0;
            int start = i == k ? from : 0;
            if (ph == 0) {
                add_slots(d, 0, start, std::min(day.max_main - st.n_main, fit(0)));
                add_slots(d, 1, 0, fit(1));
                add_slots(d, 2, 0, std::min(1, fit(2)));
            } else if (ph == 1) {
                add_slots(d, 1, start, fit(1));
                add_slots(d, 2, 0, std::min(1, fit(2)));
            } else {
                add_slots(d, 2, start, std::min(1, fit(2)));
            }
        }
        // Coverage still open can at most all be gained.
        double base = s_.unary() + p_.w_volume * (s_.floor_total() - s_.shortfall()) - p_.w_excess * s_.excess() - s_.repeats() + s_.coverage() + s_.uncovered();
        double fill_a = std::min(s_.shortfall(), potential);
        double fill_b = 0;
        for (size_t m = 0; m < reach_.size(); ++m) fill_b += std::min(s_.short_of(m), reach_[m]);
        double ub = base + value + p_.w_volume * std::min(fill_a, fill_b);
        // C counts each option's new coverage itself (a group gained is new to some added option).
        if (exact) ub = std::min(ub, base - s_.uncovered() + combined);
        return ub;
    }

    // Sum of the n best (value + shortfall filled alone) from position `from` of a list.
    double top_combined(int d, int kind, int from, int n) {
        const auto& list = list_of(d, kind);
        top_.assign(size_t(n), 0.0);
        for (size_t i = size_t(from); i < list.size(); ++i) {
            const Option& o = p_.options[size_t(list[i])];
            if (primary_only && !o.primary) continue;
            double g = std::max(0.0, o.value) + s_.new_cover(o);
            for (const auto& [m, v] : o.volume) g += p_.w_volume * std::min(double(v), shortage_[size_t(m)]);
            if (g <= top_.back()) continue;
            top_.back() = g;
            for (size_t j = top_.size() - 1; j > 0 && top_[j] > top_[j - 1]; --j) std::swap(top_[j], top_[j - 1]);
        }
        double sum = 0;
        for (double g : top_) sum += g;
        return sum;
    }

    // Can every unmet requirement still be placed in a remaining slot?
    bool requirements_reachable(size_t k, int phase, int from) const {
        for (size_t r = 0; r < p_.required.size(); ++r) {
            if (s_.requirement_met(r)) continue;
            bool ok = false;
            for (size_t i = k; i < free_.size() && !ok; ++i) {
                int d = free_[i];
                for (const auto& [kind, index] : req_options_[r][size_t(d)]) {
                    if (i == k && (kind < phase || (kind == phase && index < from))) continue;
                    if (s_.can_add(d, list_of(d, kind)[size_t(index)])) {
                        ok = true;
                        break;
                    }
                }
            }
            if (!ok) return false;
        }
        return true;
    }

    void leaf() {
        double v = s_.objective();
        if (v > best_value_ + eps) {
            best_value_ = v;
            found_ = true;
            best_.assign(p_.days.size(), {});
            for (size_t d = 0; d < p_.days.size(); ++d) best_[d] = s_.day(int(d)).options;
        }
    }

    void dfs(size_t k, int phase, int from) {
        if (aborted) return;
        ++nodes;
        if ((nodes & 255) == 0 && Clock::now() >= deadline_) {
            aborted = time_hit = true;
            return;
        }
        if (node_limit_ > 0 && nodes - nodes_at_start_ >= node_limit_) {
            aborted = true;
            return;
        }
        if (k == free_.size()) {
            leaf();
            return;
        }
        if (bound(k, phase, from) <= best_value_ + eps) return;
        if (!requirements_reachable(k, phase, from)) return;

        int d = free_[k];
        const Day& day = p_.days[size_t(d)];
        const DayState& st = s_.day(d);
        const auto& list = list_of(d, phase);
        struct Child {
            double delta;
            int index;
            double key = 0;
        };
        std::vector<Child> children;
        bool phase_full = (phase == 0 && st.n_main >= day.max_main) || st.n_total >= day.max_total;
        auto better = [](const Child& a, const Child& b) { return a.delta > b.delta || (a.delta == b.delta && a.index < b.index); };
        if (!phase_full) {
            // Options come best static value first; a child's marginal change is at most its value
            // plus the shortfall it could fill plus the whole balance penalty, so with a child limit
            // the scan stops once that optimistic figure cannot beat the worst kept child.
            const ListInfo& info = info_of(d, phase);
            double shortfall = s_.shortfall(), balance = s_.balance_penalty() + s_.uncovered();
            for (int i = from; i < int(list.size()); ++i) {
                int o = list[size_t(i)];
                const Option& x = p_.options[size_t(o)];
                if (primary_only && !x.primary) continue;
                if (child_limit > 0 && int(children.size()) >= child_limit) {
                    double optimistic = x.value + p_.w_volume * std::min(shortfall, info.pot_suffix[size_t(i)]) + balance;
                    if (optimistic <= children.back().delta) break;
                }
                if (!s_.can_add(d, o)) continue;
                Child c{s_.delta(d, o), i, 0.0};
                if (child_limit > 0) {
                    if (int(children.size()) >= child_limit) {
                        if (!better(c, children.back())) continue;
                        children.pop_back();
                    }
                    children.insert(std::upper_bound(children.begin(), children.end(), c, better), c);
                } else {
                    children.push_back(c);
                }
            }
        }
        if (child_limit == 0) std::sort(children.begin(), children.end(), better);
        if (noise > 0 && rng && children.size() > 1) {
            for (auto& c : children) c.key = c.delta + noise * double(rng->next() % 1000) / 1000.0;
            std::stable_sort(children.begin(), children.end(), [](const Child& a, const Child& b) { return a.key > b.key; });
        }

        // Closing the phase is explored after every child that improves the objective.
        bool closed = false;
        auto close = [&] {
            closed = true;
            if (phase < 2) {
                dfs(k, phase + 1, 0);
            } else if (st.n_total > 0) {  // every session has at least one working exercise
                dfs(k + 1, 0, 0);
            }
        };
        for (const Child& c : children) {
            if (aborted) return;
            if (!closed && c.delta <= 0) close();
            if (aborted) return;
            int o = list[size_t(c.index)];
            s_.add(d, o);
            if (phase == 2) dfs(k + 1, 0, 0);
            else dfs(k, phase, c.index + 1);
            s_.remove(d, o);
        }
        if (!closed && !aborted) close();
    }

    const WeekProblem& p_;
    const SolveOptions& o_;
    State& s_;
    Clock::time_point start_, deadline_;
    std::vector<std::array<ListInfo, 3>> infos_;
    std::vector<std::vector<std::vector<std::pair<int, int>>>> req_options_;  // [r][day] -> (kind, index)
    std::vector<int> free_;
    std::vector<double> reach_, shortage_, top_;
    double best_value_ = 0;
    bool found_ = false;
    int64_t node_limit_ = 0, nodes_at_start_ = 0;
    std::vector<std::vector<int>> current_, best_;
};

std::vector<int> free_days(const WeekProblem& p) {
    std::vector<int> out;
    for (size_t d = 0; d < p.days.size(); ++d)
        if (!p.days[d].fixed) out.push_back(int(d));
    return out;
}

// ---------------------------------------------------------------- feasibility of rule coverage

class Coverage {
public:
    explicit Coverage(const WeekProblem& p) : p_(p), state_(p) {
        for (size_t d = 0; d < p.days.size(); ++d)
            for (int o : p.days[d].fixed_options) state_.add(int(d), o);
        for (size_t r = 0; r < p.required.size(); ++r)
            if (p.required_done[r] == 0) unmet_.push_back(int(r));
        // Cheapest options per (requirement, day): least time, then least CNS; non-heavy first.
        choices_.assign(p.required.size(), {});
        for (int r : unmet_) {
            for (size_t d = 0; d < p.days.size(); ++d) {
                if (p.days[d].fixed) continue;
                int best = -1;
                for (const auto* list : {&p.days[d].accessory, &p.days[d].main, &p.days[d].finisher})
                    for (int o : *list) {
                        const Option& x = p.options[size_t(o)];
                        if (x.requirement != r) continue;
                        if (best < 0 || cheaper(x, p.options[size_t(best)])) best = o;
                    }
                if (best >= 0) choices_[size_t(r)].push_back({int(d), best});
            }
        }
        std::stable_sort(unmet_.begin(), unmet_.end(), [&](int a, int b) { return choices_[size_t(a)].size() < choices_[size_t(b)].size(); });
    }

    bool solve(std::vector<std::vector<int>>* placement) {
        if (!assign(0)) return false;
        if (placement) {
            placement->assign(p_.days.size(), {});
            for (size_t d = 0; d < p_.days.size(); ++d)
                if (!p_.days[d].fixed) (*placement)[d] = state_.day(int(d)).options;
        }
        return true;
    }

private:
    static bool cheaper(const Option& a, const Option& b) {
        bool ha = a.heavy_pattern >= 0, hb = b.heavy_pattern >= 0;
        if (ha != hb) return !ha;
        if (a.seconds != b.seconds) return a.seconds < b.seconds;
        return a.cns < b.cns;
    }

    // Every free day without a placement gets the cheapest working exercise that fits.
    bool fill(size_t d_from, std::vector<std::pair<int, int>>& added) {
        for (size_t d = d_from; d < p_.days.size(); ++d) {
            if (p_.days[d].fixed || state_.day(int(d)).n_total > 0) continue;
            int best = -1;
            for (const auto* list : {&p_.days[d].accessory, &p_.days[d].main, &p_.days[d].finisher})
                for (int o : *list)
                    if (state_.can_add(int(d), o) && (best < 0 || cheaper(p_.options[size_t(o)], p_.options[size_t(best)]))) best = o;
            if (best < 0) return false;
            state_.add(int(d), best);
            added.push_back({int(d), best});
        }
        return true;
    }

    bool assign(size_t i) {
        if (++steps_ > 2'000'000) throw Error(Status::internal, "rule coverage search did not finish");
        if (i == unmet_.size()) {
            std::vector<std::pair<int, int>> added;
            if (fill(0, added)) return true;
            for (auto& [d, o] : added) state_.remove(d, o);
            return false;
        }
        int r = unmet_[i];
        if (state_.requirement_met(size_t(r))) return assign(i + 1);
        for (const auto& [d, o] : choices_[size_t(r)]) {
            if (!state_.can_add(d, o)) continue;
            state_.add(d, o);
            if (assign(i + 1)) return true;
            state_.remove(d, o);
        }
        return false;
    }

    const WeekProblem& p_;
    State state_;
    std::vector<int> unmet_;
    std::vector<std::vector<std::pair<int, int>>> choices_;
    int64_t steps_ = 0;
};

}  // namespace

bool feasible(const WeekProblem& p, std::vector<std::vector<int>>* placement) { return Coverage(p).solve(placement); }

ObjectiveTerms evaluate(const WeekProblem& p, const std::vector<std::vector<int>>& days) {
    State s(p);
    for (size_t d = 0; d < days.size(); ++d)
        for (int o : days[d]) s.add(int(d), o);
    return s.terms();
}

std::string violation(const WeekProblem& p, const std::vector<std::vector<int>>& days) {
    State s(p);
    for (size_t d = 0; d < days.size(); ++d) {
        if (!p.days[d].fixed && days[d].empty()) return "day " + std::to_string(d) + ": no working exercise";
        for (int o : days[d]) {
            // A completed day is what was done (a finisher circuit is one row per station, so it may
            // hold more rows than a planned day may): it is given, only the free days are judged.
            if (!p.days[d].fixed && !s.can_add(int(d), o))
                return "day " + std::to_string(d) + ": option " + std::to_string(o) + " breaks a per-day limit";
            s.add(int(d), o);
        }
    }
    for (size_t r = 0; r < p.required.size(); ++r)
        if (!s.requirement_met(r)) return p.required_label[r] + " is not planned in the microcycle";
    return "";
}

void size_search(const Request& r, double share, SolveOptions& so) {
    if (r.search_nodes <= 0) {
        so.time_limit_ms = std::max(1, int(r.time_limit_ms * share));
        return;
    }
    so.node_budget = std::max<int64_t>(1, int64_t(double(r.search_nodes) * share));
    double cap = r.time_limit_given ? r.time_limit_ms * share : double(so.node_budget) * double(wall_clock_factor) / double(nodes_per_ms);
    so.time_limit_ms = int(std::clamp(cap, 1.0, 600000.0));
}

Solution solve(const WeekProblem& p, const SolveOptions& opt) {
    auto t0 = Clock::now();
    Solution sol;
    std::vector<std::vector<int>> placement;
    if (!feasible(p, &placement)) throw Error(Status::infeasible, "the hard constraints cannot all hold");

    State state(p);
    for (size_t d = 0; d < p.days.size(); ++d)
        for (int o : p.days[d].fixed_options) state.add(int(d), o);
    std::vector<int> free = free_days(p);

    // Start: a given assignment when it is valid (re-planning keeps what it can), else the
    // coverage placement; then greedy filling by marginal change.
    bool started = false;
    if (opt.start && opt.start->size() == p.days.size() && violation(p, *opt.start).empty()) {
        for (int d : free)
            for (int o : (*opt.start)[size_t(d)]) state.add(d, o);
        started = true;
    }
    if (!started)
        for (int d : free)
            for (int o : placement[size_t(d)]) state.add(d, o);
    for (int d : free) {
        const Day& day = p.days[size_t(d)];
        for (const auto* list : {&day.main, &day.accessory, &day.finisher}) {
            while (true) {
                int best = -1;
                double best_delta = eps;
                if (list == &day.finisher && std::any_of(state.day(d).options.begin(), state.day(d).options.end(),
                                                         [&](int o) { return p.options[size_t(o)].role == Role::finisher; }))
                    break;
                for (int o : *list)
                    if (state.can_add(d, o)) {
                        double delta = state.delta(d, o);
                        if (delta > best_delta) best_delta = delta, best = o;
                    }
                if (best < 0) break;
                state.add(d, best);
            }
        }
    }
    auto snapshot = [&] {
        std::vector<std::vector<int>> out(p.days.size());
        for (size_t d = 0; d < p.days.size(); ++d) out[d] = state.day(int(d)).options;
        return out;
    };
    auto restore = [&](const std::vector<int>& days, const std::vector<std::vector<int>>& contents) {
        for (int d : days) {
            for (int o : std::vector<int>(state.day(d).options)) state.remove(d, o);
            for (int o : contents[size_t(d)]) state.add(d, o);
        }
    };
    std::vector<std::vector<int>> current = snapshot();
    double current_value = state.objective();

    int64_t budget = opt.node_budget > 0 ? opt.node_budget : int64_t(opt.time_limit_ms) * nodes_per_ms;
    Search search(p, opt, state);
    Rng rng{opt.seed * 0x2545f4914f6cdd1dULL + 0x1234567ULL};
    search.rng = &rng;
    size_t total_options = 0;
    for (int d : free) total_options += p.days[size_t(d)].main.size() + p.days[size_t(d)].accessory.size() + p.days[size_t(d)].finisher.size();
    // The combined bound costs a pass over the lists per node: worth it on small instances only.
    search.combined_bound = opt.exact || total_options <= 3000;

    auto full_search = [&](int64_t limit) {
        for (int d : free)
            for (int o : std::vector<int>(state.day(d).options)) state.remove(d, o);
        search.child_limit = 0;
        search.primary_only = false;
        search.noise = 0;
        bool improved = search.run(free, current_value - 1e-7, limit);
        restore(free, improved ? search.best() : current);
        current = snapshot();
        current_value = state.objective();
        return !search.aborted;
    };

    // 1. Branch and bound over the whole week from the greedy incumbent. On small instances it
    //    finishes, which proves the incumbent optimal.
    bool proven = !free.empty() && full_search(budget / 4);
    sol.time_limit_hit = search.time_hit;

    // 2. Large-neighbourhood search: free one day (sometimes two) and re-solve it by branch and
    //    bound over its best few children per node, with randomised child order and set counts;
    //    keep strict improvements.
    int stale = 0;
    while (!proven && !free.empty() && search.nodes < budget && !search.out_of_time()) {
        std::vector<int> chosen{free[size_t(rng.below(int(free.size())))]};
        if (free.size() > 1 && rng.below(3) == 0) {
            int other = free[size_t(rng.below(int(free.size())))];
            if (other != chosen[0]) chosen.push_back(other);
        }
        std::sort(chosen.begin(), chosen.end());
        // Destroy whole days, or (half the time) a random half of their exercises: the kept ones
        // stay in the state and the branch and bound fills around them.
        bool partial = rng.below(2) == 0;
        for (int d : chosen)
            for (int o : std::vector<int>(state.day(d).options))
                if (!partial || rng.below(2) == 0) state.remove(d, o);
        search.child_limit = 4 + rng.below(5);
        search.primary_only = rng.below(4) != 0;
        search.noise = rng.below(2) == 0 ? 0.0 : 0.5;
        int64_t per_iteration = std::max<int64_t>(300, budget / std::max<int64_t>(16, int64_t(free.size()) * 8));
        bool improved = search.run(chosen, current_value, std::min(per_iteration, budget - search.nodes + 1));
        sol.lns_iterations += 1;
        if (improved) {
            restore(chosen, search.best());
            current = snapshot();
            current_value = state.objective();
            sol.lns_improvements += 1;
            stale = 0;
        } else {
            restore(chosen, current);
            // Many tries without a better neighbour: locally optimal, stop early.
            if (++stale > int(free.size()) * 16 + 32) break;
        }
        if (search.time_hit) break;
    }
    sol.time_limit_hit = sol.time_limit_hit || search.time_hit;

    // 3. Set counts: swap an exercise for a sibling with another set count while that improves.
    for (bool improved = !proven; improved;) {
        improved = false;
        for (int d : free) {
            for (int o : std::vector<int>(state.day(d).options)) {
                const Option& x = p.options[size_t(o)];
                if (x.movement < 0) continue;
                const Day& day = p.days[size_t(d)];
                const auto& list = x.role == Role::main ? day.main : x.role == Role::finisher ? day.finisher : day.accessory;
                double base = state.objective();
                int best = -1;
                double best_value = base + eps;
                state.remove(d, o);
                for (int sib : list) {
                    const Option& y = p.options[size_t(sib)];
                    if (sib == o || y.movement != x.movement || y.role != x.role || !state.can_add(d, sib)) continue;
                    state.add(d, sib);
                    if (state.objective() > best_value) best_value = state.objective(), best = sib;
                    state.remove(d, sib);
                }
                state.add(d, best >= 0 ? best : o);
                if (best >= 0) improved = true;
            }
        }
    }
    current = snapshot();
    current_value = state.objective();

    // 4. Exact mode: branch and bound to completion (no node limit) from the incumbent.
    if (opt.exact && !proven && !free.empty()) {
        search.combined_bound = true;
        proven = full_search(0);
        sol.time_limit_hit = sol.time_limit_hit || search.time_hit;
    }
    sol.proven_optimal = proven;
    sol.nodes = search.nodes;
    sol.days = current;
    sol.terms = state.terms();
    sol.objective = current_value;
    sol.feasible = true;
    (void)t0;
    return sol;
}

}  // namespace gainsly::plan
