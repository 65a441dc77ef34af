package app.gainsly.test

import app.gainsly.Database
import app.gainsly.ExperienceLevel
import app.gainsly.GainslyException.Companion.INFEASIBLE
import app.gainsly.GainslyException.Companion.INVALID
import app.gainsly.GainslyException.Companion.NOT_FOUND
import app.gainsly.Goal
import app.gainsly.GoalWeight
import app.gainsly.Microcycle
import app.gainsly.Program
import app.gainsly.ProgramRequest
import app.gainsly.Session
import app.gainsly.SessionExercise
import app.gainsly.User
import java.time.LocalDate
import kotlin.test.assertEquals
import kotlin.test.assertNotNull
import kotlin.test.assertTrue

object PlanTests {
    private fun request(user: Long, minutes: Int? = null) = ProgramRequest(
        userId = user, startDate = LocalDate.of(2025, 1, 6), durationWeeks = 2,
        goals = listOf(GoalWeight(Goal.STRENGTH, 6), GoalWeight(Goal.HYPERTROPHY, 4)), daysPerWeek = 3,
        name = "Block 🧱", sessionMinutes = minutes, seed = 7, timeLimitMs = 1000)

    private fun Database.planner(): Long =
        insert(User(name = "Planner", experienceLevel = ExperienceLevel.INTERMEDIATE, personaAggression = 3))

    val all = listOf(
        Test("generateDescribeSubstituteAndReplan") { c ->
            val report = c.db.generateProgram(request(c.db.planner()))
            val programId = report.programId!!
            assertEquals(report.json.getLong("program_id"), programId)
            assertTrue(report.hardConstraints.isNotEmpty())
            for (check in report.hardConstraints) assertTrue(check.ok && check.violations.isEmpty(), check.toString())
            assertEquals(7L, report.seed)
            assertTrue(report.solveMs >= 0.0 && report.totalMs >= report.solveMs, report.toString())
            assertEquals(2, report.sessionIdsByWeek.size)
            val coach = report.coach!!
            assertEquals((1L..8L).toList(), coach.summary.map { it.rule })
            assertTrue(coach.summary.all { it.okWeeks <= it.weeks && it.name.isNotEmpty() }, coach.toString())
            assertEquals(report.json.getJSONObject("coach").getJSONArray("rules").length(), coach.rules.size)
            assertTrue(coach.rules.all { it.rule in 1L..8L && it.week >= 1L }, coach.toString())

            assertEquals("Block 🧱", c.db.get(Program, programId).name)
            assertEquals(2, c.db.select(Microcycle, mapOf("program_id" to programId)).size)
            val sessions = c.db.select(Session, mapOf("program_id" to programId))
            assertEquals(6, sessions.size)
            val first = c.db.getSession(sessions[0].id!!)
            assertTrue(first.exercises.isNotEmpty())

            val text = c.db.describeProgram(programId)
            assertTrue(text.contains("2025-01-06") && text.contains("Block 🧱"), text)

            val exercise = first.exercises[0]
            val list = c.db.listSubstitutes(exercise.id!!, 3)
            assertEquals(exercise.id, list.sessionExerciseId)
            assertEquals(exercise.movementId, list.movementId)
            val substitutes = list.substitutes
            assertTrue(substitutes.size <= 3)
            assertEquals(list.json.getJSONArray("substitutes").length(), substitutes.size)
            if (substitutes.isNotEmpty()) {
                val replacement = substitutes[0].movementId
                assertTrue(substitutes[0].reasons.isNotEmpty(), list.toString())
                val swap = c.db.substituteExercise(exercise.id!!, replacement)
                assertEquals(replacement, swap.movementId)
                assertEquals(substitutes[0].name, swap.name)
                assertEquals(replacement, c.db.get(SessionExercise, exercise.id!!).movementId)
            }

            val replan = c.db.replanProgram(programId, LocalDate.of(2025, 1, 7), timeLimitMs = 1000)
            assertNotNull(replan.json.optJSONArray("replanned_session_ids"), replan.toString())
            assertEquals(replan.json.getJSONArray("replanned_session_ids").length(), replan.replannedSessionIds.size)
            assertTrue(replan.hardConstraints.all { it.ok }, replan.toString())

            Database.open(c.file("again.db")).use { other ->
                val again = other.generateProgram(request(other.planner()))
                // A time budget: the same plan, its objective summed along another search path when
                // the machine is loaded, so equal up to rounding; the node budget below is exact.
                assertTrue(Math.abs(report.objective - again.objective) < 1e-6, "${report.objective} vs ${again.objective}")
                assertEquals(again.json.getJSONObject("objective").getDouble("value"), again.objective)
                // A node budget instead of a time budget: the same plan on any device, whatever its speed.
                val sized = request(other.planner()).copy(searchNodes = 1500L, timeLimitMs = 600_000)
                val one = other.generateProgram(sized)
                val two = other.generateProgram(sized)
                assertEquals(one.objective, two.objective)
                assertEquals(one.json.getLong("nodes"), two.json.getLong("nodes"))
            }
        },

        Test("planningErrors") { c ->
            val user = c.newUser().id!!
            expectError(INVALID, "duration_weeks") { c.db.generateProgram(request(user).copy(durationWeeks = 99)) }
            expectError(INVALID, "equipment", "nonexistent") { c.db.generateProgram(request(user).copy(equipment = listOf("nonexistent"))) }
            expectError(NOT_FOUND) { c.db.generateProgram(request(424_242)) }
            expectError(INVALID, "search_nodes") { c.db.generateProgram(request(user).copy(searchNodes = 0L)) }
            expectError(INFEASIBLE, "session_minutes") { c.db.generateProgram(request(user, minutes = 5)) }
            assertEquals(emptyList(), c.db.select(Program))  // nothing written on error
            expectError(INVALID, "JSON") { c.db.generateProgramJson("{nope") }
            expectError(NOT_FOUND) { c.db.describeProgram(424_242) }
            expectError(NOT_FOUND) { c.db.listSubstitutes(424_242) }
            expectError(NOT_FOUND) { c.db.replanProgram(424_242) }
        }
    )
}
