-- Generated from schema/schema.json (version 3) by gainsly-schema. Do not edit.

CREATE TABLE "users" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_users_uid" UNIQUE CONSTRAINT "ck_users_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "email" VARCHAR(255) CONSTRAINT "uq_users_email" UNIQUE CONSTRAINT "ck_users_email_len" CHECK (length("email") <= 255),
  "name" VARCHAR(100) CONSTRAINT "ck_users_name_len" CHECK (length("name") <= 100),
  "experience_level" TEXT CONSTRAINT "ck_users_experience_level_enum" CHECK ("experience_level" IN ('beginner', 'intermediate', 'advanced', 'expert')),
  "macro_experience_level" TEXT CONSTRAINT "ck_users_macro_experience_level_enum" CHECK ("macro_experience_level" IN ('beginner', 'intermediate', 'advanced', 'expert')),
  "persona_tone" TEXT CONSTRAINT "ck_users_persona_tone_enum" CHECK ("persona_tone" IN ('drill_sergeant', 'supportive', 'analytical', 'motivational', 'minimalist')),
  "persona_aggression" INTEGER CONSTRAINT "ck_users_persona_aggression_values" CHECK ("persona_aggression" IN (1, 2, 3, 4, 5)),
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_users_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at"),
  "updated_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_users_updated_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at") IS "updated_at")
);

CREATE TABLE "user_profiles" (
  "user_id" INTEGER PRIMARY KEY REFERENCES "users" ("id") ON DELETE CASCADE,
  "uid" UUID NOT NULL CONSTRAINT "uq_user_profiles_uid" UNIQUE CONSTRAINT "ck_user_profiles_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "date_of_birth" DATE CONSTRAINT "ck_user_profiles_date_of_birth_date" CHECK (date("date_of_birth") IS "date_of_birth"),
  "sex" TEXT CONSTRAINT "ck_user_profiles_sex_enum" CHECK ("sex" IN ('female', 'male', 'intersex', 'unspecified')),
  "height_cm" INTEGER,
  "discipline_preferences" JSON CONSTRAINT "ck_user_profiles_discipline_preferences_json" CHECK ("discipline_preferences" IS NULL OR json_valid("discipline_preferences")),
  "discipline_experience" JSON CONSTRAINT "ck_user_profiles_discipline_experience_json" CHECK ("discipline_experience" IS NULL OR json_valid("discipline_experience")),
  "scheduling_preferences" JSON CONSTRAINT "ck_user_profiles_scheduling_preferences_json" CHECK ("scheduling_preferences" IS NULL OR json_valid("scheduling_preferences")),
  "long_term_goal_category" TEXT CONSTRAINT "ck_user_profiles_long_term_goal_category_enum" CHECK ("long_term_goal_category" IN ('body_composition', 'strength_1rm', 'endurance_event', 'habit_consistency', 'skill_acquisition')),
  "long_term_goal_description" TEXT,
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_user_profiles_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at"),
  "updated_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_user_profiles_updated_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at") IS "updated_at"),
  CONSTRAINT "ck_user_profiles_height_range" CHECK (height_cm IS NULL OR (height_cm > 0 AND height_cm < 300))
);

CREATE TABLE "user_settings" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_user_settings_uid" UNIQUE CONSTRAINT "ck_user_settings_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "user_id" INTEGER NOT NULL CONSTRAINT "uq_user_settings_user_id" UNIQUE REFERENCES "users" ("id") ON DELETE CASCADE,
  "active_e1rm_formula" TEXT NOT NULL DEFAULT 'epley' CONSTRAINT "ck_user_settings_active_e1rm_formula_enum" CHECK ("active_e1rm_formula" IN ('epley', 'brzycki', 'lombardi', 'oconner')),
  "use_metric" BOOLEAN NOT NULL DEFAULT 1 CONSTRAINT "ck_user_settings_use_metric_bool" CHECK ("use_metric" IN (0, 1))
);

CREATE TABLE "macro_cycles" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_macro_cycles_uid" UNIQUE CONSTRAINT "ck_macro_cycles_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "user_id" INTEGER REFERENCES "users" ("id") ON DELETE CASCADE,
  "name" VARCHAR(100) CONSTRAINT "ck_macro_cycles_name_len" CHECK (length("name") <= 100),
  "start_date" DATE CONSTRAINT "ck_macro_cycles_start_date_date" CHECK (date("start_date") IS "start_date"),
  "end_date" DATE CONSTRAINT "ck_macro_cycles_end_date_date" CHECK (date("end_date") IS "end_date"),
  "goal" TEXT CONSTRAINT "ck_macro_cycles_goal_enum" CHECK ("goal" IN ('strength', 'hypertrophy', 'endurance', 'fat_loss', 'mobility', 'explosiveness', 'speed')),
  "notes" TEXT,
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_macro_cycles_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at"),
  "updated_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_macro_cycles_updated_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at") IS "updated_at"),
  CONSTRAINT "ck_macro_cycles_dates_ordered" CHECK (start_date IS NULL OR end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX "ix_macro_cycles_user_id" ON "macro_cycles" ("user_id");
CREATE INDEX "ix_macro_cycles_user_id_start_date" ON "macro_cycles" ("user_id", "start_date");

CREATE TABLE "programs" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_programs_uid" UNIQUE CONSTRAINT "ck_programs_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "user_id" INTEGER REFERENCES "users" ("id") ON DELETE CASCADE,
  "macro_cycle_id" INTEGER REFERENCES "macro_cycles" ("id") ON DELETE SET NULL,
  "name" VARCHAR(100) CONSTRAINT "ck_programs_name_len" CHECK (length("name") <= 100),
  "start_date" DATE CONSTRAINT "ck_programs_start_date_date" CHECK (date("start_date") IS "start_date"),
  "duration_weeks" INTEGER,
  "goal_1" TEXT CONSTRAINT "ck_programs_goal_1_enum" CHECK ("goal_1" IN ('strength', 'hypertrophy', 'endurance', 'fat_loss', 'mobility', 'explosiveness', 'speed')),
  "goal_2" TEXT CONSTRAINT "ck_programs_goal_2_enum" CHECK ("goal_2" IN ('strength', 'hypertrophy', 'endurance', 'fat_loss', 'mobility', 'explosiveness', 'speed')),
  "goal_3" TEXT CONSTRAINT "ck_programs_goal_3_enum" CHECK ("goal_3" IN ('strength', 'hypertrophy', 'endurance', 'fat_loss', 'mobility', 'explosiveness', 'speed')),
  "goal_weight_1" INTEGER,
  "goal_weight_2" INTEGER,
  "goal_weight_3" INTEGER,
  "split" TEXT CONSTRAINT "ck_programs_split_enum" CHECK ("split" IN ('upper_lower', 'ppl', 'full_body', 'hybrid')),
  "progression_style" TEXT CONSTRAINT "ck_programs_progression_style_enum" CHECK ("progression_style" IN ('single_progression', 'double_progression', 'paused_variations', 'build_to_drop', 'wave_loading')),
  "visibility" TEXT NOT NULL DEFAULT 'private' CONSTRAINT "ck_programs_visibility_enum" CHECK ("visibility" IN ('private', 'friends', 'public')),
  "request_json" JSON CONSTRAINT "ck_programs_request_json_json" CHECK ("request_json" IS NULL OR json_valid("request_json")),
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_programs_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at"),
  "updated_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_programs_updated_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at") IS "updated_at"),
  CONSTRAINT "ck_programs_duration_range" CHECK (duration_weeks IS NULL OR (duration_weeks >= 1 AND duration_weeks <= 52)),
  CONSTRAINT "ck_programs_goal_weights_positive" CHECK ((goal_weight_1 IS NULL OR goal_weight_1 > 0) AND (goal_weight_2 IS NULL OR goal_weight_2 > 0) AND (goal_weight_3 IS NULL OR goal_weight_3 > 0)),
  CONSTRAINT "ck_programs_goal_weights_paired" CHECK ((goal_1 IS NULL) = (goal_weight_1 IS NULL) AND (goal_2 IS NULL) = (goal_weight_2 IS NULL) AND (goal_3 IS NULL) = (goal_weight_3 IS NULL)),
  CONSTRAINT "ck_programs_goal_weights_sum_10" CHECK ((goal_weight_1 IS NULL AND goal_weight_2 IS NULL AND goal_weight_3 IS NULL) OR COALESCE(goal_weight_1, 0) + COALESCE(goal_weight_2, 0) + COALESCE(goal_weight_3, 0) = 10)
);
CREATE INDEX "ix_programs_user_id" ON "programs" ("user_id");
CREATE INDEX "ix_programs_macro_cycle_id" ON "programs" ("macro_cycle_id");
CREATE INDEX "ix_programs_user_id_start_date" ON "programs" ("user_id", "start_date");

CREATE TABLE "program_goals" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_program_goals_uid" UNIQUE CONSTRAINT "ck_program_goals_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "program_id" INTEGER REFERENCES "programs" ("id") ON DELETE CASCADE,
  "goal_type" TEXT CONSTRAINT "ck_program_goals_goal_type_enum" CHECK ("goal_type" IN ('strength', 'hypertrophy', 'endurance', 'fat_loss', 'mobility', 'explosiveness', 'speed')),
  "target_value" REAL,
  "current_value" REAL,
  "unit" VARCHAR(50) CONSTRAINT "ck_program_goals_unit_len" CHECK (length("unit") <= 50),
  "achieved" BOOLEAN NOT NULL DEFAULT 0 CONSTRAINT "ck_program_goals_achieved_bool" CHECK ("achieved" IN (0, 1)),
  "achieved_at" DATE CONSTRAINT "ck_program_goals_achieved_at_date" CHECK (date("achieved_at") IS "achieved_at"),
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_program_goals_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at"),
  "updated_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_program_goals_updated_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at") IS "updated_at")
);
CREATE INDEX "ix_program_goals_program_id" ON "program_goals" ("program_id");
CREATE INDEX "ix_program_goals_program_id_achieved" ON "program_goals" ("program_id", "achieved");

CREATE TABLE "microcycles" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_microcycles_uid" UNIQUE CONSTRAINT "ck_microcycles_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "program_id" INTEGER REFERENCES "programs" ("id") ON DELETE CASCADE,
  "week_number" INTEGER,
  "microcycle_type" TEXT CONSTRAINT "ck_microcycles_microcycle_type_enum" CHECK ("microcycle_type" IN ('accumulation', 'intensification', 'realization', 'deload', 'transition')),
  "intensity_percent" REAL,
  "volume_percent" REAL,
  "deload_week" BOOLEAN NOT NULL DEFAULT 0 CONSTRAINT "ck_microcycles_deload_week_bool" CHECK ("deload_week" IN (0, 1)),
  "status" TEXT NOT NULL DEFAULT 'planned' CONSTRAINT "ck_microcycles_status_enum" CHECK ("status" IN ('planned', 'active', 'complete')),
  "notes" TEXT,
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_microcycles_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at"),
  "updated_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_microcycles_updated_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at") IS "updated_at"),
  CONSTRAINT "uq_microcycles_program_id_week_number" UNIQUE ("program_id", "week_number"),
  CONSTRAINT "ck_microcycles_week_positive" CHECK (week_number IS NULL OR week_number >= 1),
  CONSTRAINT "ck_microcycles_intensity_range" CHECK (intensity_percent IS NULL OR (intensity_percent >= 0 AND intensity_percent <= 200)),
  CONSTRAINT "ck_microcycles_volume_range" CHECK (volume_percent IS NULL OR (volume_percent >= 0 AND volume_percent <= 200))
);
CREATE INDEX "ix_microcycles_program_id" ON "microcycles" ("program_id");

CREATE TABLE "movements" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_movements_uid" UNIQUE CONSTRAINT "ck_movements_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "name" VARCHAR(200) CONSTRAINT "uq_movements_name" UNIQUE CONSTRAINT "ck_movements_name_len" CHECK (length("name") <= 200),
  "pattern" TEXT CONSTRAINT "ck_movements_pattern_enum" CHECK ("pattern" IN ('squat', 'hinge', 'horizontal_push', 'vertical_push', 'horizontal_pull', 'vertical_pull', 'carry', 'core', 'lunge', 'rotation', 'plyometric', 'olympic', 'isolation', 'mobility', 'isometric', 'conditioning', 'cardio')),
  "block_type" VARCHAR(50) CONSTRAINT "ck_movements_block_type_len" CHECK (length("block_type") <= 50),
  "primary_muscle" TEXT CONSTRAINT "ck_movements_primary_muscle_enum" CHECK ("primary_muscle" IN ('quadriceps', 'hamstrings', 'glutes', 'calves', 'chest', 'lats', 'upper_back', 'rear_delts', 'front_delts', 'side_delts', 'biceps', 'triceps', 'forearms', 'core', 'obliques', 'lower_back', 'hip_flexors', 'adductors', 'full_body')),
  "primary_region" TEXT CONSTRAINT "ck_movements_primary_region_enum" CHECK ("primary_region" IN ('anterior lower', 'posterior lower', 'shoulder', 'anterior upper', 'posterior upper', 'full body', 'lower body', 'upper body')),
  "cns_load" TEXT CONSTRAINT "ck_movements_cns_load_enum" CHECK ("cns_load" IN ('very_low', 'low', 'moderate', 'high', 'very_high')),
  "skill_level" TEXT CONSTRAINT "ck_movements_skill_level_enum" CHECK ("skill_level" IN ('beginner', 'intermediate', 'advanced', 'expert', 'elite')),
  "spinal_compression" TEXT CONSTRAINT "ck_movements_spinal_compression_enum" CHECK ("spinal_compression" IN ('none', 'low', 'moderate', 'high')),
  "metric_type" TEXT CONSTRAINT "ck_movements_metric_type_enum" CHECK ("metric_type" IN ('reps', 'time', 'time_under_tension', 'distance')),
  "fatigue_factor" REAL,
  "stimulus_factor" REAL,
  "injury_risk_factor" REAL,
  "description" TEXT,
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_movements_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at"),
  "updated_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_movements_updated_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at") IS "updated_at"),
  CONSTRAINT "ck_movements_fatigue_range" CHECK (fatigue_factor IS NULL OR (fatigue_factor >= 0 AND fatigue_factor <= 5)),
  CONSTRAINT "ck_movements_stimulus_range" CHECK (stimulus_factor IS NULL OR (stimulus_factor >= 0 AND stimulus_factor <= 5)),
  CONSTRAINT "ck_movements_injury_risk_range" CHECK (injury_risk_factor IS NULL OR (injury_risk_factor >= 0 AND injury_risk_factor <= 1))
);
CREATE INDEX "ix_movements_pattern_skill_level" ON "movements" ("pattern", "skill_level");

CREATE TABLE "movement_relationships" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_movement_relationships_uid" UNIQUE CONSTRAINT "ck_movement_relationships_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "movement_1_id" INTEGER REFERENCES "movements" ("id") ON DELETE CASCADE,
  "movement_2_id" INTEGER REFERENCES "movements" ("id") ON DELETE CASCADE,
  "relationship_type" TEXT CONSTRAINT "ck_movement_relationships_relationship_type_enum" CHECK ("relationship_type" IN ('progression', 'regression', 'variation', 'antagonist', 'prep')),
  "severity" REAL NOT NULL DEFAULT 0.5,
  "notes" TEXT,
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_movement_relationships_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at"),
  "updated_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_movement_relationships_updated_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at") IS "updated_at"),
  CONSTRAINT "uq_movement_relationships_movement_1_id_movement_2_id__6ba6f522" UNIQUE ("movement_1_id", "movement_2_id", "relationship_type"),
  CONSTRAINT "ck_movement_relationships_severity_range" CHECK (severity >= 0 AND severity <= 1),
  CONSTRAINT "ck_movement_relationships_distinct_ends" CHECK (movement_1_id IS NULL OR movement_2_id IS NULL OR movement_1_id <> movement_2_id)
);
CREATE INDEX "ix_movement_relationships_movement_1_id" ON "movement_relationships" ("movement_1_id");
CREATE INDEX "ix_movement_relationships_movement_2_id" ON "movement_relationships" ("movement_2_id");
CREATE INDEX "ix_movement_relationships_movement_1_id_relationship_type" ON "movement_relationships" ("movement_1_id", "relationship_type");

CREATE TABLE "muscles" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_muscles_uid" UNIQUE CONSTRAINT "ck_muscles_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "name" VARCHAR(100) CONSTRAINT "uq_muscles_name" UNIQUE CONSTRAINT "ck_muscles_name_len" CHECK (length("name") <= 100),
  "body_region" VARCHAR(50) CONSTRAINT "ck_muscles_body_region_len" CHECK (length("body_region") <= 50),
  "description" TEXT,
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_muscles_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at")
);
CREATE INDEX "ix_muscles_body_region_name" ON "muscles" ("body_region", "name");

CREATE TABLE "equipment" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_equipment_uid" UNIQUE CONSTRAINT "ck_equipment_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "name" VARCHAR(100) CONSTRAINT "uq_equipment_name" UNIQUE CONSTRAINT "ck_equipment_name_len" CHECK (length("name") <= 100),
  "description" TEXT,
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_equipment_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at")
);

CREATE TABLE "movement_equipment" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_movement_equipment_uid" UNIQUE CONSTRAINT "ck_movement_equipment_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "movement_id" INTEGER NOT NULL REFERENCES "movements" ("id") ON DELETE CASCADE,
  "equipment_id" INTEGER NOT NULL REFERENCES "equipment" ("id") ON DELETE CASCADE,
  CONSTRAINT "uq_movement_equipment_movement_id_equipment_id" UNIQUE ("movement_id", "equipment_id")
);
CREATE INDEX "ix_movement_equipment_movement_id" ON "movement_equipment" ("movement_id");
CREATE INDEX "ix_movement_equipment_equipment_id" ON "movement_equipment" ("equipment_id");

CREATE TABLE "movement_tags" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_movement_tags_uid" UNIQUE CONSTRAINT "ck_movement_tags_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "movement_id" INTEGER NOT NULL REFERENCES "movements" ("id") ON DELETE CASCADE,
  "tag" VARCHAR(50) NOT NULL CONSTRAINT "ck_movement_tags_tag_len" CHECK (length("tag") <= 50),
  CONSTRAINT "uq_movement_tags_movement_id_tag" UNIQUE ("movement_id", "tag")
);
CREATE INDEX "ix_movement_tags_movement_id" ON "movement_tags" ("movement_id");
CREATE INDEX "ix_movement_tags_tag" ON "movement_tags" ("tag");

CREATE TABLE "user_injuries" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_user_injuries_uid" UNIQUE CONSTRAINT "ck_user_injuries_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "user_id" INTEGER REFERENCES "users" ("id") ON DELETE CASCADE,
  "body_part" VARCHAR(50) REFERENCES "muscles" ("name") ON DELETE RESTRICT CONSTRAINT "ck_user_injuries_body_part_len" CHECK (length("body_part") <= 50),
  "severity" REAL NOT NULL DEFAULT 1.0,
  "description" VARCHAR(255) CONSTRAINT "ck_user_injuries_description_len" CHECK (length("description") <= 255),
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_user_injuries_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at"),
  CONSTRAINT "ck_user_injuries_severity_range" CHECK (severity >= 0 AND severity <= 1)
);
CREATE INDEX "ix_user_injuries_user_id" ON "user_injuries" ("user_id");
CREATE INDEX "ix_user_injuries_body_part" ON "user_injuries" ("body_part");
CREATE INDEX "ix_user_injuries_user_id_severity" ON "user_injuries" ("user_id", "severity" DESC);

CREATE TABLE "pattern_exposure" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_pattern_exposure_uid" UNIQUE CONSTRAINT "ck_pattern_exposure_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "user_id" INTEGER REFERENCES "users" ("id") ON DELETE CASCADE,
  "pattern_type" TEXT CONSTRAINT "ck_pattern_exposure_pattern_type_enum" CHECK ("pattern_type" IN ('squat', 'hinge', 'horizontal_push', 'vertical_push', 'horizontal_pull', 'vertical_pull', 'carry', 'core', 'lunge', 'rotation', 'plyometric', 'olympic', 'isolation', 'mobility', 'isometric', 'conditioning', 'cardio')),
  "exposure_count" INTEGER NOT NULL DEFAULT 0,
  "last_exposure_date" DATE CONSTRAINT "ck_pattern_exposure_last_exposure_date_date" CHECK (date("last_exposure_date") IS "last_exposure_date"),
  "consecutive_exposures" INTEGER NOT NULL DEFAULT 0,
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_pattern_exposure_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at"),
  "updated_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_pattern_exposure_updated_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at") IS "updated_at"),
  CONSTRAINT "uq_pattern_exposure_user_id_pattern_type" UNIQUE ("user_id", "pattern_type"),
  CONSTRAINT "ck_pattern_exposure_count_nonnegative" CHECK (exposure_count >= 0),
  CONSTRAINT "ck_pattern_exposure_consecutive_nonnegative" CHECK (consecutive_exposures >= 0)
);
CREATE INDEX "ix_pattern_exposure_user_id" ON "pattern_exposure" ("user_id");
CREATE INDEX "ix_pattern_exposure_user_id_last_exposure_date" ON "pattern_exposure" ("user_id", "last_exposure_date");

CREATE TABLE "soreness_logs" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_soreness_logs_uid" UNIQUE CONSTRAINT "ck_soreness_logs_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "user_id" INTEGER REFERENCES "users" ("id") ON DELETE CASCADE,
  "log_date" DATE CONSTRAINT "ck_soreness_logs_log_date_date" CHECK (date("log_date") IS "log_date"),
  "body_part" VARCHAR(50) CONSTRAINT "ck_soreness_logs_body_part_len" CHECK (length("body_part") <= 50),
  "severity" INTEGER,
  "notes" TEXT,
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_soreness_logs_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at"),
  "updated_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_soreness_logs_updated_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at") IS "updated_at"),
  CONSTRAINT "ck_soreness_logs_severity_range" CHECK (severity IS NULL OR (severity >= 1 AND severity <= 10))
);
CREATE INDEX "ix_soreness_logs_user_id" ON "soreness_logs" ("user_id");
CREATE INDEX "ix_soreness_logs_log_date" ON "soreness_logs" ("log_date");
CREATE INDEX "ix_soreness_logs_user_id_log_date_body_part" ON "soreness_logs" ("user_id", "log_date", "body_part");

CREATE TABLE "recovery_signals" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_recovery_signals_uid" UNIQUE CONSTRAINT "ck_recovery_signals_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "user_id" INTEGER REFERENCES "users" ("id") ON DELETE CASCADE,
  "signal_date" DATE CONSTRAINT "ck_recovery_signals_signal_date_date" CHECK (date("signal_date") IS "signal_date"),
  "overall_recovery_score" REAL NOT NULL DEFAULT 100.0,
  "muscle_recovery_json" JSON NOT NULL DEFAULT '{}' CONSTRAINT "ck_recovery_signals_muscle_recovery_json_json" CHECK ("muscle_recovery_json" IS NULL OR json_valid("muscle_recovery_json")),
  "sleep_quality_score" REAL NOT NULL DEFAULT 0.0,
  "soreness_score" REAL NOT NULL DEFAULT 0.0,
  "hrv_score" REAL,
  "resting_heart_rate" REAL,
  "readiness_score" REAL NOT NULL DEFAULT 0.0,
  "source" TEXT CONSTRAINT "ck_recovery_signals_source_enum" CHECK ("source" IN ('dummy', 'manual', 'garmin', 'apple', 'aura ring', 'whoop band')),
  "notes" TEXT,
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_recovery_signals_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at"),
  "updated_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_recovery_signals_updated_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at") IS "updated_at"),
  CONSTRAINT "ck_recovery_signals_recovery_range" CHECK (overall_recovery_score >= 0 AND overall_recovery_score <= 100),
  CONSTRAINT "ck_recovery_signals_readiness_range" CHECK (readiness_score >= 0 AND readiness_score <= 100),
  CONSTRAINT "ck_recovery_signals_sleep_range" CHECK (sleep_quality_score >= 0 AND sleep_quality_score <= 100),
  CONSTRAINT "ck_recovery_signals_soreness_range" CHECK (soreness_score >= 0 AND soreness_score <= 10),
  CONSTRAINT "ck_recovery_signals_hrv_positive" CHECK (hrv_score IS NULL OR hrv_score >= 0),
  CONSTRAINT "ck_recovery_signals_rhr_range" CHECK (resting_heart_rate IS NULL OR (resting_heart_rate > 0 AND resting_heart_rate < 250))
);
CREATE INDEX "ix_recovery_signals_user_id" ON "recovery_signals" ("user_id");
CREATE INDEX "ix_recovery_signals_signal_date" ON "recovery_signals" ("signal_date");
CREATE INDEX "ix_recovery_signals_user_id_signal_date" ON "recovery_signals" ("user_id", "signal_date");

CREATE TABLE "user_biometrics_history" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_user_biometrics_history_uid" UNIQUE CONSTRAINT "ck_user_biometrics_history_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "user_id" INTEGER REFERENCES "users" ("id") ON DELETE CASCADE,
  "measurement_date" DATE CONSTRAINT "ck_user_biometrics_history_measurement_date_date" CHECK (date("measurement_date") IS "measurement_date"),
  "weight_kg" REAL,
  "body_fat_percentage" REAL,
  "lean_mass_kg" REAL,
  "fat_mass_kg" REAL,
  "waist_cm" REAL,
  "chest_cm" REAL,
  "hips_cm" REAL,
  "notes" TEXT,
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_user_biometrics_history_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at"),
  "updated_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_user_biometrics_history_updated_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at") IS "updated_at"),
  CONSTRAINT "ck_user_biometrics_history_weight_positive" CHECK (weight_kg IS NULL OR weight_kg > 0),
  CONSTRAINT "ck_user_biometrics_history_body_fat_range" CHECK (body_fat_percentage IS NULL OR (body_fat_percentage >= 0 AND body_fat_percentage <= 100)),
  CONSTRAINT "ck_user_biometrics_history_masses_nonnegative" CHECK ((lean_mass_kg IS NULL OR lean_mass_kg >= 0) AND (fat_mass_kg IS NULL OR fat_mass_kg >= 0)),
  CONSTRAINT "ck_user_biometrics_history_girths_positive" CHECK ((waist_cm IS NULL OR waist_cm > 0) AND (chest_cm IS NULL OR chest_cm > 0) AND (hips_cm IS NULL OR hips_cm > 0))
);
CREATE INDEX "ix_user_biometrics_history_user_id" ON "user_biometrics_history" ("user_id");
CREATE INDEX "ix_user_biometrics_history_measurement_date" ON "user_biometrics_history" ("measurement_date");
CREATE INDEX "ix_user_biometrics_history_user_id_measurement_date" ON "user_biometrics_history" ("user_id", "measurement_date");

CREATE TABLE "goals" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_goals_uid" UNIQUE CONSTRAINT "ck_goals_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "name" VARCHAR(100) CONSTRAINT "uq_goals_name" UNIQUE CONSTRAINT "ck_goals_name_len" CHECK (length("name") <= 100),
  "description" TEXT,
  "default_weight" INTEGER NOT NULL DEFAULT 1,
  CONSTRAINT "ck_goals_default_weight_range" CHECK (default_weight >= 1 AND default_weight <= 10)
);

CREATE TABLE "goal_checkins" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_goal_checkins_uid" UNIQUE CONSTRAINT "ck_goal_checkins_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "user_id" INTEGER REFERENCES "users" ("id") ON DELETE CASCADE,
  "program_id" INTEGER REFERENCES "programs" ("id") ON DELETE CASCADE,
  "checkin_date" DATE CONSTRAINT "ck_goal_checkins_checkin_date_date" CHECK (date("checkin_date") IS "checkin_date"),
  "goal_id" INTEGER REFERENCES "goals" ("id") ON DELETE RESTRICT,
  "current_value" REAL,
  "target_value" REAL,
  "notes" TEXT,
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_goal_checkins_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at")
);
CREATE INDEX "ix_goal_checkins_user_id" ON "goal_checkins" ("user_id");
CREATE INDEX "ix_goal_checkins_program_id" ON "goal_checkins" ("program_id");
CREATE INDEX "ix_goal_checkins_checkin_date" ON "goal_checkins" ("checkin_date");
CREATE INDEX "ix_goal_checkins_goal_id" ON "goal_checkins" ("goal_id");
CREATE INDEX "ix_goal_checkins_user_id_program_id_checkin_date" ON "goal_checkins" ("user_id", "program_id", "checkin_date");

CREATE TABLE "disciplines" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_disciplines_uid" UNIQUE CONSTRAINT "ck_disciplines_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "name" VARCHAR(100) CONSTRAINT "uq_disciplines_name" UNIQUE CONSTRAINT "ck_disciplines_name_len" CHECK (length("name") <= 100),
  "description" TEXT,
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_disciplines_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at")
);

CREATE TABLE "user_fatigue_state" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_user_fatigue_state_uid" UNIQUE CONSTRAINT "ck_user_fatigue_state_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "user_id" INTEGER REFERENCES "users" ("id") ON DELETE CASCADE,
  "date" DATE CONSTRAINT "ck_user_fatigue_state_date_date" CHECK (date("date") IS "date"),
  "muscle_fatigue_json" JSON NOT NULL DEFAULT '{}' CONSTRAINT "ck_user_fatigue_state_muscle_fatigue_json_json" CHECK ("muscle_fatigue_json" IS NULL OR json_valid("muscle_fatigue_json")),
  "systemic_fatigue" REAL NOT NULL DEFAULT 0.0,
  "cns_fatigue" REAL NOT NULL DEFAULT 0.0,
  "recovery_score" REAL NOT NULL DEFAULT 100.0,
  "notes" TEXT,
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_user_fatigue_state_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at"),
  CONSTRAINT "uq_user_fatigue_state_user_id_date" UNIQUE ("user_id", "date"),
  CONSTRAINT "ck_user_fatigue_state_systemic_nonnegative" CHECK (systemic_fatigue >= 0),
  CONSTRAINT "ck_user_fatigue_state_cns_nonnegative" CHECK (cns_fatigue >= 0),
  CONSTRAINT "ck_user_fatigue_state_recovery_range" CHECK (recovery_score >= 0 AND recovery_score <= 100)
);
CREATE INDEX "ix_user_fatigue_state_user_id" ON "user_fatigue_state" ("user_id");
CREATE INDEX "ix_user_fatigue_state_date" ON "user_fatigue_state" ("date");

CREATE TABLE "circuit_templates" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_circuit_templates_uid" UNIQUE CONSTRAINT "ck_circuit_templates_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "name" VARCHAR(200) CONSTRAINT "uq_circuit_templates_name" UNIQUE CONSTRAINT "ck_circuit_templates_name_len" CHECK (length("name") <= 200),
  "description" TEXT,
  "circuit_type" TEXT CONSTRAINT "ck_circuit_templates_circuit_type_enum" CHECK ("circuit_type" IN ('rounds_for_time', 'amrap', 'emom', 'ladder', 'tabata', 'chipper', 'station')),
  "exercises_json" JSON NOT NULL DEFAULT '[]' CONSTRAINT "ck_circuit_templates_exercises_json_json" CHECK ("exercises_json" IS NULL OR json_valid("exercises_json")),
  "default_rounds" INTEGER,
  "default_duration_seconds" INTEGER,
  "bucket_stress" JSON NOT NULL DEFAULT '{}' CONSTRAINT "ck_circuit_templates_bucket_stress_json" CHECK ("bucket_stress" IS NULL OR json_valid("bucket_stress")),
  "tags" JSON NOT NULL DEFAULT '[]' CONSTRAINT "ck_circuit_templates_tags_json" CHECK ("tags" IS NULL OR json_valid("tags")),
  "difficulty_tier" INTEGER NOT NULL DEFAULT 1,
  "fatigue_factor" REAL NOT NULL DEFAULT 1.0,
  "stimulus_factor" REAL NOT NULL DEFAULT 1.0,
  "min_recovery_hours" INTEGER NOT NULL DEFAULT 24,
  CONSTRAINT "ck_circuit_templates_rounds_positive" CHECK (default_rounds IS NULL OR default_rounds >= 1),
  CONSTRAINT "ck_circuit_templates_duration_nonnegative" CHECK (default_duration_seconds IS NULL OR default_duration_seconds >= 0),
  CONSTRAINT "ck_circuit_templates_tier_range" CHECK (difficulty_tier >= 1 AND difficulty_tier <= 5),
  CONSTRAINT "ck_circuit_templates_factors_nonnegative" CHECK (fatigue_factor >= 0 AND stimulus_factor >= 0),
  CONSTRAINT "ck_circuit_templates_recovery_nonnegative" CHECK (min_recovery_hours >= 0)
);
CREATE INDEX "ix_circuit_templates_circuit_type_difficulty_tier" ON "circuit_templates" ("circuit_type", "difficulty_tier");

CREATE TABLE "heuristic_configs" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_heuristic_configs_uid" UNIQUE CONSTRAINT "ck_heuristic_configs_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "key" VARCHAR(255) CONSTRAINT "uq_heuristic_configs_key" UNIQUE CONSTRAINT "ck_heuristic_configs_key_len" CHECK (length("key") <= 255),
  "value" TEXT,
  "description" TEXT,
  "category" VARCHAR(100) CONSTRAINT "ck_heuristic_configs_category_len" CHECK (length("category") <= 100),
  "data_type" TEXT CONSTRAINT "ck_heuristic_configs_data_type_enum" CHECK ("data_type" IN ('int', 'float', 'bool', 'string', 'json')),
  "is_active" BOOLEAN NOT NULL DEFAULT 1 CONSTRAINT "ck_heuristic_configs_is_active_bool" CHECK ("is_active" IN (0, 1)),
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_heuristic_configs_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at"),
  "updated_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_heuristic_configs_updated_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at") IS "updated_at")
);
CREATE INDEX "ix_heuristic_configs_category" ON "heuristic_configs" ("category");
CREATE INDEX "ix_heuristic_configs_category_is_active" ON "heuristic_configs" ("category", "is_active");

CREATE TABLE "conversation_threads" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_conversation_threads_uid" UNIQUE CONSTRAINT "ck_conversation_threads_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "user_id" INTEGER REFERENCES "users" ("id") ON DELETE CASCADE,
  "title" VARCHAR(255) CONSTRAINT "ck_conversation_threads_title_len" CHECK (length("title") <= 255),
  "context_type" TEXT CONSTRAINT "ck_conversation_threads_context_type_enum" CHECK ("context_type" IN ('general', 'program', 'microcycle', 'session', 'movement', 'recovery')),
  "context_id" INTEGER,
  "is_active" BOOLEAN NOT NULL DEFAULT 1 CONSTRAINT "ck_conversation_threads_is_active_bool" CHECK ("is_active" IN (0, 1)),
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_conversation_threads_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at"),
  "updated_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_conversation_threads_updated_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at") IS "updated_at")
);
CREATE INDEX "ix_conversation_threads_user_id" ON "conversation_threads" ("user_id");
CREATE INDEX "ix_conversation_threads_context_type" ON "conversation_threads" ("context_type");
CREATE INDEX "ix_conversation_threads_context_id" ON "conversation_threads" ("context_id");
CREATE INDEX "ix_conversation_threads_user_id_is_active" ON "conversation_threads" ("user_id", "is_active");

CREATE TABLE "conversation_turns" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_conversation_turns_uid" UNIQUE CONSTRAINT "ck_conversation_turns_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "thread_id" INTEGER REFERENCES "conversation_threads" ("id") ON DELETE CASCADE,
  "role" TEXT CONSTRAINT "ck_conversation_turns_role_enum" CHECK ("role" IN ('system', 'user', 'assistant', 'tool')),
  "content" TEXT,
  "metadata_json" JSON NOT NULL DEFAULT '{}' CONSTRAINT "ck_conversation_turns_metadata_json_json" CHECK ("metadata_json" IS NULL OR json_valid("metadata_json")),
  "tokens_used" INTEGER,
  "model_used" VARCHAR(100) CONSTRAINT "ck_conversation_turns_model_used_len" CHECK (length("model_used") <= 100),
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_conversation_turns_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at"),
  CONSTRAINT "ck_conversation_turns_tokens_nonnegative" CHECK (tokens_used IS NULL OR tokens_used >= 0)
);
CREATE INDEX "ix_conversation_turns_thread_id" ON "conversation_turns" ("thread_id");
CREATE INDEX "ix_conversation_turns_thread_id_created_at" ON "conversation_turns" ("thread_id", "created_at");

CREATE TABLE "external_provider_accounts" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_external_provider_accounts_uid" UNIQUE CONSTRAINT "ck_external_provider_accounts_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "user_id" INTEGER REFERENCES "users" ("id") ON DELETE CASCADE,
  "provider_type" TEXT CONSTRAINT "ck_external_provider_accounts_provider_type_enum" CHECK ("provider_type" IN ('garmin', 'strava', 'apple_health', 'health_connect', 'oura', 'whoop', 'fitbit', 'polar')),
  "provider_user_id" VARCHAR(255) CONSTRAINT "ck_external_provider_accounts_provider_user_id_len" CHECK (length("provider_user_id") <= 255),
  "access_token" TEXT,
  "refresh_token" TEXT,
  "token_expires_at" TIMESTAMP CONSTRAINT "ck_external_provider_accounts_token_expires_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "token_expires_at") IS "token_expires_at"),
  "is_active" BOOLEAN NOT NULL DEFAULT 1 CONSTRAINT "ck_external_provider_accounts_is_active_bool" CHECK ("is_active" IN (0, 1)),
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_external_provider_accounts_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at"),
  "updated_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_external_provider_accounts_updated_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at") IS "updated_at")
);
CREATE INDEX "ix_external_provider_accounts_user_id" ON "external_provider_accounts" ("user_id");
CREATE INDEX "ix_external_provider_accounts_provider_type" ON "external_provider_accounts" ("provider_type");
CREATE INDEX "ix_external_provider_accounts_user_id_provider_type_is_active" ON "external_provider_accounts" ("user_id", "provider_type", "is_active");

CREATE TABLE "external_ingestion_runs" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_external_ingestion_runs_uid" UNIQUE CONSTRAINT "ck_external_ingestion_runs_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "user_id" INTEGER REFERENCES "users" ("id") ON DELETE CASCADE,
  "provider_account_id" INTEGER REFERENCES "external_provider_accounts" ("id") ON DELETE CASCADE,
  "run_type" TEXT CONSTRAINT "ck_external_ingestion_runs_run_type_enum" CHECK ("run_type" IN ('full', 'incremental', 'backfill')),
  "status" TEXT CONSTRAINT "ck_external_ingestion_runs_status_enum" CHECK ("status" IN ('pending', 'running', 'succeeded', 'failed', 'partial', 'cancelled')),
  "started_at" TIMESTAMP CONSTRAINT "ck_external_ingestion_runs_started_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "started_at") IS "started_at"),
  "finished_at" TIMESTAMP CONSTRAINT "ck_external_ingestion_runs_finished_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "finished_at") IS "finished_at"),
  "records_processed" INTEGER,
  "error_message" TEXT,
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_external_ingestion_runs_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at"),
  "updated_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_external_ingestion_runs_updated_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at") IS "updated_at"),
  CONSTRAINT "ck_external_ingestion_runs_records_nonnegative" CHECK (records_processed IS NULL OR records_processed >= 0)
);
CREATE INDEX "ix_external_ingestion_runs_user_id" ON "external_ingestion_runs" ("user_id");
CREATE INDEX "ix_external_ingestion_runs_provider_account_id" ON "external_ingestion_runs" ("provider_account_id");
CREATE INDEX "ix_external_ingestion_runs_status" ON "external_ingestion_runs" ("status");
CREATE INDEX "ix_external_ingestion_runs_user_id_provider_account_id_status" ON "external_ingestion_runs" ("user_id", "provider_account_id", "status");

CREATE TABLE "external_metric_streams" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_external_metric_streams_uid" UNIQUE CONSTRAINT "ck_external_metric_streams_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "ingestion_run_id" INTEGER REFERENCES "external_ingestion_runs" ("id") ON DELETE CASCADE,
  "user_id" INTEGER REFERENCES "users" ("id") ON DELETE CASCADE,
  "metric_type" VARCHAR(100) CONSTRAINT "ck_external_metric_streams_metric_type_len" CHECK (length("metric_type") <= 100),
  "timestamp" TIMESTAMP CONSTRAINT "ck_external_metric_streams_timestamp_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "timestamp") IS "timestamp"),
  "value" REAL,
  "unit" VARCHAR(50) CONSTRAINT "ck_external_metric_streams_unit_len" CHECK (length("unit") <= 50),
  "raw_data_json" JSON CONSTRAINT "ck_external_metric_streams_raw_data_json_json" CHECK ("raw_data_json" IS NULL OR json_valid("raw_data_json")),
  "processed_to_signal_id" INTEGER REFERENCES "recovery_signals" ("id") ON DELETE SET NULL,
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_external_metric_streams_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at"),
  "updated_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_external_metric_streams_updated_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at") IS "updated_at"),
  CONSTRAINT "uq_external_metric_streams_ingestion_run_id_metric_typ_799f0d3e" UNIQUE ("ingestion_run_id", "metric_type", "timestamp")
);
CREATE INDEX "ix_external_metric_streams_ingestion_run_id" ON "external_metric_streams" ("ingestion_run_id");
CREATE INDEX "ix_external_metric_streams_user_id" ON "external_metric_streams" ("user_id");
CREATE INDEX "ix_external_metric_streams_processed_to_signal_id" ON "external_metric_streams" ("processed_to_signal_id");
CREATE INDEX "ix_external_metric_streams_user_id_metric_type_timestamp" ON "external_metric_streams" ("user_id", "metric_type", "timestamp");

CREATE TABLE "user_movement_rules" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_user_movement_rules_uid" UNIQUE CONSTRAINT "ck_user_movement_rules_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "user_id" INTEGER REFERENCES "users" ("id") ON DELETE CASCADE,
  "movement_id" INTEGER REFERENCES "movements" ("id") ON DELETE RESTRICT,
  "rule_type" TEXT CONSTRAINT "ck_user_movement_rules_rule_type_enum" CHECK ("rule_type" IN ('hard_no', 'hard_yes', 'preferred')),
  "rule_operator" TEXT CONSTRAINT "ck_user_movement_rules_rule_operator_enum" CHECK ("rule_operator" IN ('eq', 'ne', 'gt', 'gte', 'lt', 'lte')),
  "cadence" TEXT CONSTRAINT "ck_user_movement_rules_cadence_enum" CHECK ("cadence" IN ('per_microcycle', 'weekly', 'biweekly')),
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_user_movement_rules_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at")
);
CREATE INDEX "ix_user_movement_rules_user_id" ON "user_movement_rules" ("user_id");
CREATE INDEX "ix_user_movement_rules_movement_id" ON "user_movement_rules" ("movement_id");

CREATE TABLE "user_enjoyable_activities" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_user_enjoyable_activities_uid" UNIQUE CONSTRAINT "ck_user_enjoyable_activities_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "user_id" INTEGER REFERENCES "users" ("id") ON DELETE CASCADE,
  "movement_id" INTEGER REFERENCES "movements" ("id") ON DELETE RESTRICT,
  "enjoyment_score" REAL NOT NULL DEFAULT 0.5,
  "notes" TEXT,
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_user_enjoyable_activities_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at"),
  "updated_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_user_enjoyable_activities_updated_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at") IS "updated_at"),
  "activity" TEXT CONSTRAINT "ck_user_enjoyable_activities_activity_enum" CHECK ("activity" IN ('tennis', 'bouldering', 'cycling', 'swimming', 'hiking', 'basketball', 'football', 'yoga', 'martial_arts', 'dance', 'other')),
  "planned_weekdays" JSON CONSTRAINT "ck_user_enjoyable_activities_planned_weekdays_json" CHECK ("planned_weekdays" IS NULL OR json_valid("planned_weekdays")),
  CONSTRAINT "ck_user_enjoyable_activities_enjoyment_range" CHECK (enjoyment_score >= 0 AND enjoyment_score <= 1)
);
CREATE INDEX "ix_user_enjoyable_activities_user_id" ON "user_enjoyable_activities" ("user_id");
CREATE INDEX "ix_user_enjoyable_activities_movement_id" ON "user_enjoyable_activities" ("movement_id");
CREATE INDEX "ix_user_enjoyable_activities_user_id_enjoyment_score" ON "user_enjoyable_activities" ("user_id", "enjoyment_score" DESC);

CREATE TABLE "sessions" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_sessions_uid" UNIQUE CONSTRAINT "ck_sessions_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "user_id" INTEGER REFERENCES "users" ("id") ON DELETE CASCADE,
  "program_id" INTEGER REFERENCES "programs" ("id") ON DELETE CASCADE,
  "microcycle_id" INTEGER REFERENCES "microcycles" ("id") ON DELETE CASCADE,
  "day_number" INTEGER,
  "date" DATE CONSTRAINT "ck_sessions_date_date" CHECK (date("date") IS "date"),
  "session_type" TEXT CONSTRAINT "ck_sessions_session_type_enum" CHECK ("session_type" IN ('upper', 'lower', 'push', 'pull', 'legs', 'full_body', 'cardio', 'mobility', 'recovery', 'skill', 'custom')),
  "intent_tags" JSON NOT NULL DEFAULT '[]' CONSTRAINT "ck_sessions_intent_tags_json" CHECK ("intent_tags" IS NULL OR json_valid("intent_tags")),
  "main_circuit_id" INTEGER REFERENCES "circuit_templates" ("id") ON DELETE RESTRICT,
  "finisher_circuit_id" INTEGER REFERENCES "circuit_templates" ("id") ON DELETE RESTRICT,
  "estimated_duration_minutes" INTEGER,
  "coach_notes" TEXT,
  "total_stimulus" REAL,
  "total_fatigue" REAL,
  "cns_fatigue" REAL,
  "muscle_volume_json" JSON CONSTRAINT "ck_sessions_muscle_volume_json_json" CHECK ("muscle_volume_json" IS NULL OR json_valid("muscle_volume_json")),
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_sessions_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at"),
  "updated_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_sessions_updated_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at") IS "updated_at"),
  CONSTRAINT "ck_sessions_day_range" CHECK (day_number IS NULL OR (day_number >= 1 AND day_number <= 14)),
  CONSTRAINT "ck_sessions_duration_positive" CHECK (estimated_duration_minutes IS NULL OR estimated_duration_minutes >= 0)
);
CREATE INDEX "ix_sessions_user_id" ON "sessions" ("user_id");
CREATE INDEX "ix_sessions_program_id" ON "sessions" ("program_id");
CREATE INDEX "ix_sessions_microcycle_id" ON "sessions" ("microcycle_id");
CREATE INDEX "ix_sessions_date" ON "sessions" ("date");
CREATE INDEX "ix_sessions_main_circuit_id" ON "sessions" ("main_circuit_id");
CREATE INDEX "ix_sessions_finisher_circuit_id" ON "sessions" ("finisher_circuit_id");
CREATE INDEX "ix_sessions_user_id_date" ON "sessions" ("user_id", "date");

CREATE TABLE "session_exercises" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_session_exercises_uid" UNIQUE CONSTRAINT "ck_session_exercises_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "session_id" INTEGER REFERENCES "sessions" ("id") ON DELETE CASCADE,
  "movement_id" INTEGER REFERENCES "movements" ("id") ON DELETE RESTRICT,
  "session_section" TEXT NOT NULL CONSTRAINT "ck_session_exercises_session_section_enum" CHECK ("session_section" IN ('warmup', 'skill', 'main', 'accessory', 'finisher', 'cooldown')),
  "circuit_id" INTEGER REFERENCES "circuit_templates" ("id") ON DELETE RESTRICT,
  "role" TEXT CONSTRAINT "ck_session_exercises_role_enum" CHECK ("role" IN ('warmup', 'main', 'accessory', 'skill', 'finisher', 'cooldown')),
  "order_in_session" INTEGER NOT NULL,
  "superset_group" INTEGER,
  "target_sets" INTEGER NOT NULL,
  "target_rep_range_min" INTEGER,
  "target_rep_range_max" INTEGER,
  "target_rpe" REAL,
  "target_rir" INTEGER,
  "target_duration_seconds" INTEGER,
  "default_rest_seconds" INTEGER,
  "notes" TEXT,
  "stimulus" REAL,
  "fatigue" REAL,
  CONSTRAINT "ck_session_exercises_sets_nonnegative" CHECK (target_sets >= 0),
  CONSTRAINT "ck_session_exercises_reps_ordered" CHECK (target_rep_range_min IS NULL OR target_rep_range_max IS NULL OR (target_rep_range_min >= 0 AND target_rep_range_min <= target_rep_range_max)),
  CONSTRAINT "ck_session_exercises_rpe_range" CHECK (target_rpe IS NULL OR (target_rpe >= 1 AND target_rpe <= 10)),
  CONSTRAINT "ck_session_exercises_rir_range" CHECK (target_rir IS NULL OR (target_rir >= 0 AND target_rir <= 10)),
  CONSTRAINT "ck_session_exercises_duration_nonnegative" CHECK (target_duration_seconds IS NULL OR target_duration_seconds >= 0),
  CONSTRAINT "ck_session_exercises_rest_nonnegative" CHECK (default_rest_seconds IS NULL OR default_rest_seconds >= 0)
);
CREATE INDEX "ix_session_exercises_session_id" ON "session_exercises" ("session_id");
CREATE INDEX "ix_session_exercises_movement_id" ON "session_exercises" ("movement_id");
CREATE INDEX "ix_session_exercises_circuit_id" ON "session_exercises" ("circuit_id");
CREATE INDEX "ix_session_exercises_session_id_order_in_session" ON "session_exercises" ("session_id", "order_in_session");

CREATE TABLE "movement_muscle_map" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_movement_muscle_map_uid" UNIQUE CONSTRAINT "ck_movement_muscle_map_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "movement_id" INTEGER REFERENCES "movements" ("id") ON DELETE CASCADE,
  "muscle_id" INTEGER REFERENCES "muscles" ("id") ON DELETE CASCADE,
  "role" TEXT CONSTRAINT "ck_movement_muscle_map_role_enum" CHECK ("role" IN ('primary', 'secondary', 'stabilizer')),
  "magnitude" REAL NOT NULL DEFAULT 1.0,
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_movement_muscle_map_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at"),
  CONSTRAINT "uq_movement_muscle_map_movement_id_muscle_id" UNIQUE ("movement_id", "muscle_id"),
  CONSTRAINT "ck_movement_muscle_map_magnitude_range" CHECK (magnitude > 0 AND magnitude <= 1)
);
CREATE INDEX "ix_movement_muscle_map_movement_id" ON "movement_muscle_map" ("movement_id");
CREATE INDEX "ix_movement_muscle_map_muscle_id" ON "movement_muscle_map" ("muscle_id");

CREATE TABLE "movement_disciplines" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_movement_disciplines_uid" UNIQUE CONSTRAINT "ck_movement_disciplines_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "movement_id" INTEGER NOT NULL REFERENCES "movements" ("id") ON DELETE CASCADE,
  "discipline_id" INTEGER NOT NULL REFERENCES "disciplines" ("id") ON DELETE CASCADE,
  CONSTRAINT "uq_movement_disciplines_movement_id_discipline_id" UNIQUE ("movement_id", "discipline_id")
);
CREATE INDEX "ix_movement_disciplines_movement_id" ON "movement_disciplines" ("movement_id");
CREATE INDEX "ix_movement_disciplines_discipline_id" ON "movement_disciplines" ("discipline_id");

CREATE TABLE "user_skills" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_user_skills_uid" UNIQUE CONSTRAINT "ck_user_skills_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "user_id" INTEGER REFERENCES "users" ("id") ON DELETE CASCADE,
  "discipline_id" INTEGER REFERENCES "disciplines" ("id") ON DELETE RESTRICT,
  "skill_level" TEXT CONSTRAINT "ck_user_skills_skill_level_enum" CHECK ("skill_level" IN ('beginner', 'intermediate', 'advanced', 'expert', 'elite')),
  "interest_level" INTEGER,
  "experience_years" REAL,
  "notes" TEXT,
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_user_skills_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at"),
  CONSTRAINT "uq_user_skills_user_id_discipline_id" UNIQUE ("user_id", "discipline_id"),
  CONSTRAINT "ck_user_skills_interest_range" CHECK (interest_level IS NULL OR (interest_level >= 0 AND interest_level <= 10)),
  CONSTRAINT "ck_user_skills_years_nonnegative" CHECK (experience_years IS NULL OR experience_years >= 0)
);
CREATE INDEX "ix_user_skills_user_id" ON "user_skills" ("user_id");
CREATE INDEX "ix_user_skills_discipline_id" ON "user_skills" ("discipline_id");

CREATE TABLE "workout_logs" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_workout_logs_uid" UNIQUE CONSTRAINT "ck_workout_logs_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "user_id" INTEGER REFERENCES "users" ("id") ON DELETE CASCADE,
  "session_id" INTEGER REFERENCES "sessions" ("id") ON DELETE SET NULL,
  "workout_date" DATE CONSTRAINT "ck_workout_logs_workout_date_date" CHECK (date("workout_date") IS "workout_date"),
  "duration_seconds" INTEGER,
  "perceived_effort" INTEGER,
  "mood_before" INTEGER,
  "mood_after" INTEGER,
  "notes" TEXT,
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_workout_logs_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at"),
  "updated_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_workout_logs_updated_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at") IS "updated_at"),
  CONSTRAINT "ck_workout_logs_duration_nonnegative" CHECK (duration_seconds IS NULL OR duration_seconds >= 0),
  CONSTRAINT "ck_workout_logs_effort_range" CHECK (perceived_effort IS NULL OR (perceived_effort >= 1 AND perceived_effort <= 10)),
  CONSTRAINT "ck_workout_logs_mood_before_range" CHECK (mood_before IS NULL OR (mood_before >= 1 AND mood_before <= 10)),
  CONSTRAINT "ck_workout_logs_mood_after_range" CHECK (mood_after IS NULL OR (mood_after >= 1 AND mood_after <= 10))
);
CREATE INDEX "ix_workout_logs_user_id" ON "workout_logs" ("user_id");
CREATE INDEX "ix_workout_logs_session_id" ON "workout_logs" ("session_id");
CREATE INDEX "ix_workout_logs_workout_date" ON "workout_logs" ("workout_date");
CREATE INDEX "ix_workout_logs_user_id_workout_date" ON "workout_logs" ("user_id", "workout_date");

CREATE TABLE "top_set_logs" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_top_set_logs_uid" UNIQUE CONSTRAINT "ck_top_set_logs_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "user_id" INTEGER REFERENCES "users" ("id") ON DELETE CASCADE,
  "session_id" INTEGER REFERENCES "sessions" ("id") ON DELETE SET NULL,
  "movement_id" INTEGER REFERENCES "movements" ("id") ON DELETE RESTRICT,
  "set_number" INTEGER,
  "reps" INTEGER,
  "load_kg" REAL,
  "rpe" REAL,
  "velocity" REAL,
  "notes" TEXT,
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_top_set_logs_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at"),
  "workout_log_id" INTEGER REFERENCES "workout_logs" ("id") ON DELETE CASCADE,
  "set_type" TEXT CONSTRAINT "ck_top_set_logs_set_type_enum" CHECK ("set_type" IN ('warmup', 'working', 'failure', 'dropset')),
  CONSTRAINT "uq_top_set_logs_session_id_movement_id_set_number" UNIQUE ("session_id", "movement_id", "set_number"),
  CONSTRAINT "ck_top_set_logs_set_positive" CHECK (set_number IS NULL OR set_number >= 1),
  CONSTRAINT "ck_top_set_logs_reps_nonnegative" CHECK (reps IS NULL OR reps >= 0),
  CONSTRAINT "ck_top_set_logs_load_nonnegative" CHECK (load_kg IS NULL OR load_kg >= 0),
  CONSTRAINT "ck_top_set_logs_rpe_range" CHECK (rpe IS NULL OR (rpe >= 1 AND rpe <= 10)),
  CONSTRAINT "ck_top_set_logs_velocity_nonnegative" CHECK (velocity IS NULL OR velocity >= 0)
);
CREATE INDEX "ix_top_set_logs_user_id" ON "top_set_logs" ("user_id");
CREATE INDEX "ix_top_set_logs_session_id" ON "top_set_logs" ("session_id");
CREATE INDEX "ix_top_set_logs_movement_id" ON "top_set_logs" ("movement_id");
CREATE INDEX "ix_top_set_logs_workout_log_id" ON "top_set_logs" ("workout_log_id");
CREATE INDEX "ix_top_set_logs_user_id_movement_id_created_at" ON "top_set_logs" ("user_id", "movement_id", "created_at" DESC);

CREATE TABLE "personal_records" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_personal_records_uid" UNIQUE CONSTRAINT "ck_personal_records_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "user_id" INTEGER NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
  "movement_id" INTEGER NOT NULL REFERENCES "movements" ("id") ON DELETE RESTRICT,
  "top_set_log_id" INTEGER REFERENCES "top_set_logs" ("id") ON DELETE CASCADE,
  "workout_log_id" INTEGER REFERENCES "workout_logs" ("id") ON DELETE CASCADE,
  "record_type" TEXT NOT NULL CONSTRAINT "ck_personal_records_record_type_enum" CHECK ("record_type" IN ('e1rm', 'reps_at_load', 'load_at_reps', 'session_volume')),
  "value" REAL NOT NULL,
  "reps" INTEGER,
  "load_kg" REAL,
  "previous_value" REAL,
  "achieved_date" DATE NOT NULL CONSTRAINT "ck_personal_records_achieved_date_date" CHECK (date("achieved_date") IS "achieved_date"),
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_personal_records_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at"),
  "updated_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_personal_records_updated_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at") IS "updated_at"),
  CONSTRAINT "ck_personal_records_value_nonnegative" CHECK (value >= 0),
  CONSTRAINT "ck_personal_records_reps_positive" CHECK (reps IS NULL OR reps >= 1),
  CONSTRAINT "ck_personal_records_load_nonnegative" CHECK (load_kg IS NULL OR load_kg >= 0),
  CONSTRAINT "ck_personal_records_previous_nonnegative" CHECK (previous_value IS NULL OR previous_value >= 0)
);
CREATE INDEX "ix_personal_records_user_id" ON "personal_records" ("user_id");
CREATE INDEX "ix_personal_records_movement_id" ON "personal_records" ("movement_id");
CREATE INDEX "ix_personal_records_top_set_log_id" ON "personal_records" ("top_set_log_id");
CREATE INDEX "ix_personal_records_workout_log_id" ON "personal_records" ("workout_log_id");
CREATE INDEX "ix_personal_records_user_id_movement_id_achieved_date" ON "personal_records" ("user_id", "movement_id", "achieved_date" DESC);

CREATE TABLE "activity_definitions" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_activity_definitions_uid" UNIQUE CONSTRAINT "ck_activity_definitions_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "name" VARCHAR(100) CONSTRAINT "uq_activity_definitions_name" UNIQUE CONSTRAINT "ck_activity_definitions_name_len" CHECK (length("name") <= 100),
  "activity_type" TEXT CONSTRAINT "ck_activity_definitions_activity_type_enum" CHECK ("activity_type" IN ('sport', 'cardio', 'mobility', 'recreation', 'movement', 'circuit', 'rest')),
  "discipline_id" INTEGER REFERENCES "disciplines" ("id") ON DELETE RESTRICT,
  "description" TEXT,
  "default_duration_seconds" INTEGER,
  "default_intensity" REAL,
  "stress_points" REAL NOT NULL DEFAULT 1.0,
  "enjoyable_activity" TEXT CONSTRAINT "uq_activity_definitions_enjoyable_activity" UNIQUE CONSTRAINT "ck_activity_definitions_enjoyable_activity_enum" CHECK ("enjoyable_activity" IN ('tennis', 'bouldering', 'cycling', 'swimming', 'hiking', 'basketball', 'football', 'yoga', 'martial_arts', 'dance', 'other')),
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_activity_definitions_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at"),
  "updated_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_activity_definitions_updated_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at") IS "updated_at"),
  CONSTRAINT "ck_activity_definitions_duration_nonnegative" CHECK (default_duration_seconds IS NULL OR default_duration_seconds >= 0),
  CONSTRAINT "ck_activity_definitions_intensity_range" CHECK (default_intensity IS NULL OR (default_intensity >= 0 AND default_intensity <= 10)),
  CONSTRAINT "ck_activity_definitions_stress_nonnegative" CHECK (stress_points >= 0)
);
CREATE INDEX "ix_activity_definitions_discipline_id" ON "activity_definitions" ("discipline_id");
CREATE INDEX "ix_activity_definitions_activity_type_discipline_id" ON "activity_definitions" ("activity_type", "discipline_id");

CREATE TABLE "activity_definition_muscle_map" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_activity_definition_muscle_map_uid" UNIQUE CONSTRAINT "ck_activity_definition_muscle_map_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "activity_definition_id" INTEGER NOT NULL REFERENCES "activity_definitions" ("id") ON DELETE CASCADE,
  "muscle_id" INTEGER NOT NULL REFERENCES "muscles" ("id") ON DELETE CASCADE,
  "role" TEXT CONSTRAINT "ck_activity_definition_muscle_map_role_enum" CHECK ("role" IN ('primary', 'secondary', 'stabilizer')),
  "magnitude" REAL NOT NULL DEFAULT 1.0,
  CONSTRAINT "uq_activity_definition_muscle_map_activity_definition__13c40140" UNIQUE ("activity_definition_id", "muscle_id"),
  CONSTRAINT "ck_activity_definition_muscle_map_magnitude_range" CHECK (magnitude > 0 AND magnitude <= 1)
);
CREATE INDEX "ix_activity_definition_muscle_map_activity_definition_id" ON "activity_definition_muscle_map" ("activity_definition_id");
CREATE INDEX "ix_activity_definition_muscle_map_muscle_id" ON "activity_definition_muscle_map" ("muscle_id");

CREATE TABLE "activity_instances" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_activity_instances_uid" UNIQUE CONSTRAINT "ck_activity_instances_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "session_id" INTEGER REFERENCES "sessions" ("id") ON DELETE CASCADE,
  "activity_definition_id" INTEGER REFERENCES "activity_definitions" ("id") ON DELETE RESTRICT,
  "position" INTEGER,
  "actual_duration_seconds" INTEGER,
  "actual_intensity" REAL,
  "completed" BOOLEAN NOT NULL DEFAULT 0 CONSTRAINT "ck_activity_instances_completed_bool" CHECK ("completed" IN (0, 1)),
  "completed_at" TIMESTAMP CONSTRAINT "ck_activity_instances_completed_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "completed_at") IS "completed_at"),
  "notes" TEXT,
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_activity_instances_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at"),
  "updated_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_activity_instances_updated_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at") IS "updated_at"),
  CONSTRAINT "ck_activity_instances_duration_nonnegative" CHECK (actual_duration_seconds IS NULL OR actual_duration_seconds >= 0),
  CONSTRAINT "ck_activity_instances_intensity_range" CHECK (actual_intensity IS NULL OR (actual_intensity >= 0 AND actual_intensity <= 10))
);
CREATE INDEX "ix_activity_instances_session_id" ON "activity_instances" ("session_id");
CREATE INDEX "ix_activity_instances_activity_definition_id" ON "activity_instances" ("activity_definition_id");
CREATE INDEX "ix_activity_instances_session_id_position" ON "activity_instances" ("session_id", "position");

CREATE TABLE "activity_muscle_map" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_activity_muscle_map_uid" UNIQUE CONSTRAINT "ck_activity_muscle_map_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "activity_instance_id" INTEGER REFERENCES "activity_instances" ("id") ON DELETE CASCADE,
  "muscle_id" INTEGER REFERENCES "muscles" ("id") ON DELETE RESTRICT,
  "role" TEXT CONSTRAINT "ck_activity_muscle_map_role_enum" CHECK ("role" IN ('primary', 'secondary', 'stabilizer')),
  "magnitude" REAL NOT NULL DEFAULT 1.0,
  CONSTRAINT "ck_activity_muscle_map_magnitude_range" CHECK (magnitude > 0 AND magnitude <= 1)
);
CREATE INDEX "ix_activity_muscle_map_activity_instance_id" ON "activity_muscle_map" ("activity_instance_id");
CREATE INDEX "ix_activity_muscle_map_muscle_id" ON "activity_muscle_map" ("muscle_id");
CREATE INDEX "ix_activity_muscle_map_activity_instance_id_muscle_id" ON "activity_muscle_map" ("activity_instance_id", "muscle_id");

CREATE TABLE "activity_instance_links" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_activity_instance_links_uid" UNIQUE CONSTRAINT "ck_activity_instance_links_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "source_activity_instance_id" INTEGER REFERENCES "activity_instances" ("id") ON DELETE CASCADE,
  "target_activity_instance_id" INTEGER REFERENCES "activity_instances" ("id") ON DELETE CASCADE,
  "link_type" TEXT CONSTRAINT "ck_activity_instance_links_link_type_enum" CHECK ("link_type" IN ('warmup', 'cooldown', 'accessory', 'superset', 'sequence', 'substitution')),
  "notes" TEXT,
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_activity_instance_links_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at"),
  CONSTRAINT "ck_activity_instance_links_distinct_ends" CHECK (source_activity_instance_id IS NULL OR target_activity_instance_id IS NULL OR source_activity_instance_id <> target_activity_instance_id)
);
CREATE INDEX "ix_activity_instance_links_source_activity_instance_id" ON "activity_instance_links" ("source_activity_instance_id");
CREATE INDEX "ix_activity_instance_links_target_activity_instance_id" ON "activity_instance_links" ("target_activity_instance_id");
CREATE INDEX "ix_activity_instance_links_source_activity_instance_id_e92b4720" ON "activity_instance_links" ("source_activity_instance_id", "link_type");

CREATE TABLE "external_activity_records" (
  "id" INTEGER PRIMARY KEY,
  "uid" UUID NOT NULL CONSTRAINT "uq_external_activity_records_uid" UNIQUE CONSTRAINT "ck_external_activity_records_uid_uuid" CHECK ("uid" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  "ingestion_run_id" INTEGER REFERENCES "external_ingestion_runs" ("id") ON DELETE CASCADE,
  "user_id" INTEGER REFERENCES "users" ("id") ON DELETE CASCADE,
  "provider_activity_id" VARCHAR(255) CONSTRAINT "ck_external_activity_records_provider_activity_id_len" CHECK (length("provider_activity_id") <= 255),
  "activity_type" VARCHAR(100) CONSTRAINT "ck_external_activity_records_activity_type_len" CHECK (length("activity_type") <= 100),
  "performed_at" TIMESTAMP CONSTRAINT "ck_external_activity_records_performed_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "performed_at") IS "performed_at"),
  "raw_data_json" JSON CONSTRAINT "ck_external_activity_records_raw_data_json_json" CHECK ("raw_data_json" IS NULL OR json_valid("raw_data_json")),
  "processed_to_instance_id" INTEGER REFERENCES "activity_instances" ("id") ON DELETE SET NULL,
  "created_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_external_activity_records_created_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "created_at") IS "created_at"),
  "updated_at" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CONSTRAINT "ck_external_activity_records_updated_at_ts" CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at") IS "updated_at"),
  CONSTRAINT "uq_external_activity_records_ingestion_run_id_provider_bd933ab3" UNIQUE ("ingestion_run_id", "provider_activity_id")
);
CREATE INDEX "ix_external_activity_records_ingestion_run_id" ON "external_activity_records" ("ingestion_run_id");
CREATE INDEX "ix_external_activity_records_user_id" ON "external_activity_records" ("user_id");
CREATE INDEX "ix_external_activity_records_processed_to_instance_id" ON "external_activity_records" ("processed_to_instance_id");
CREATE INDEX "ix_external_activity_records_user_id_performed_at" ON "external_activity_records" ("user_id", "performed_at");
