package app.gainsly.test

import app.gainsly.GainslyException.Companion.INVALID
import app.gainsly.GainslyException.Companion.NOT_FOUND
import app.gainsly.Goal
import app.gainsly.Program
import app.gainsly.ProgramGoal
import app.gainsly.SetEntry
import app.gainsly.WorkoutLog
import java.time.LocalDate
import kotlin.math.abs
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/** Progress (Database.progress, goals, checkInGoals, weeklySummary) on a constructed history. */
object ProgressTests {
    private fun close(expected: Double, actual: Double?, what: String) =
        assertTrue(actual != null && abs(expected - actual) < 1e-9, "$what: expected $expected, got $actual")

    val all = listOf(
        Test("progressGoalsCheckinAndSummary") { c ->
            val user = c.newUser().id!!
            val squat = c.db.select("movements", mapOf("name" to "Barbell Back Squat")).first().getLong("id")
            val monday = LocalDate.of(2026, 1, 5)
            // Weekly singles at RPE 10 (e1RM = load), 100 rising 2.5 kg a week.
            for (week in 0 until 5)
                c.db.logWorkout(WorkoutLog(userId = user, workoutDate = monday.plusWeeks(week.toLong())),
                                listOf(SetEntry(squat, 1, 100.0 + 2.5 * week, 10.0)))
            val report = c.db.progress(user, monday, monday.plusDays(34))
            val trend = report.movements.first { it.movementId == squat }
            close(2.5, trend.slopePerWeek, "slope per week")
            close(110.0, trend.latest, "latest")
            close(10.0, trend.change4w, "change over 4 weeks")
            assertEquals(35, report.loadDays.size)
            close(1.0, report.volumeWeeks.first().second["quads"]?.sets, "quads sets in week 1")

            // A strength goal of 115 kg on the squat: 110 now, 2.5 kg/week -> 2 weeks out.
            val program = c.db.insert(Program(userId = user, startDate = monday, durationWeeks = 8, goal1 = Goal.STRENGTH, goalWeight1 = 10))
            c.db.insert(ProgramGoal(programId = program, goalType = Goal.STRENGTH, targetValue = 115.0, unit = "kg:Barbell Back Squat"))
            val day = LocalDate.of(2026, 2, 4)
            val goal = c.db.goals(user, day).single()
            assertEquals("on_track", goal.status)
            assertEquals(LocalDate.of(2026, 2, 18), goal.projectedDate)
            val first = c.db.checkInGoals(user, day)
            assertEquals(LocalDate.of(2026, 2, 2), first.weekStart)
            assertEquals(true, first.goals.single().created)
            val again = c.db.checkInGoals(user, day.plusDays(2))
            assertEquals(false, again.goals.single().created)
            assertEquals(first.goals.single().checkinId, again.goals.single().checkinId)
            assertEquals(1, c.db.select("goal_checkins").size)

            val summary = c.db.weeklySummary(user, day)
            assertEquals(LocalDate.of(2026, 2, 2), summary.weekStart)
            assertEquals(1, summary.sessionsUnplanned)
            assertEquals(1, summary.goals.size)
            assertTrue(summary.text.isNotEmpty())

            expectError(NOT_FOUND, "user_id") { c.db.progress(9999) }
            expectError(INVALID, "from") { c.db.progress(user, LocalDate.of(2026, 3, 1), LocalDate.of(2026, 2, 1)) }
            expectError(INVALID, "long_term_target") { c.db.checkInGoals(user, longTermTarget = 80.0) }
        }
    )
}
