package app.gainsly.test

import app.gainsly.E1rmFormula
import app.gainsly.GainslyException.Companion.INVALID
import app.gainsly.GainslyException.Companion.NOT_FOUND
import app.gainsly.OneRepMaxFormula
import app.gainsly.PrType
import app.gainsly.RecoverySignal
import app.gainsly.SetEntry
import app.gainsly.SetType
import app.gainsly.SorenessLog
import app.gainsly.TopSetLog
import app.gainsly.TrainingMath
import app.gainsly.UserBiometricsHistory
import app.gainsly.WorkoutLog
import java.time.LocalDate
import kotlin.math.abs
import kotlin.math.pow
import kotlin.test.assertEquals
import kotlin.test.assertTrue

private fun assertClose(expected: Double, actual: Double, what: String, tolerance: Double = 1e-6) =
    assertTrue(abs(expected - actual) <= tolerance, "$what: expected $expected, got $actual")

/** e1RM and the RPE chart (TrainingMath), and the training log (Database.log*, dayState). */
object TrainingTests {
    private val day = LocalDate.of(2025, 3, 3)

    val all = listOf(
        Test("e1rmAndRpeChart") {
            assertClose(100.0 * (1 + 5 / 30.0), TrainingMath.e1rm(100.0, 5), "epley 100x5")
            assertClose(100.0 * (1 + 7 / 30.0), TrainingMath.e1rm(100.0, 5, 8.0), "epley 100x5 @8")
            assertClose(100.0 * 36 / (37 - 5), TrainingMath.e1rm(100.0, 5, formula = OneRepMaxFormula.BRZYCKI), "brzycki")
            assertClose(100.0 * 5.0.pow(0.10), TrainingMath.e1rm(100.0, 5, formula = OneRepMaxFormula.LOMBARDI), "lombardi")
            assertEquals(140.0, TrainingMath.e1rm(140.0, 1))  // a single without RPE is the load
            for (f in OneRepMaxFormula.values()) assertTrue(TrainingMath.e1rm(100.0, 8, formula = f) > 100.0, f.name)
            for (name in E1rmFormula.ALL) assertEquals(name, OneRepMaxFormula.ofSetting(name)!!.name.toLowerCase())

            val percent = TrainingMath.rpePercent(5, 10.0)
            assertTrue(percent > 80 && percent < 90, "rpePercent(5, 10) = $percent")
            assertClose(100.0 / (percent / 100), TrainingMath.rpeE1rm(100.0, 5, 10.0), "rpeE1rm", 1e-3)
            val load = TrainingMath.rpeLoad(150.0, 5, 8.0, 2.5)
            assertClose(0.0, load % 2.5, "rpeLoad is a multiple of 2.5")

            expectError(INVALID, "reps") { TrainingMath.e1rm(100.0, 40) }
            expectError(INVALID, "load") { TrainingMath.e1rm(Double.NaN, 5) }
            expectError(INVALID, "rpe") { TrainingMath.e1rm(100.0, 5, 11.0) }
            expectError(INVALID, "increment") { TrainingMath.rpeLoad(150.0, 5, 8.0, 0.0) }
        },

        Test("logWorkoutSetsAndReadiness") { c ->
            val user = c.newUser().id!!
            val movement = c.movementId()
            val report = c.db.logWorkout(WorkoutLog(userId = user, workoutDate = day, notes = "Leg day 🦵 𝕏"),
                                         listOf(SetEntry(movement, 5, 100.0, 8.0), SetEntry(movement, 3, 110.0)))
            val workoutId = report.workoutLogId
            assertEquals(report.json.getLong("workout_log_id"), workoutId)
            assertEquals(day, report.workoutDate)
            val sets = report.sets
            assertEquals(2, sets.size)
            assertEquals(listOf(5, 3), sets.map { it.reps })
            assertEquals(listOf(8.0, null), sets.map { it.rpe })
            assertEquals(report.json.getJSONArray("patterns").length(), report.patterns.size)
            assertEquals(day, report.state.date)
            val formula = OneRepMaxFormula.ofSetting(report.e1rmFormula)!!
            assertClose(TrainingMath.e1rm(100.0, 5, 8.0, formula), sets[0].e1rm!!, "e1rm of set 1", 0.01)
            assertEquals("Leg day 🦵 𝕏", c.db.get(WorkoutLog, workoutId).notes)

            // The hot path, typed: the next set number of that movement, its e1RM, Unicode notes.
            val logged = c.db.logSet(user, workoutId, movement, reps = 2, loadKg = 120.0, rpe = 9.0, notes = "PR 🏆 𠜎")
            assertTrue(logged.id > 0)
            assertClose(TrainingMath.e1rm(120.0, 2, 9.0, formula), logged.e1rm, "logSet e1rm", 0.01)
            val row = c.db.get(TopSetLog, logged.id)
            assertEquals(3L, row.setNumber)
            assertEquals("PR 🏆 𠜎", row.notes)
            assertEquals(workoutId, row.workoutLogId)
            val bodyWeight = c.db.logSet(user, workoutId, movement, reps = 10, loadKg = 0.0, velocity = 0.6)
            assertEquals(0.6, c.db.get(TopSetLog, bodyWeight.id).velocity)

            assertTrue(c.db.logSoreness(SorenessLog(userId = user, logDate = day, severity = 6, bodyPart = "quads")) > 0)
            val signals = c.db.logRecovery(RecoverySignal(userId = user, signalDate = day, sleepQualityScore = 80.0,
                                                          hrvScore = 65.0, restingHeartRate = 52.0, notes = "slept 😴"))
            assertEquals(signals, c.db.logRecovery(RecoverySignal(userId = user, signalDate = day, hrvScore = 70.0)))  // one row a day
            assertEquals(80.0, c.db.get(RecoverySignal, signals).sleepQualityScore)
            assertTrue(c.db.logBiometrics(UserBiometricsHistory(userId = user, measurementDate = day, weightKg = 82.5)) > 0)

            val state = c.db.dayState(user, day)
            assertEquals(user, state.userId)
            assertEquals(day, state.date)
            assertTrue(state.readiness in 0.0..100.0, "readiness ${state.readiness}")
            assertTrue(state.systemicFatigue > 0.0, state.toString())
            assertTrue(state.muscleFatigue.isNotEmpty(), state.toString())
            assertEquals(canonical(state.json), canonicalText(c.db.dayStateJson(user, day)))
        },

        Test("trainingLogErrors") { c ->
            val user = c.newUser().id!!
            val movement = c.movementId()
            expectError(INVALID, "sets[1].reps") {
                c.db.logWorkout(WorkoutLog(userId = user, workoutDate = day), listOf(SetEntry(movement, 5, 100.0), SetEntry(movement, 40, 100.0)))
            }
            assertEquals(emptyList(), c.db.select(WorkoutLog))  // nothing written on error
            expectError(INVALID, "user_id") { c.db.logWorkout(WorkoutLog(workoutDate = day), emptyList()) }
            expectError(NOT_FOUND) { c.db.logSet(user, 424_242, movement, 5, 100.0) }
            val workout = c.db.logWorkout(WorkoutLog(userId = user, workoutDate = day), emptyList()).workoutLogId
            expectError(INVALID, "load_kg") { c.db.logSet(user, workout, movement, 5, -1.0) }
            expectError(INVALID, "rpe") { c.db.logSet(user, workout, movement, 5, 100.0, rpe = 12.0) }
            expectError(INVALID, "severity") { c.db.logSoreness(SorenessLog(userId = user, logDate = day, severity = 11)) }
            expectError(INVALID, "computed") { c.db.logRecovery(RecoverySignal(userId = user, signalDate = day, readinessScore = 50.0)) }
            expectError(INVALID, "weight_kg") {
                c.db.logBiometrics(UserBiometricsHistory(userId = user, measurementDate = day, weightKg = -3.0))
            }
            expectError(INVALID, "JSON") { c.db.logWorkoutJson("{nope") }
        },

        Test("personalRecords") { c ->
            val user = c.newUser().id!!
            val movement = c.movementId()
            val first = c.db.logWorkout(WorkoutLog(userId = user, workoutDate = day),
                                        listOf(SetEntry(movement, 5, 140.0, setType = SetType.WARMUP), SetEntry(movement, 5, 100.0)))
            assertEquals(listOf(PrType.E1RM, PrType.SESSION_VOLUME), first.records.map { it.recordType }.sorted())
            assertEquals(SetType.WARMUP, first.sets[0].setType)
            assertEquals(emptyList(), first.sets[0].records)  // a warm-up never sets a record
            val volume = first.records.first { it.recordType == PrType.SESSION_VOLUME }
            assertClose(500.0, volume.value, "volume without the warm-up")
            assertEquals(null, volume.previousValue)
            val workout = c.db.logWorkout(WorkoutLog(userId = user, workoutDate = day.plusDays(2)), emptyList()).workoutLogId
            assertEquals(emptyList(), c.db.logSet(user, workout, movement, 5, 100.0).records)  // equal: no record
            val heavier = c.db.logSet(user, workout, movement, 5, 105.0)
            assertEquals(listOf(PrType.E1RM, PrType.LOAD_AT_REPS, PrType.SESSION_VOLUME), heavier.records.map { it.recordType }.sorted())
            assertClose(100.0, heavier.records.first { it.recordType == PrType.LOAD_AT_REPS }.previousValue!!, "load_at_reps beat 100 kg")
            val list = c.db.personalRecords(user, movement)
            assertEquals(5, list.size)
            assertEquals(day.plusDays(2), list[0].achievedDate)  // newest first
            assertEquals(listOf(true, true, true, false, false), list.map { it.current })
            assertTrue(list[0].movement!!.isNotEmpty())
            expectError(INVALID, "set_type") { c.db.logSet(user, workout, movement, 5, 200.0, setType = "easy") }
            assertEquals(5, c.db.personalRecords(user).size)
            assertTrue(c.db.recomputePersonalRecordsJson(user).contains("\"updated\":0"))
            expectError(NOT_FOUND) { c.db.personalRecords(424_242) }
        }
    )
}
