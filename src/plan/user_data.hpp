// What the planner knows of the user: rules, injuries, skills, activities, logged sets.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "plan/catalog_view.hpp"

namespace gainsly::plan {

struct Rule {
    int movement = -1;  // movement index
    std::string type;   // hard_no, hard_yes, preferred
};

struct Injury {
    std::string part;  // muscles.name (muscle or joint)
    double severity = 1.0;
    std::string description;
};

struct EnjoyedActivity {
    std::string activity;       // enjoyable_activity value
    std::vector<int> weekdays;  // ISO 1..7
    double score = 0.5;
    // Dates it was actually done (completed activity_instances, logged or ingested, in the 14 days
    // up to as_of): they count for the interference windows like planned weekdays. An activity
    // done but not among the user's enjoyable ones gets an entry with no weekdays.
    std::vector<Date> done;
};

// A top set from the user's log, as the planner reads it (e1RM history, recent movements).
struct HistorySet {
    int movement = -1;
    Date date;
    int reps = 0;
    double load = 0, rpe = 0;
};

struct UserData {
    int64_t id = 0;
    std::string experience = "beginner";
    std::string tone = "supportive";
    int aggression = 3;
    std::string formula = "epley";
    bool metric = true;
    std::vector<Rule> rules;
    std::vector<Injury> injuries;
    std::map<int64_t, int> discipline_skill;  // discipline id -> skill index
    std::vector<EnjoyedActivity> activities;
    std::map<int, double> enjoyed_movements;  // movement index -> enjoyment score
    std::map<int, int> pattern_consecutive;   // pattern -> consecutive_exposures (recent)
    std::vector<HistorySet> sets;             // chronological
    std::map<int, Date> recent_movements;     // movement -> last planned/logged date before the program
    std::string long_term_goal;               // user_profiles.long_term_goal_description
    std::string top_discipline;               // the highest-scored key of user_profiles.discipline_preferences
    std::vector<std::string> skill_disciplines;  // disciplines.name of the user's user_skills rows
};

UserData load_user(store::Database& db, const Catalog& catalog, int64_t user_id, Date as_of, int lookback_days);

}  // namespace gainsly::plan
