#!/usr/bin/env python3
"""Lint the Gainsly reference catalog (catalog/*.json) against schema/schema.json.

Usage: python3 tests/catalog_lint.py [catalog_dir] [schema.json]

Defaults are relative to this script: ../catalog and ../schema/schema.json.
Standard library only. Prints a distribution table, then either "catalog lint: OK"
(exit 0) or the list of problems (exit 1). The rules are documented in catalog/README.md.
"""
import json
import os
import re
import sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
CATALOG = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(HERE, '..', 'catalog')
SCHEMA = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else os.path.join(HERE, '..', 'schema', 'schema.json')

UUID_RE = re.compile(r'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$')
KEY_RE = re.compile(r'^[a-z0-9_]+(\.[a-z0-9_]+)+$')

# Controlled vocabularies (documented in catalog/README.md).
MOVEMENT_TAGS = {
    'compound', 'isolation', 'unilateral', 'bilateral', 'olympic', 'plyometric', 'explosive', 'ballistic',
    'isometric', 'eccentric', 'bodyweight', 'overhead', 'grip', 'anti_rotation', 'anti_extension',
    'anti_lateral_flexion', 'rotational', 'loaded_carry', 'cardio', 'conditioning', 'mobility', 'stretch',
    'warmup', 'posture', 'heavy', 'beginner_friendly', 'low_impact', 'knee_dominant', 'hip_dominant', 'skill',
    'main_lift', 'staple', 'variant', 'competition',
}
# main_lift is for loadable compound strength lifts: never on power, held, drill or conditioning work.
NOT_MAIN_TAGS = {'plyometric', 'ballistic', 'olympic', 'isometric', 'mobility', 'stretch', 'cardio',
                 'anti_rotation', 'anti_extension', 'anti_lateral_flexion', 'loaded_carry'}
NOT_MAIN_PATTERNS = {'olympic', 'plyometric', 'isometric', 'mobility', 'core', 'rotation', 'carry', 'conditioning',
                     'cardio', 'isolation'}
CIRCUIT_TAGS = {
    'bodyweight', 'no_equipment', 'beginner_friendly', 'full_body', 'upper_body', 'legs', 'core', 'conditioning',
    'cardio', 'interval', 'mixed_modal', 'kettlebell', 'dumbbell', 'barbell', 'jump_rope', 'strongman',
    'calisthenics', 'bodybuilding', 'athletic', 'olympic', 'explosive', 'plyometric', 'loaded_carry', 'grip',
    'heavy', 'posterior_chain', 'low_impact', 'finisher', 'skill', 'advanced',
}
# block_type is derived from pattern.
BLOCK_TYPE = {
    'squat': 'strength', 'hinge': 'strength', 'lunge': 'strength', 'horizontal_push': 'strength',
    'vertical_push': 'strength', 'horizontal_pull': 'strength', 'vertical_pull': 'strength',
    'olympic': 'power', 'plyometric': 'power', 'isolation': 'accessory', 'isometric': 'accessory',
    'core': 'core', 'rotation': 'core', 'carry': 'carry', 'conditioning': 'conditioning',
    'cardio': 'conditioning', 'mobility': 'mobility',
}
BUCKETS = {'push', 'pull', 'legs', 'core', 'conditioning'}
JOINTS = ['knee', 'shoulder_joint', 'elbow', 'wrist', 'hip', 'ankle', 'lumbar_spine', 'cervical_spine']

# Catalog file -> schema table, and the keys a row may carry that are not columns of that table
# (junction data resolved by name when the catalog is loaded).
FILES = {
    'muscles.json': ('muscles', set()),
    'equipment.json': ('equipment', set()),
    'disciplines.json': ('disciplines', set()),
    'goals.json': ('goals', set()),
    'movements.json': ('movements', {'equipment', 'disciplines', 'tags', 'muscles'}),
    'movement_relationships.json': ('movement_relationships', {'movement_1', 'movement_2'}),
    'circuit_templates.json': ('circuit_templates', set()),
    'activity_definitions.json': ('activity_definitions', {'discipline', 'muscles'}),
}

MIN = {
    'movements': 300, 'per_pattern': 6, 'per_equipment': 5, 'bodyweight_only': 60, 'circuits': 20,
    'advanced': 8, 'expert': 4, 'elite': 2,
}

problems = []


def problem(msg):
    problems.append(msg)


def load(path):
    try:
        with open(path, encoding='utf-8') as f:
            return json.load(f)
    except FileNotFoundError:
        problem('missing file: %s' % os.path.relpath(path, CATALOG))
    except ValueError as e:
        problem('invalid JSON in %s: %s' % (os.path.relpath(path, CATALOG), e))
    return None


def num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def in_range(where, field, v, lo, hi, lo_open=False, allow_null=False):
    if v is None and allow_null:
        return
    if not num(v):
        problem('%s: %s must be a number, got %r' % (where, field, v))
        return
    if (v <= lo if lo_open else v < lo) or v > hi:
        problem('%s: %s=%r outside %s%s, %s]' % (where, field, v, '(' if lo_open else '[', lo, hi))


schema = load(SCHEMA)
if schema is None:
    print('\n'.join(problems))
    sys.exit(1)
ENUMS = schema['enums']
TABLES = schema['tables']


def enum_ok(where, field, value, enum):
    if value not in ENUMS[enum]:
        problem('%s: %s=%r is not a %s value' % (where, field, value, enum))


def column_spec(table, column):
    spec = TABLES[table]['columns'].get(column)
    return spec.split() if spec else None


def check_columns(fname, rows):
    table, extra = FILES[fname]
    cols = TABLES[table]['columns']
    for i, r in enumerate(rows):
        where = '%s[%d] %s' % (fname, i, r.get('name', r.get('key', '')))
        for k, v in r.items():
            if k == 'uid' or k in extra:
                continue
            if k not in cols:
                problem('%s: key %r is not a column of table %s' % (where, k, table))
                continue
            spec = cols[k].split()
            t = spec[0]
            m = re.fullmatch(r'varchar\((\d+)\)', t)
            if m and v is not None and (not isinstance(v, str) or len(v) > int(m.group(1))):
                problem('%s: %s must be a string of at most %s characters' % (where, k, m.group(1)))
            m = re.fullmatch(r'enum\((\w+)\)', t)
            if m and v is not None:
                enum_ok(where, k, v, m.group(1))
            if t == 'int' and v is not None and not (isinstance(v, int) and not isinstance(v, bool)):
                problem('%s: %s must be an integer' % (where, k))
            if t == 'float' and v is not None and not num(v):
                problem('%s: %s must be a number' % (where, k))
            if 'not_null' in spec and v is None:
                problem('%s: %s may not be null' % (where, k))


def unique_names(fname, rows, field='name'):
    seen = Counter(r.get(field) for r in rows)
    for n, c in seen.items():
        if c > 1:
            problem('%s: %s %r appears %d times' % (fname, field, n, c))
        if not n:
            problem('%s: a row has no %s' % (fname, field))


# ------------------------------------------------------------------ load everything
data = {}
for fname in FILES:
    rows = load(os.path.join(CATALOG, fname))
    if rows is not None and not isinstance(rows, list):
        problem('%s: top level must be an array' % fname)
        rows = None
    data[fname] = rows or []
root = load(os.path.join(CATALOG, 'catalog.json'))
heur_dir = os.path.join(CATALOG, 'heuristic_configs')
heur_files = {}
if os.path.isdir(heur_dir):
    for fn in sorted(os.listdir(heur_dir)):
        if fn.endswith('.json'):
            rows = load(os.path.join(heur_dir, fn))
            if rows is not None and not isinstance(rows, list):
                problem('heuristic_configs/%s: top level must be an array' % fn)
                rows = None
            heur_files['heuristic_configs/' + fn] = rows or []
if 'heuristic_configs/catalog.json' not in heur_files:
    problem('missing file: heuristic_configs/catalog.json')

# ------------------------------------------------------------------ uids (unique across every file)
uid_owner = {}


def check_uid(where, u):
    if not isinstance(u, str) or not UUID_RE.match(u):
        problem('%s: uid %r is not a lower-case UUID' % (where, u))
        return
    if u in uid_owner:
        problem('%s: uid %s already used by %s' % (where, u, uid_owner[u]))
    uid_owner[u] = where


if isinstance(root, dict):
    if root.get('catalog_version') != 1 and not (isinstance(root.get('catalog_version'), int) and root['catalog_version'] >= 1):
        problem('catalog.json: catalog_version must be a positive integer')
    if not root.get('description'):
        problem('catalog.json: description missing')
    if 'uid' in root:
        check_uid('catalog.json', root['uid'])
elif root is not None:
    problem('catalog.json: must be an object')
for fname, rows in list(data.items()) + list(heur_files.items()):
    for i, r in enumerate(rows):
        if not isinstance(r, dict):
            problem('%s[%d]: not an object' % (fname, i))
            continue
        check_uid('%s[%d]' % (fname, i), r.get('uid'))

for fname, rows in data.items():
    rows[:] = [r for r in rows if isinstance(r, dict)]
    check_columns(fname, rows)
    if fname == 'movement_relationships.json':
        continue
    unique_names(fname, rows)

# ------------------------------------------------------------------ muscles
muscles = {r['name']: r for r in data['muscles.json'] if 'name' in r}
regions = set(ENUMS['primary_region']) | {'joint'}
for r in data['muscles.json']:
    if r.get('body_region') not in regions:
        problem('muscles.json %s: body_region %r must be a primary_region value or "joint"' % (r.get('name'), r.get('body_region')))
    if not r.get('description'):
        problem('muscles.json %s: description missing' % r.get('name'))
for m in ENUMS['primary_muscle']:
    if m not in muscles:
        problem('muscles.json: no row for primary_muscle %r' % m)
    elif muscles[m].get('body_region') == 'joint':
        problem('muscles.json: %s must have a primary_region body_region, not joint' % m)
for j in JOINTS:
    if j not in muscles:
        problem('muscles.json: no joint row %r (needed by user_injuries.body_part)' % j)
    elif muscles[j].get('body_region') != 'joint':
        problem('muscles.json: %s must have body_region "joint"' % j)
MUSCLE_NAMES = set(ENUMS['primary_muscle'])  # movements/activities map to real muscle groups only

# ------------------------------------------------------------------ equipment, disciplines, goals
equipment = {r['name'] for r in data['equipment.json'] if 'name' in r}
disciplines = {r['name'] for r in data['disciplines.json'] if 'name' in r}
for fname in ('equipment.json', 'disciplines.json'):
    for r in data[fname]:
        if not re.fullmatch(r'[a-z][a-z0-9_]*', r.get('name', '')):
            problem('%s: name %r must be lower snake_case' % (fname, r.get('name')))
        if not r.get('description'):
            problem('%s %s: description missing' % (fname, r.get('name')))
if 'bodyweight' not in equipment:
    problem('equipment.json: the "bodyweight" row is required')
goals = {r['name']: r for r in data['goals.json'] if 'name' in r}
if set(goals) != set(ENUMS['goal']):
    problem('goals.json: names must be exactly the goal enum values; missing %s, extra %s'
            % (sorted(set(ENUMS['goal']) - set(goals)), sorted(set(goals) - set(ENUMS['goal']))))
for g, r in goals.items():
    if not (isinstance(r.get('default_weight'), int) and 1 <= r['default_weight'] <= 10):
        problem('goals.json %s: default_weight must be an integer in [1, 10]' % g)
    if not r.get('description'):
        problem('goals.json %s: description missing' % g)


def check_muscle_map(where, lst, primary=None):
    if not isinstance(lst, list) or not lst:
        problem('%s: needs at least one muscle' % where)
        return
    seen = set()
    for k, mm in enumerate(lst):
        name = mm.get('muscle')
        if name not in MUSCLE_NAMES:
            problem('%s: muscle %r is not a primary_muscle row' % (where, name))
        if name in seen:
            problem('%s: muscle %r listed twice' % (where, name))
        seen.add(name)
        enum_ok(where, 'role', mm.get('role'), 'muscle_role')
        in_range(where, 'magnitude of %s' % name, mm.get('magnitude'), 0, 1, lo_open=True)
        if k > 0 and mm.get('role') == 'primary':
            problem('%s: only the first muscle may have role primary' % where)
    first = lst[0]
    if first.get('role') != 'primary' or first.get('magnitude') != 1.0:
        problem('%s: first muscle must have role primary and magnitude 1.0' % where)
    if primary is not None and first.get('muscle') != primary:
        problem('%s: first muscle %r differs from primary_muscle %r' % (where, first.get('muscle'), primary))


# ------------------------------------------------------------------ movements
movements = {r['name']: r for r in data['movements.json'] if 'name' in r}
REQUIRED_MOV = ['name', 'pattern', 'block_type', 'primary_muscle', 'primary_region', 'cns_load', 'skill_level',
                'spinal_compression', 'metric_type', 'fatigue_factor', 'stimulus_factor', 'injury_risk_factor',
                'description', 'equipment', 'disciplines', 'tags', 'muscles']
for r in data['movements.json']:
    w = 'movements.json %s' % r.get('name')
    for f in REQUIRED_MOV:
        if f not in r or r[f] in (None, ''):
            problem('%s: field %s missing' % (w, f))
    name = r.get('name', '')
    if name and not name[0].isupper() and not name[0].isdigit():
        problem('%s: name should be Title Case' % w)
    if BLOCK_TYPE.get(r.get('pattern')) != r.get('block_type'):
        problem('%s: block_type %r does not match pattern %r (expected %r)'
                % (w, r.get('block_type'), r.get('pattern'), BLOCK_TYPE.get(r.get('pattern'))))
    in_range(w, 'fatigue_factor', r.get('fatigue_factor'), 0, 5)
    in_range(w, 'stimulus_factor', r.get('stimulus_factor'), 0, 5)
    in_range(w, 'injury_risk_factor', r.get('injury_risk_factor'), 0, 1)
    eq = r.get('equipment') or []
    if not eq:
        problem('%s: needs at least one equipment item' % w)
    for e in eq:
        if e not in equipment:
            problem('%s: unknown equipment %r' % (w, e))
    if 'bodyweight' in eq and len(eq) > 1:
        problem('%s: "bodyweight" means no equipment and must be the only item' % w)
    if len(set(eq)) != len(eq):
        problem('%s: duplicate equipment' % w)
    for d in r.get('disciplines') or []:
        if d not in disciplines:
            problem('%s: unknown discipline %r' % (w, d))
    if not r.get('disciplines'):
        problem('%s: needs at least one discipline' % w)
    tags = r.get('tags') or []
    for t in tags:
        if t not in MOVEMENT_TAGS:
            problem('%s: tag %r is not in the documented vocabulary' % (w, t))
    if len(set(tags)) != len(tags):
        problem('%s: duplicate tags' % w)
    if r.get('pattern') == 'olympic' and 'olympic' not in tags:
        problem('%s: olympic pattern must carry the olympic tag' % w)
    if r.get('pattern') == 'plyometric' and 'plyometric' not in tags:
        problem('%s: plyometric pattern must carry the plyometric tag' % w)
    if eq == ['bodyweight'] and 'bodyweight' not in tags:
        problem('%s: bodyweight-only movement must carry the bodyweight tag' % w)
    if r.get('cns_load') == 'very_high' and r.get('pattern') not in ('olympic', 'squat', 'hinge', 'horizontal_push', 'vertical_pull'):
        problem('%s: very_high cns_load is reserved for maximal or olympic lifts' % w)
    check_muscle_map(w, r.get('muscles'), r.get('primary_muscle'))
    if 'staple' in tags and 'variant' in tags:
        problem('%s: a movement is either a staple or a variant, not both' % w)
    if 'main_lift' in tags:
        bad = sorted(NOT_MAIN_TAGS & set(tags))
        if bad or r.get('pattern') in NOT_MAIN_PATTERNS:
            problem('%s: main_lift on a %s movement (tags %s)' % (w, r.get('pattern'), bad))
    if 'competition' in tags and not {'staple', 'main_lift'} <= set(tags):
        problem('%s: a competition lift must also be staple and main_lift' % w)

# ------------------------------------------------------------------ relationships
rels = data['movement_relationships.json']
in_rel = set()
seen_rel = set()
for i, r in enumerate(rels):
    w = 'movement_relationships.json[%d]' % i
    a, b = r.get('movement_1'), r.get('movement_2')
    for side in (a, b):
        if side not in movements:
            problem('%s: unknown movement %r' % (w, side))
    if a == b:
        problem('%s: movement_1 equals movement_2 (%r)' % (w, a))
    k = (a, b, r.get('relationship_type'))
    if k in seen_rel:
        problem('%s: duplicate (%s, %s, %s)' % ((w,) + k))
    seen_rel.add(k)
    in_range(w, 'severity', r.get('severity'), 0, 1)
    in_rel.update([a, b])
for name in movements:
    if name not in in_rel:
        problem('movements.json %s: appears in no movement relationship' % name)
# progressions must form a DAG and come with their inverse regression
prog = defaultdict(set)
for (a, b, t) in seen_rel:
    if t == 'progression':
        prog[a].add(b)
        if (b, a, 'regression') not in seen_rel:
            problem('movement_relationships.json: progression %s -> %s has no matching regression %s -> %s' % (a, b, b, a))
    if t == 'regression' and (b, a, 'progression') not in seen_rel:
        problem('movement_relationships.json: regression %s -> %s has no matching progression %s -> %s' % (a, b, b, a))
state = {}


def dfs(u, path):
    state[u] = 1
    for v in sorted(prog.get(u, ())):
        if state.get(v) == 1:
            problem('movement_relationships.json: progression cycle %s' % ' -> '.join(path + [u, v]))
        elif not state.get(v):
            dfs(v, path + [u])
    state[u] = 2


sys.setrecursionlimit(10000)
for u in sorted(prog):
    if not state.get(u):
        dfs(u, [])

# ------------------------------------------------------------------ circuits
circuits = data['circuit_templates.json']
for r in circuits:
    w = 'circuit_templates.json %s' % r.get('name')
    for f in ('name', 'description', 'circuit_type', 'exercises_json', 'bucket_stress', 'tags', 'difficulty_tier',
              'fatigue_factor', 'stimulus_factor', 'min_recovery_hours'):
        if f not in r:
            problem('%s: field %s missing' % (w, f))
    ex = r.get('exercises_json')
    if not isinstance(ex, list) or not ex:
        problem('%s: exercises_json must be a non-empty array' % w)
        ex = []
    for e in ex:
        if e.get('movement') not in movements:
            problem('%s: unknown movement %r' % (w, e.get('movement')))
        if not any(k in e for k in ('reps', 'duration_seconds', 'distance_m')):
            problem('%s: exercise %r needs reps, duration_seconds or distance_m' % (w, e.get('movement')))
        for k in e:
            if k not in ('movement', 'reps', 'reps_ladder', 'duration_seconds', 'distance_m', 'notes'):
                problem('%s: exercise key %r not allowed' % (w, k))
        for k in ('reps', 'duration_seconds', 'distance_m'):
            if k in e and not (num(e[k]) and e[k] > 0):
                problem('%s: %s must be positive' % (w, k))
        if 'reps_ladder' in e and not (isinstance(e['reps_ladder'], list) and all(isinstance(x, int) and x > 0 for x in e['reps_ladder'])):
            problem('%s: reps_ladder must be a list of positive integers' % w)
    if not isinstance(r.get('difficulty_tier'), int) or not 1 <= r.get('difficulty_tier', 0) <= 5:
        problem('%s: difficulty_tier must be an integer in [1, 5]' % w)
    in_range(w, 'fatigue_factor', r.get('fatigue_factor'), 0, 5)
    in_range(w, 'stimulus_factor', r.get('stimulus_factor'), 0, 5)
    if r.get('default_rounds') is not None and not (isinstance(r['default_rounds'], int) and r['default_rounds'] >= 1):
        problem('%s: default_rounds must be null or >= 1' % w)
    if r.get('default_duration_seconds') is not None and not (isinstance(r['default_duration_seconds'], int) and r['default_duration_seconds'] >= 0):
        problem('%s: default_duration_seconds must be null or >= 0' % w)
    if r.get('default_rounds') is None and r.get('default_duration_seconds') is None:
        problem('%s: needs default_rounds or default_duration_seconds' % w)
    if not (isinstance(r.get('min_recovery_hours'), int) and r['min_recovery_hours'] >= 0):
        problem('%s: min_recovery_hours must be an integer >= 0' % w)
    bs = r.get('bucket_stress')
    if not isinstance(bs, dict) or not bs:
        problem('%s: bucket_stress must be a non-empty object' % w)
    else:
        for k, v in bs.items():
            if k not in BUCKETS:
                problem('%s: bucket %r not in %s' % (w, k, sorted(BUCKETS)))
            in_range(w, 'bucket_stress.%s' % k, v, 0, 1)
    for t in r.get('tags') or []:
        if t not in CIRCUIT_TAGS:
            problem('%s: tag %r is not in the documented circuit vocabulary' % (w, t))
ctypes = Counter(r.get('circuit_type') for r in circuits)
for t in ENUMS['circuit_type']:
    if ctypes[t] < 3:
        problem('circuit_templates.json: circuit_type %s has %d templates (need >= 3)' % (t, ctypes[t]))
if len(circuits) < MIN['circuits']:
    problem('circuit_templates.json: %d templates (need >= %d)' % (len(circuits), MIN['circuits']))

# ------------------------------------------------------------------ activity definitions
acts = data['activity_definitions.json']
act_cover = Counter(r.get('enjoyable_activity') for r in acts)
for a in ENUMS['enjoyable_activity']:
    if act_cover[a] != 1:
        problem('activity_definitions.json: enjoyable_activity %s has %d definitions (need exactly 1)' % (a, act_cover[a]))
for r in acts:
    w = 'activity_definitions.json %s' % r.get('name')
    if r.get('discipline') not in disciplines:
        problem('%s: unknown discipline %r' % (w, r.get('discipline')))
    in_range(w, 'default_intensity', r.get('default_intensity'), 0, 10, allow_null=True)
    if not num(r.get('stress_points')) or r['stress_points'] < 0:
        problem('%s: stress_points must be a number >= 0' % w)
    if r.get('default_duration_seconds') is not None and not (isinstance(r['default_duration_seconds'], int) and r['default_duration_seconds'] >= 0):
        problem('%s: default_duration_seconds must be an integer >= 0' % w)
    check_muscle_map(w, r.get('muscles'))

# ------------------------------------------------------------------ heuristics
heur = {}
for fname, rows in heur_files.items():
    for i, r in enumerate(rows):
        w = '%s[%d] %s' % (fname, i, r.get('key'))
        k = r.get('key')
        if not isinstance(k, str) or not KEY_RE.match(k) or len(k) > 255:
            problem('%s: key must be dotted lower snake case' % w)
        if k in heur:
            problem('%s: key already defined in %s' % (w, heur[k][0]))
        heur[k] = (fname, r)
        for f in ('value', 'description', 'category', 'data_type'):
            if f not in r:
                problem('%s: field %s missing' % (w, f))
        enum_ok(w, 'data_type', r.get('data_type'), 'heuristic_data_type')
        v, dt = r.get('value'), r.get('data_type')
        ok = {'int': isinstance(v, int) and not isinstance(v, bool), 'float': num(v), 'bool': isinstance(v, bool),
              'string': isinstance(v, str), 'json': isinstance(v, (dict, list))}.get(dt, True)
        if not ok:
            problem('%s: value %r does not match data_type %s' % (w, v, dt))
        if isinstance(r.get('category'), str) and isinstance(k, str) and not k.startswith(r['category'] + '.') and fname.endswith('/catalog.json'):
            problem('%s: key should start with its category %r' % (w, r['category']))


def hv(key, dt=None):
    if key not in heur:
        problem('heuristic_configs: key %s missing' % key)
        return None
    r = heur[key][1]
    if dt and r.get('data_type') != dt:
        problem('heuristic_configs: %s must have data_type %s' % (key, dt))
    return r.get('value')


for g in ENUMS['goal']:
    v = hv('goal.%s.dose' % g, 'json')
    if isinstance(v, dict):
        for f in ('rep_min', 'rep_max', 'pct_1rm_min', 'pct_1rm_max', 'weekly_sets_min', 'weekly_sets_max', 'rest_seconds', 'rpe_min', 'rpe_max'):
            if not num(v.get(f)):
                problem('goal.%s.dose: %s missing or not a number' % (g, f))
        try:
            if not (v['rep_min'] <= v['rep_max'] and v['pct_1rm_min'] <= v['pct_1rm_max'] <= 1 and v['weekly_sets_min'] <= v['weekly_sets_max'] and 0 <= v['rpe_min'] <= v['rpe_max'] <= 10):
                problem('goal.%s.dose: a min exceeds its max or a value is out of range' % g)
        except (KeyError, TypeError):
            pass
        for b in v.get('preferred_block_types', []):
            if b not in set(BLOCK_TYPE.values()):
                problem('goal.%s.dose: unknown block type %r' % (g, b))
for m in ENUMS['primary_muscle']:
    v = hv('volume.landmarks.%s' % m, 'json')
    if isinstance(v, dict):
        try:
            if not (0 <= v['mv'] <= v['mev'] <= v['mav'] <= v['mrv']):
                problem('volume.landmarks.%s: need 0 <= mv <= mev <= mav <= mrv' % m)
        except (KeyError, TypeError):
            problem('volume.landmarks.%s: needs numeric mv, mev, mav, mrv' % m)
for k, dt in (('limits.daily.olympic_max', 'int'), ('limits.daily.plyometric_max', 'int'), ('limits.daily.very_high_cns_max', 'int'),
              ('deload.every_n_microcycles', 'int'), ('deload.intensity_factor', 'float'), ('deload.volume_factor', 'float'),
              ('deload.max_rpe', 'int'), ('deload.finishers_allowed', 'bool'),
              ('time.seconds_per_rep', 'float'), ('time.setup_seconds_per_exercise', 'int'), ('time.transition_seconds', 'int'),
              ('time.warmup_minutes', 'int'), ('injury.severity_exclude_threshold', 'float'), ('injury.joint_muscles', 'json'),
              ('skill.max_for_experience', 'json'), ('balance.push_pull_ratio_target', 'float'),
              ('balance.anterior_posterior_ratio_target', 'float')):
    hv(k, dt)
for role in ENUMS['exercise_role']:
    hv('time.rest_seconds.%s' % role, 'int')
for s in ENUMS['progression_style']:
    hv('progression.%s' % s, 'json')
for s in ENUMS['split_template']:
    v = hv('split.%s' % s, 'json')
    if isinstance(v, dict):
        for d in range(1, 8):
            days = v.get(str(d))
            if not isinstance(days, list) or len(days) != d:
                problem('split.%s: entry for %d days must list %d session types' % (s, d, d))
                continue
            for st in days:
                enum_ok('split.%s' % s, 'session type', st, 'session_type')
sp = hv('split.session_patterns', 'json')
if isinstance(sp, dict):
    for st in ENUMS['session_type']:
        if st not in sp:
            problem('split.session_patterns: no entry for session_type %s' % st)
    for st, v in sp.items():
        enum_ok('split.session_patterns', 'session type', st, 'session_type')
        for p in v.get('patterns', []):
            enum_ok('split.session_patterns.%s' % st, 'pattern', p, 'movement_pattern')
        for m in v.get('isolation_muscles', []):
            enum_ok('split.session_patterns.%s' % st, 'isolation muscle', m, 'primary_muscle')
        if 'max_cns' in v:
            enum_ok('split.session_patterns.%s' % st, 'max_cns', v['max_cns'], 'cns_load')
rb = hv('role.block_types', 'json')
if isinstance(rb, dict):
    for role in ENUMS['exercise_role']:
        if role not in rb:
            problem('role.block_types: no entry for exercise_role %s' % role)
        for b in rb.get(role, []):
            if b not in set(BLOCK_TYPE.values()):
                problem('role.block_types.%s: unknown block type %r' % (role, b))
for a in ENUMS['enjoyable_activity']:
    v = hv('interference.%s' % a, 'json')
    if isinstance(v, list):
        if not v:
            problem('interference.%s: must list at least one entry' % a)
        for e in v:
            if ('pattern' in e) == ('muscle' in e):
                problem('interference.%s: each entry names exactly one of pattern or muscle' % a)
            if 'pattern' in e:
                enum_ok('interference.%s' % a, 'pattern', e['pattern'], 'movement_pattern')
            if 'muscle' in e and e['muscle'] not in MUSCLE_NAMES:
                problem('interference.%s: unknown muscle %r' % (a, e['muscle']))
            for f in ('before_hours', 'after_hours'):
                if not (num(e.get(f)) and e[f] >= 0):
                    problem('interference.%s: %s must be a number >= 0' % (a, f))
            in_range('interference.%s' % a, 'severity', e.get('severity'), 0, 1)
jm = heur.get('injury.joint_muscles', (None, {}))[1].get('value')
if isinstance(jm, dict):
    for j in JOINTS:
        if j not in jm:
            problem('injury.joint_muscles: no entry for joint %s' % j)
    for j, v in jm.items():
        if muscles.get(j, {}).get('body_region') != 'joint':
            problem('injury.joint_muscles: %r is not a joint row in muscles.json' % j)
        for m in v.get('muscles', []):
            if m not in MUSCLE_NAMES:
                problem('injury.joint_muscles.%s: unknown muscle %r' % (j, m))
        for p in v.get('patterns', []):
            enum_ok('injury.joint_muscles.%s' % j, 'pattern', p, 'movement_pattern')
        for t in v.get('tags', []):
            if t not in MOVEMENT_TAGS:
                problem('injury.joint_muscles.%s: unknown tag %r' % (j, t))
        if 'spinal_compression_min' in v:
            enum_ok('injury.joint_muscles.%s' % j, 'spinal_compression_min', v['spinal_compression_min'], 'spinal_compression')
sk = heur.get('skill.max_for_experience', (None, {}))[1].get('value')
if isinstance(sk, dict):
    for e in ENUMS['experience_level']:
        if e not in sk:
            problem('skill.max_for_experience: no entry for %s' % e)
        else:
            enum_ok('skill.max_for_experience', e, sk[e], 'skill_level')
v = heur.get('injury.severity_exclude_threshold', (None, {}))[1].get('value')
in_range('injury.severity_exclude_threshold', 'value', v, 0, 1)

# ------------------------------------------------------------------ import aliases
# movement_aliases.json: names other training apps give a movement, read by the history import
# (not a table). Each alias names an existing movement, no alias repeats (compared the way the
# importer compares names: case, punctuation and spacing ignored) or shadows a movement's own name.
def import_key(name):
    return ' '.join(re.sub(r'[^0-9a-z]+', ' ', name.lower()).split())


aliases = load(os.path.join(CATALOG, 'movement_aliases.json'))
if not isinstance(aliases, list):
    problem('movement_aliases.json: top level must be an array')
    aliases = []
movement_keys = {import_key(n) for n in movements}
alias_keys = {}
for i, r in enumerate(aliases):
    where = 'movement_aliases.json[%d]' % i
    if not isinstance(r, dict) or set(r) != {'uid', 'name', 'movement'}:
        problem('%s: expected exactly uid, name, movement' % where)
        continue
    check_uid(where, r['uid'])
    if r['movement'] not in movements:
        problem('%s: movement %r is not in movements.json' % (where, r['movement']))
    k = import_key(r['name']) if isinstance(r['name'], str) else ''
    if not k:
        problem('%s: name must be a non-empty string' % where)
    elif k in movement_keys:
        problem('%s: %r is already a movement name' % (where, r['name']))
    elif k in alias_keys:
        problem('%s: %r repeats %s' % (where, r['name'], alias_keys[k]))
    alias_keys[k] = where

# ------------------------------------------------------------------ coverage
movs = list(movements.values())
by_pattern = Counter(r.get('pattern') for r in movs)
by_equipment = Counter(e for r in movs for e in r.get('equipment', []))
by_skill = Counter(r.get('skill_level') for r in movs)
by_cns = Counter(r.get('cns_load') for r in movs)
bodyweight_only = sum(1 for r in movs if r.get('equipment') == ['bodyweight'])
if len(movs) < MIN['movements']:
    problem('movements.json: %d movements (need >= %d)' % (len(movs), MIN['movements']))
for p in ENUMS['movement_pattern']:
    if by_pattern[p] < MIN['per_pattern']:
        problem('movements.json: pattern %s has %d movements (need >= %d)' % (p, by_pattern[p], MIN['per_pattern']))
for e in sorted(equipment):
    if by_equipment[e] < MIN['per_equipment']:
        problem('movements.json: equipment %s used by %d movements (need >= %d)' % (e, by_equipment[e], MIN['per_equipment']))
if bodyweight_only < MIN['bodyweight_only']:
    problem('movements.json: %d bodyweight-only movements (need >= %d)' % (bodyweight_only, MIN['bodyweight_only']))
for s in ('advanced', 'expert', 'elite'):
    if by_skill[s] < MIN[s]:
        problem('movements.json: %d %s movements (need >= %d)' % (by_skill[s], s, MIN[s]))
for s in ENUMS['skill_level']:
    if by_skill[s] == 0:
        problem('movements.json: no %s movement' % s)
staples = Counter(r.get('pattern') for r in movs if 'staple' in (r.get('tags') or []))
for p in by_pattern:
    if staples[p] == 0:
        problem('movements.json: pattern %s has movements but no staple' % p)
mains = Counter(r.get('pattern') for r in movs if 'main_lift' in (r.get('tags') or []))
for p in ('squat', 'hinge', 'horizontal_push', 'vertical_push', 'horizontal_pull', 'vertical_pull'):
    if not any('staple' in r.get('tags', []) and 'main_lift' in r.get('tags', []) and r.get('pattern') == p for r in movs):
        problem('movements.json: pattern %s has no staple main_lift' % p)
competition = {r['name'] for r in movs if 'competition' in (r.get('tags') or [])}
for p in ('squat', 'horizontal_push', 'hinge'):
    if not any(movements[n].get('pattern') == p for n in competition):
        problem('movements.json: no competition lift in pattern %s' % p)

# activity_aliases.json: names providers give a workout's sport, read by the ingestion
act_names = {r.get('name') for r in acts}
seen_alias = set()
for i, r in enumerate(load(os.path.join(CATALOG, 'activity_aliases.json'))):
    w = 'activity_aliases.json[%d] %s' % (i, r.get('name'))
    key = re.sub(r'[^a-z0-9]', '', str(r.get('name', '')).lower())
    if not key:
        problem('%s: name must be a non-empty string' % w)
    if key in seen_alias:
        problem('%s: repeats another alias (compared without case or punctuation)' % w)
    seen_alias.add(key)
    if r.get('activity') is not None and r['activity'] not in act_names:
        problem('%s: unknown activity %r' % (w, r['activity']))

# ------------------------------------------------------------------ report


def table(title, counter, order):
    print('%s:' % title)
    for k in order:
        print('  %-22s %4d' % (k, counter[k]))


print('catalog: %s' % CATALOG)
print('movements %d, relationships %d, circuits %d, activities %d, heuristic keys %d, bodyweight-only %d'
      % (len(movs), len(rels), len(circuits), len(acts), len(heur), bodyweight_only))
table('per pattern', by_pattern, ENUMS['movement_pattern'])
table('per equipment', by_equipment, [r['name'] for r in data['equipment.json'] if 'name' in r])
table('per skill level', by_skill, ENUMS['skill_level'])
table('staples per pattern', staples, ENUMS['movement_pattern'])
table('main lifts per pattern', mains, ENUMS['movement_pattern'])
table('per cns_load', by_cns, ENUMS['cns_load'])
table('per relationship type', Counter(r.get('relationship_type') for r in rels), ENUMS['relationship_type'])
table('per circuit type', ctypes, ENUMS['circuit_type'])
if problems:
    print('\ncatalog lint: %d problem(s)' % len(problems))
    for p in problems:
        print('  - ' + p)
    sys.exit(1)
print('\ncatalog lint: OK')
