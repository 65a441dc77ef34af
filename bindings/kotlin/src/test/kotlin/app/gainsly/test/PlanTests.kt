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
            val programId = report.getLong("program_id")
            val constraints = report.getJSONArray("hard_constraints")
            assertTrue(constraints.length() > 0)
            for (i in 0 until constraints.length()) assertTrue(constraints.getJSONObject(i).getBoolean("ok"), constraints.toString())

            assertEquals("Block 🧱", c.db.get(Program, programId).name)
            assertEquals(2, c.db.select(Microcycle, mapOf("program_id" to programId)).size)
            val sessions = c.db.select(Session, mapOf("program_id" to programId))
            assertEquals(6, sessions.size)
            val first = c.db.getSession(sessions[0].id!!)
            assertTrue(first.exercises.isNotEmpty())

            val text = c.db.describeProgram(programId)
            assertTrue(text.contains("2025-01-06") && text.contains("Block 🧱"), text)

            val exercise = first.exercises[0]
            val substitutes = c.db.listSubstitutes(exercise.id!!, 3).getJSONArray("substitutes")
            assertTrue(substitutes.length() <= 3)
            if (substitutes.length() > 0) {
                val replacement = substitutes.getJSONObject(0).getLong("movement_id")
                c.db.substituteExercise(exercise.id!!, replacement)
                assertEquals(replacement, c.db.get(SessionExercise, exercise.id!!).movementId)
            }

            val replan = c.db.replanProgram(programId, LocalDate.of(2025, 1, 7), timeLimitMs = 1000)
            assertNotNull(replan.optJSONArray("replanned_session_ids"), replan.toString())

            Database.open(c.file("again.db")).use { other ->
                val again = other.generateProgram(request(other.planner()))
                assertEquals(report.getJSONObject("objective").getDouble("value"), again.getJSONObject("objective").getDouble("value"))
            }
        },

        Test("planningErrors") { c ->
            val user = c.newUser().id!!
            expectError(INVALID, "duration_weeks") { c.db.generateProgram(request(user).copy(durationWeeks = 99)) }
            expectError(INVALID, "equipment", "nonexistent") { c.db.generateProgram(request(user).copy(equipment = listOf("nonexistent"))) }
            expectError(NOT_FOUND) { c.db.generateProgram(request(424_242)) }
            expectError(INFEASIBLE, "session_minutes") { c.db.generateProgram(request(user, minutes = 5)) }
            assertEquals(emptyList(), c.db.select(Program))  // nothing written on error
            expectError(INVALID, "JSON") { c.db.generateProgramJson("{nope") }
            expectError(NOT_FOUND) { c.db.describeProgram(424_242) }
            expectError(NOT_FOUND) { c.db.listSubstitutes(424_242) }
            expectError(NOT_FOUND) { c.db.replanProgram(424_242) }
        }
    )
}
