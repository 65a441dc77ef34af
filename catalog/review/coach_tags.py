#!/usr/bin/env python3
"""Coach review of catalog/movements.json (issue #13): the per-movement decisions for the
`main_lift`, `staple`, `variant` and `competition` tags and the skill_level corrections.

Every movement of the catalog was read (pattern, equipment, skill, description) and judged as a
strength coach would; the lists below are that review record, by name. Running this script rewrites
movements.json so its tags match the record (the data itself lives in movements.json; this file is
not loaded by the library). Re-run after editing a list:

    python3 catalog/review/coach_tags.py && python3 tests/catalog_lint.py

Meaning (catalog/README.md):
  main_lift   -- may fill a main slot: a loadable compound strength lift (barbell, dumbbell, kettlebell,
                 machine, cable, trap bar, landmine, sandbag, or a bodyweight lift that is routinely
                 loaded: push-up, pull-up, chin-up, dip, pistol). Never power, isometric, core, carry,
                 mobility or conditioning work.
  staple      -- what a coach programs by default for its pattern (and equipment context).
  variant     -- a rotation or weak-point version of a staple. Never both staple and variant.
  competition -- the powerlifting competition lifts.
Movements in none of the lists are regressions, progressions or specialist drills (no tag).
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MOVEMENTS = os.path.join(HERE, '..', 'movements.json')

# name -> tags, grouped by pattern. "M" main_lift, "S" staple, "V" variant, "C" competition.
REVIEW = {
    # --- squat: barbell back/front squat and leg press are the defaults; goblet squats for lower levels
    # and dumbbell/kettlebell-only gyms; bodyweight squats are regressions (not loadable mains).
    'Bodyweight Squat': '', 'Bench Sit-To-Stand': '', 'Suspension Assisted Squat': '', 'Prisoner Squat': '',
    'Tempo Bodyweight Squat': 'V',
    'Goblet Squat': 'SM', 'Kettlebell Goblet Squat': 'SM',
    'Dumbbell Sumo Squat': 'V', 'Dumbbell Front Squat': 'VM', 'Kettlebell Double Front Rack Squat': 'SM',
    'Barbell Back Squat': 'SMC', 'Low-Bar Back Squat': 'SMC',
    'Pause Back Squat': 'VM', 'Tempo Back Squat': 'VM', 'Barbell Box Squat': 'VM',
    'Barbell Front Squat': 'SM', 'Zercher Squat': 'VM',
    'Overhead Squat': 'V',  # a weightlifting skill/mobility lift, never loaded like a main squat
    'Smith Machine Squat': 'VM', 'Hack Squat': 'SM', 'Leg Press': 'SM', 'Single-Leg Leg Press': 'V',
    'Belt Squat': 'VM', 'Landmine Squat': 'VM', 'Sandbag Bear Hug Squat': 'VM',
    'Stability Ball Wall Squat': '', 'Sissy Squat': 'V', 'Cossack Squat': 'V', 'Bench Single-Leg Squat': '',
    'Suspension Assisted Pistol Squat': '',
    'Pistol Squat': 'M',  # the calisthenics main squat (loadable with a goblet); skill-capped
    'Shrimp Squat': '', 'Dragon Pistol Squat': '',
    # --- hinge: conventional/sumo/trap-bar deadlift, RDL and hip thrust; kettlebell and dumbbell
    # deadlifts for lower levels; ballistic hinges (swings, cleans, snatches) never main.
    'Hip Hinge Wall Tap': '', 'Glute Bridge': '', 'Single-Leg Glute Bridge': '', 'Single-Leg Hip Hinge': '',
    'Band Good Morning': '',
    'Kettlebell Deadlift': 'SM', 'Dumbbell Deadlift': 'SM', 'Dumbbell Romanian Deadlift': 'SM',
    'Single-Leg Romanian Deadlift': 'V', 'Kettlebell Single-Leg Deadlift': 'V', 'Landmine Romanian Deadlift': 'VM',
    'Barbell Romanian Deadlift': 'SM', 'Stiff-Leg Deadlift': 'VM',
    'Conventional Deadlift': 'SMC', 'Sumo Deadlift': 'SMC',
    'Pause Deadlift': 'VM', 'Deficit Deadlift': 'VM', 'Snatch-Grip Deadlift': 'VM', 'Rack Pull': 'VM',
    'Good Morning': 'VM', 'Trap Bar Deadlift': 'SM', 'High-Handle Trap Bar Deadlift': 'VM',
    'Barbell Hip Thrust': 'SM', 'Smith Machine Hip Thrust': 'VM', 'Single-Leg Hip Thrust': 'V',
    'Barbell Glute Bridge': 'VM', 'Cable Pull-Through': '',
    'Back Extension': 'S',  # the posterior-chain accessory staple
    'Stability Ball Back Extension': '', 'Reverse Hyperextension': '', 'Glute-Ham Raise': '',
    'Kettlebell Swing': '', 'Single-Arm Kettlebell Swing': '', 'Kettlebell Clean': '', 'Kettlebell Snatch': '',
    'Sandbag Clean': '', 'Sandbag Over Shoulder': '',
    # --- lunge: split squat (the staple), dumbbell Bulgarian split squat, dumbbell lunges and
    # step-ups; barbell and smith versions rotate in.
    'Split Squat': 'S', 'Bodyweight Reverse Lunge': '', 'Bodyweight Forward Lunge': '', 'Bodyweight Walking Lunge': '',
    'Curtsy Lunge': 'V', 'Lateral Lunge': '', 'Dumbbell Lateral Lunge': 'V',
    'Dumbbell Reverse Lunge': 'SM', 'Dumbbell Walking Lunge': 'S', 'Kettlebell Goblet Reverse Lunge': 'V',
    'Landmine Reverse Lunge': 'V', 'Barbell Reverse Lunge': 'VM', 'Barbell Walking Lunge': 'V',
    'Deficit Reverse Lunge': 'V', 'Bodyweight Bulgarian Split Squat': '',
    'Dumbbell Bulgarian Split Squat': 'SM', 'Barbell Bulgarian Split Squat': 'VM', 'Smith Machine Split Squat': 'VM',
    'Suspension Lunge': '', 'Box Step-Up': '', 'Lateral Step-Up': '', 'Dumbbell Step-Up': 'S',
    'Barbell Step-Up': 'V', 'Sandbag Bear Hug Lunge': 'V', 'Skater Squat': '',
    # --- core / rotation: planks, dead bug, hanging raises, ab wheel, cable crunch, Pallof, chops.
    'Front Plank': 'S', 'Knee Plank': '', 'Side Plank': 'S', 'Plank Shoulder Tap': 'V', 'Dead Bug': 'S',
    'Bird Dog': 'S', 'Crunch': '', 'Reverse Crunch': '', 'Bicycle Crunch': '', 'Sit-Up': '', 'Decline Sit-Up': '',
    'V-Up': '', 'Hollow Body Hold': '', 'Hollow Rock': '', 'Hanging Knee Raise': 'S',
    "Captain's Chair Knee Raise": '', 'Hanging Leg Raise': 'S', 'Toes-To-Bar': 'V', 'Windshield Wiper': 'V',
    'Dragon Flag': '', 'Barbell Rollout': 'S', 'Stability Ball Rollout': '', 'Stir The Pot': '',
    'Stability Ball Crunch': '', 'Stability Ball Knee Tuck': '', 'Stability Ball Pike': '', 'Suspension Knee Tuck': '',
    'Suspension Pike': '', 'Suspension Fallout': '', 'Ring Fallout': '', 'Cable Crunch': 'S', 'Pallof Press': 'S',
    'Band Pallof Press': '', 'Dumbbell Side Bend': '', 'Kettlebell Windmill': '', 'Turkish Get-Up': 'S',
    'Sandbag Get-Up': '',
    'Russian Twist': '', 'Medicine Ball Russian Twist': '', 'Standing Band Rotation': '', 'Cable Woodchop': 'S',
    'Cable Low-To-High Lift': 'V', 'Half-Kneeling Cable Chop': 'V', 'Dumbbell Woodchop': '', 'Landmine Rotation': '',
    'Suspension Torso Rotation': '', 'Medicine Ball Rotational Throw': '', 'Medicine Ball Shot Put Throw': '',
    # --- horizontal push: barbell bench, incline bench, dumbbell presses, machine press; the push-up is
    # the bodyweight staple (loaded with a vest or plate); other push-ups are variants or progressions.
    'Wall Push-Up': '', 'Incline Push-Up': '', 'Knee Push-Up': '', 'Push-Up': 'SM', 'Tempo Push-Up': 'V',
    'Wide-Grip Push-Up': 'V', 'Diamond Push-Up': 'V', 'Decline Push-Up': 'V', 'Banded Push-Up': 'V',
    'Stability Ball Push-Up': 'V', 'Suspension Push-Up': 'V', 'Ring Push-Up': 'V', 'Archer Push-Up': 'V',
    'Pseudo Planche Push-Up': 'V', 'One-Arm Push-Up': 'V',
    'Kettlebell Floor Press': 'VM', 'Dumbbell Floor Press': 'VM', 'Dumbbell Bench Press': 'SM',
    'Incline Dumbbell Press': 'SM', 'Decline Dumbbell Press': 'VM', 'Machine Chest Press': 'SM',
    'Cable Chest Press': 'VM', 'Smith Machine Bench Press': 'VM', 'Smith Machine Incline Press': 'VM',
    'Barbell Bench Press': 'SMC', 'Paused Bench Press': 'VM', 'Close-Grip Bench Press': 'VM',
    'Incline Barbell Bench Press': 'SM', 'Barbell Floor Press': 'VM',
    'Planche Lean': '', 'Tuck Planche': '', 'Advanced Tuck Planche': '', 'Straddle Planche': '', 'Full Planche': '',
    'Planche Push-Up': '',
    # --- vertical push: barbell overhead press, dumbbell and machine shoulder press, dips.
    'Pike Push-Up': '', 'Elevated Pike Push-Up': '', 'Wall Handstand Push-Up': '', 'Freestanding Handstand Push-Up': '',
    'Wall Walk': '', 'Band Overhead Press': '', 'Seated Dumbbell Shoulder Press': 'SM',
    'Standing Dumbbell Shoulder Press': 'SM', 'Arnold Press': 'VM', 'Machine Shoulder Press': 'SM',
    'Smith Machine Shoulder Press': 'VM', 'Landmine Press': 'VM', 'Single-Arm Landmine Press': 'V',
    'Kettlebell Overhead Press': 'SM', 'Bottoms-Up Kettlebell Press': 'V', 'Barbell Overhead Press': 'SM',
    'Z Press': 'VM', 'Push Press': 'VM', 'Parallel Bar Dip': 'SM', 'Chest Dip': 'VM', 'Bench Dip': '',
    'Dip Support Hold': '', 'Weighted Dip': 'SM', 'Ring Dip': 'VM', 'Ring Support Hold': '',
    # --- horizontal pull: barbell, dumbbell, cable, chest-supported and T-bar rows; face pull and
    # pull-apart as accessory staples; inverted rows are the bodyweight staples.
    'Band Row': '', 'Band Pull-Apart': 'S', 'Band Face Pull': 'V', 'Face Pull': 'S', 'Suspension Row': 'S',
    'Ring Row': 'S', 'Smith Machine Inverted Row': 'V', 'Archer Ring Row': 'V', 'Front Lever Row': '',
    'Dumbbell One-Arm Row': 'SM', 'Chest-Supported Dumbbell Row': 'SM', 'Seal Row': 'VM',
    'Kettlebell Bent-Over Row': 'SM', 'Kettlebell Gorilla Row': 'V', 'Renegade Row': 'V',
    'Seated Cable Row': 'SM', 'Single-Arm Cable Row': 'VM', 'Machine Chest-Supported Row': 'SM',
    'T-Bar Row': 'SM', 'Meadows Row': 'VM', 'Barbell Bent-Over Row': 'SM', 'Pendlay Row': 'VM', 'Sled Row': '',
    # --- vertical pull: pull-up, chin-up, lat pulldown (assisted machine for those without a pull-up).
    'Scapular Pull-Up': '', 'Band Lat Pulldown': '', 'Lat Pulldown': 'SM', 'Close-Grip Lat Pulldown': 'VM',
    'Single-Arm Lat Pulldown': 'V', 'Assisted Pull-Up Machine': 'SM', 'Band-Assisted Pull-Up': '',
    'Negative Pull-Up': '', 'Pull-Up': 'SM', 'Chin-Up': 'SM', 'Neutral-Grip Pull-Up': 'SM',
    'Wide-Grip Pull-Up': 'VM', 'Kipping Pull-Up': '', 'Chest-To-Bar Pull-Up': 'V', 'Ring Pull-Up': 'VM',
    'Weighted Pull-Up': 'SM', 'L-Sit Pull-Up': 'V', 'Archer Pull-Up': 'V', 'Typewriter Pull-Up': 'V',
    'One-Arm Chin-Up': '', 'Bar Muscle-Up': '', 'Ring Muscle-Up': '',
    # --- carry: farmer's and suitcase carries.
    "Dumbbell Farmer's Carry": 'S', "Kettlebell Farmer's Carry": 'S', 'Trap Bar Carry': 'V',
    'Dumbbell Suitcase Carry': 'S', 'Kettlebell Suitcase Carry': 'V', 'Kettlebell Front Rack Carry': 'V',
    'Kettlebell Overhead Carry': 'V', "Dumbbell Waiter's Walk": 'V', 'Bottoms-Up Kettlebell Carry': 'V',
    'Sandbag Bear Hug Carry': 'V', 'Sandbag Shoulder Carry': 'V', 'Zercher Carry': 'V',
    # --- isolation: curls, triceps extensions, flies, lateral and rear-delt raises, shrugs, leg
    # extension and curls, calf raises, hip abduction/adduction.
    'Barbell Curl': 'S', 'Dumbbell Curl': 'S', 'Hammer Curl': 'S', 'Incline Dumbbell Curl': 'V',
    'Concentration Curl': 'V', 'EZ-Bar Curl': 'S', 'EZ-Bar Preacher Curl': 'V', 'EZ-Bar Reverse Curl': 'V',
    'Cable Curl': 'S', 'Band Curl': '', 'Suspension Biceps Curl': '', 'Dumbbell Wrist Curl': '',
    'Dumbbell Reverse Wrist Curl': '', 'Barbell Wrist Curl': '', 'Cable Triceps Pushdown': 'S',
    'Band Triceps Pushdown': '', 'Overhead Cable Triceps Extension': 'S', 'Dumbbell Overhead Triceps Extension': 'S',
    'EZ-Bar Overhead Triceps Extension': 'V', 'EZ-Bar Skull Crusher': 'S', 'Dumbbell Triceps Kickback': 'V',
    'Suspension Triceps Extension': 'V', 'Dumbbell Fly': 'S', 'Cable Fly': 'S', 'Low-To-High Cable Fly': 'V',
    'Pec Deck': 'S', 'Dumbbell Pullover': 'V', 'Straight-Arm Pulldown': 'S', 'Band Straight-Arm Pulldown': '',
    'Dumbbell Lateral Raise': 'S', 'Cable Lateral Raise': 'S', 'Machine Lateral Raise': 'S', 'Band Lateral Raise': '',
    'Dumbbell Front Raise': 'V', 'EZ-Bar Upright Row': 'V', 'Bent-Over Dumbbell Reverse Fly': 'S',
    'Reverse Pec Deck': 'S', 'Cable Rear Delt Fly': 'S', 'Suspension Y-Raise': '', 'Prone Y-T-W Raise': '',
    'Barbell Shrug': 'S', 'Dumbbell Shrug': 'S', 'Trap Bar Shrug': 'V', 'Leg Extension': 'S', 'Lying Leg Curl': 'S',
    'Seated Leg Curl': 'S', 'Nordic Hamstring Curl': 'V', 'Stability Ball Hamstring Curl': '',
    'Suspension Hamstring Curl': '', 'Bodyweight Calf Raise': '', 'Single-Leg Calf Raise': 'S',
    'Standing Calf Raise': 'S', 'Seated Calf Raise': 'S', 'Smith Machine Calf Raise': 'V',
    'Hip Abduction Machine': 'S', 'Hip Adduction Machine': 'S', 'Banded Lateral Walk': '', 'Cable Glute Kickback': 'V',
    'Frog Pump': '', 'Side-Lying Hip Abduction': '', 'Side-Lying Adductor Raise': '', 'Banded Psoas March': '',
    # --- isometric: wall sit, Copenhagen plank, dead hang (grip and shoulders; an upper-body drill).
    'Split Squat Isometric Hold': '', 'Wall Sit': 'S', 'Glute Bridge Hold': '', 'Superman Hold': '', 'Bear Hold': '',
    'Copenhagen Plank': 'S', 'Dead Hang': 'S', 'L-Sit Hold': '', 'Wall Handstand Hold': '',
    'Freestanding Handstand': '', 'Tuck Front Lever': '', 'Straddle Front Lever': '', 'Full Front Lever': '',
    'Tuck Back Lever': '', 'Full Back Lever': '',
    # --- plyometric: squat jump, broad jump, box jump, plyo push-up.
    'Pogo Hop': '', 'Squat Jump': 'S', 'Tuck Jump': '', 'Broad Jump': 'S', 'Split Squat Jump': '', 'Skater Hop': '',
    'Lateral Bound': '', 'Single-Leg Hop': '', 'Box Jump': 'S', 'Seated Box Jump': 'V', 'Box Jump-Over': '',
    'Single-Leg Box Jump': 'V', 'Depth Drop': '', 'Depth Jump': '', 'Trap Bar Jump': '', 'Plyo Push-Up': 'S',
    'Clap Push-Up': 'V', 'Medicine Ball Chest Pass': '', 'Medicine Ball Overhead Backward Throw': '',
    # --- olympic: power and hang power clean, power snatch, the competition snatch, clean and jerk and
    # split jerk; pulls, balances and hang/squat versions rotate in.
    'Muscle Snatch': 'V', 'Snatch Balance': 'V', 'Snatch Pull': 'V', 'Clean Pull': 'V', 'Hang Power Clean': 'S',
    'Power Clean': 'S', 'Squat Clean': 'V', 'Dumbbell Hang Clean': '', 'Dumbbell Snatch': '',
    'Hang Power Snatch': 'V', 'Power Snatch': 'S', 'Hang Snatch': 'V', 'Push Jerk': 'V', 'Split Jerk': 'S',
    'Snatch': 'S', 'Clean And Jerk': 'S',
    # --- mobility
    'Cat-Cow': 'S', "World's Greatest Stretch": 'S', '90/90 Hip Switch': 'S', 'Couch Stretch': 'S',
    'Half-Kneeling Hip Flexor Stretch': '', 'Deep Squat Hold': '', 'Knee-To-Wall Ankle Mobilization': '',
    'Open Book Rotation': '', 'Thread The Needle': '', 'Wall Slide': 'S', 'Band Shoulder Dislocate': '',
    'Kettlebell Halo': '', 'Sleeper Stretch': '', 'Doorway Pec Stretch': '', 'Bench Lat Stretch': '',
    "Child's Pose": '', 'Cobra Stretch': '', 'Downward Dog': '', 'Pigeon Stretch': '', 'Seated Forward Fold': '',
    'Frog Stretch': '', 'Band Hamstring Stretch': '', 'Leg Swing': '', 'Hip Controlled Articular Rotation': '',
    'Shoulder Controlled Articular Rotation': '', 'Wrist Mobility Rocks': '', 'Inchworm': '', 'Hip Airplane': '',
    'Stability Ball Thoracic Extension': '', 'Jefferson Curl': '', 'Sun Salutation Flow': '',
    # --- conditioning and cardio
    'Jumping Jack': '', 'High Knees': '', 'Mountain Climber': '', 'Squat Thrust': '', 'Burpee': 'S',
    'Burpee Pull-Up': 'V', 'Bear Crawl': '', 'Shuttle Run': '', 'Sprint': '', 'Medicine Ball Slam': '',
    'Wall Ball Shot': '', 'Dumbbell Thruster': '', 'Barbell Thruster': '', 'Devil Press': '', 'Dumbbell Man Maker': '',
    'Sled Push': 'S', 'Sled Backward Drag': '', 'Sled Forward Drag': '', 'Sled Lateral Drag': '',
    'Brisk Walk': 'S', 'Stair Climb': '', 'Easy Run': 'S', 'Tempo Run': '', 'Interval Run': '', 'Shadow Boxing': '',
    'Rowing Machine Steady State': 'S', 'Rowing Machine Intervals': '', 'Rowing Machine 500m Sprint': '',
    'Rowing Machine 2000m Test': '', 'Rowing Machine Pick Drill': '', 'Stationary Bike Easy Ride': 'S',
    'Stationary Bike Tempo Ride': '', 'Bike Sprint Intervals': '', 'Air Bike Calorie Sprint': '',
    'Bike Recovery Spin': '', 'Jump Rope Basic Bounce': 'S', 'Jump Rope Alternate Step': '',
    'Jump Rope High Knees': '', 'Crossover Jump Rope': '', 'Double Under': '', 'Triple Under': '',
}

# skill_level corrections (name -> new level), each with the reason.
SKILL = {
    'Belt Squat': 'beginner',             # fixed-path machine, no balance or bar path to learn
    'Reverse Hyperextension': 'beginner',  # machine
    'Zercher Squat': 'intermediate',      # a barbell squat variant, uncomfortable rather than technical
    'Deficit Deadlift': 'intermediate',   # a standard weak-point variant for intermediate pullers
    'Snatch-Grip Deadlift': 'intermediate',
    'Z Press': 'intermediate',            # a seated barbell press
    'Weighted Pull-Up': 'intermediate',   # a pull-up with a belt: the intermediate's main vertical pull
    'Weighted Dip': 'intermediate',       # likewise for dips
}

CODES = {'M': 'main_lift', 'S': 'staple', 'V': 'variant', 'C': 'competition'}
COACH_TAGS = set(CODES.values())


def main():
    with open(MOVEMENTS, encoding='utf-8') as f:
        rows = json.load(f)
    names = {r['name'] for r in rows}
    missing = sorted(names - set(REVIEW))
    unknown = sorted(set(REVIEW) - names) + sorted(set(SKILL) - names)
    if missing or unknown:
        sys.exit('review out of date: not reviewed %s; unknown %s' % (missing, unknown))
    for r in rows:
        tags = [t for t in r['tags'] if t not in COACH_TAGS]
        tags += [CODES[c] for c in 'MSVC' if c in REVIEW[r['name']]]
        r['tags'] = tags
        if r['name'] in SKILL:
            r['skill_level'] = SKILL[r['name']]
    with open(MOVEMENTS, 'w', encoding='utf-8') as f:
        json.dump(rows, f, indent=2, ensure_ascii=False)
        f.write('\n')


if __name__ == '__main__':
    main()
