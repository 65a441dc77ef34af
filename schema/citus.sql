-- Distributing a Gainsly sync server by account with Citus (issue 9, part 5).
--
-- Citus is not installable in this project's environment, so this script is checked on paper:
-- tests/sync/test_sync_citus.cpp introspects a live server created by gs_server_setup and fails
-- when a rule below no longer holds (every user-owned table carries gs_owner; every primary,
-- unique and foreign key between user tables includes it; catalog and bookkeeping tables are
-- reference tables; every table of the schema is named here exactly once, in dependency order).
--
-- Run it once on the coordinator, in the database gs_server_setup created, as that database's
-- owner, after gs_server_setup and before devices sync:
--   psql "$ADMIN_CONNINFO" -v ON_ERROR_STOP=1 -f schema/citus.sql
--
-- Keys that differ from the device's mirror (schema/sqlite.sql) - the server adds the owner:
--   * every user table has gs_owner uuid NOT NULL (the account's users.uid; RLS compares it with
--     the account of current_user), gs_hlc and gs_clock (merge clocks);
--   * primary key (gs_owner, id) on the server, id on the device (user_profiles: (gs_owner, user_id));
--   * every unique key is (gs_owner, ...): uid lookups are (gs_owner, uid), and natural keys such as
--     top_set_logs (session_id, movement_id, set_number) are unique per account only;
--   * a reference between user tables is (gs_owner, x_id) -> (gs_owner, id); ON DELETE SET NULL
--     clears x_id only (PostgreSQL 15 column list); references to catalog tables are unchanged;
--   * the sync bookkeeping is keyed by owner: gs_changes (owner, tbl, uid), gs_devices
--     (owner, device), gs_owners (owner). A push or pull touches one account only, so Citus routes
--     each of its transactions to the one node holding that account's shard group.
-- Caveats for a real Citus deployment (not checked here): gs_server_setup writes the change log
-- from statement-level triggers with transition tables, which Citus does not run on distributed
-- tables; there the push transaction must write gs_changes itself (it already knows each row's
-- uid and the batch's sequence). Identity columns on distributed tables need Citus 11.2 or later.

-- 1. Reference tables (a copy on every node): the server-authoritative catalog, then the
--    small bookkeeping tables every request reads (accounts by role, table numbers, catalog log).
SELECT create_reference_table('movements');
SELECT create_reference_table('movement_relationships');
SELECT create_reference_table('muscles');
SELECT create_reference_table('equipment');
SELECT create_reference_table('movement_equipment');
SELECT create_reference_table('movement_tags');
SELECT create_reference_table('goals');
SELECT create_reference_table('disciplines');
SELECT create_reference_table('circuit_templates');
SELECT create_reference_table('heuristic_configs');
SELECT create_reference_table('movement_muscle_map');
SELECT create_reference_table('movement_disciplines');
SELECT create_reference_table('activity_definitions');
SELECT create_reference_table('activity_definition_muscle_map');
SELECT create_reference_table('gs_server_meta');
SELECT create_reference_table('gs_accounts');
SELECT create_reference_table('gs_tables');
SELECT create_reference_table('gs_catalog_seq');
SELECT create_reference_table('gs_catalog_changes');

-- 2. Distributed by account and co-located with users: every user table (parents first) and
--    the per-account sync bookkeeping (change sequence, device cursors, change log).
SELECT create_distributed_table('users', 'gs_owner');
SELECT create_distributed_table('user_profiles', 'gs_owner', colocate_with => 'users');
SELECT create_distributed_table('user_settings', 'gs_owner', colocate_with => 'users');
SELECT create_distributed_table('macro_cycles', 'gs_owner', colocate_with => 'users');
SELECT create_distributed_table('programs', 'gs_owner', colocate_with => 'users');
SELECT create_distributed_table('program_goals', 'gs_owner', colocate_with => 'users');
SELECT create_distributed_table('microcycles', 'gs_owner', colocate_with => 'users');
SELECT create_distributed_table('user_injuries', 'gs_owner', colocate_with => 'users');
SELECT create_distributed_table('pattern_exposure', 'gs_owner', colocate_with => 'users');
SELECT create_distributed_table('soreness_logs', 'gs_owner', colocate_with => 'users');
SELECT create_distributed_table('recovery_signals', 'gs_owner', colocate_with => 'users');
SELECT create_distributed_table('user_biometrics_history', 'gs_owner', colocate_with => 'users');
SELECT create_distributed_table('goal_checkins', 'gs_owner', colocate_with => 'users');
SELECT create_distributed_table('user_fatigue_state', 'gs_owner', colocate_with => 'users');
SELECT create_distributed_table('conversation_threads', 'gs_owner', colocate_with => 'users');
SELECT create_distributed_table('conversation_turns', 'gs_owner', colocate_with => 'users');
SELECT create_distributed_table('external_provider_accounts', 'gs_owner', colocate_with => 'users');
SELECT create_distributed_table('external_ingestion_runs', 'gs_owner', colocate_with => 'users');
SELECT create_distributed_table('external_metric_streams', 'gs_owner', colocate_with => 'users');
SELECT create_distributed_table('user_movement_rules', 'gs_owner', colocate_with => 'users');
SELECT create_distributed_table('user_enjoyable_activities', 'gs_owner', colocate_with => 'users');
SELECT create_distributed_table('sessions', 'gs_owner', colocate_with => 'users');
SELECT create_distributed_table('session_exercises', 'gs_owner', colocate_with => 'users');
SELECT create_distributed_table('user_skills', 'gs_owner', colocate_with => 'users');
SELECT create_distributed_table('workout_logs', 'gs_owner', colocate_with => 'users');
SELECT create_distributed_table('top_set_logs', 'gs_owner', colocate_with => 'users');
SELECT create_distributed_table('personal_records', 'gs_owner', colocate_with => 'users');
SELECT create_distributed_table('activity_instances', 'gs_owner', colocate_with => 'users');
SELECT create_distributed_table('activity_muscle_map', 'gs_owner', colocate_with => 'users');
SELECT create_distributed_table('activity_instance_links', 'gs_owner', colocate_with => 'users');
SELECT create_distributed_table('external_activity_records', 'gs_owner', colocate_with => 'users');
SELECT create_distributed_table('gs_owners', 'owner', colocate_with => 'users');
SELECT create_distributed_table('gs_devices', 'owner', colocate_with => 'users');
SELECT create_distributed_table('gs_changes', 'owner', colocate_with => 'users');
