package app.gainsly.test

import app.gainsly.Database
import app.gainsly.GainslyException.Companion.INVALID
import app.gainsly.GainslyException.Companion.NOT_FOUND
import app.gainsly.ImportFormat
import app.gainsly.Session
import app.gainsly.SessionExercise
import app.gainsly.SessionSection
import app.gainsly.SessionType
import app.gainsly.User
import app.gainsly.UserSettings
import java.time.LocalDate
import kotlin.test.assertEquals
import kotlin.test.assertTrue

object DocumentTests {
    val all = listOf(
        Test("sessionWithItsExercisesInOrder") { c ->
            val user = c.newUser()
            val movement = c.movementId()
            val session = c.db.insertAndGet(Session(userId = user.id, date = LocalDate.of(2025, 5, 5),
                sessionType = SessionType.LOWER, coachNotes = "Squat day 🦵"))
            for ((order, sets) in listOf(2L to 4L, 1L to 5L))
                c.db.insert(SessionExercise(sessionId = session.id, movementId = movement, sessionSection = SessionSection.MAIN,
                    orderInSession = order, targetSets = sets))
            val full = c.db.getSession(session.id!!)
            assertEquals(session, full.session)
            assertEquals(listOf(1L, 2L), full.exercises.map { it.orderInSession })
            assertEquals(listOf(5L, 4L), full.exercises.map { it.targetSets })
            assertTrue(c.db.getSessionJson(session.id!!).contains("\"exercises\""))
            expectError(NOT_FOUND, "424242") { c.db.getSession(424_242) }
        },

        Test("userExportImportsIntoAnotherDatabase") { c ->
            val user = c.newUser("export@example.com", "Export 🧳 𝕏")
            c.db.insert(UserSettings(userId = user.id!!, useMetric = false))
            val document = c.db.exportUserJson(user.id!!)
            assertTrue(document.contains("Export 🧳 𝕏"))
            expectError(NOT_FOUND) { c.db.exportUserJson(424_242) }
            Database.open(c.file("other.db")).use { other ->
                other.importJson(document, ImportFormat.USER_EXPORT)
                val copied = other.select(User, mapOf("uid" to user.uid))
                assertEquals(listOf("Export 🧳 𝕏"), copied.map { it.name })
                assertEquals(listOf(false), other.select(UserSettings, mapOf("user_id" to copied[0].id)).map { it.useMetric })
            }
        },

        Test("importReportsBadRecordsAndRefusesBadDocuments") { c ->
            val records = """[{"id":"Binding_Test_Press","name":"Binding Test Press 🏋️","level":"beginner","category":"strength",""" +
                """"primaryMuscles":["chest"],"equipment":"barbell","mechanic":"compound","force":"push"}, 5]"""
            val report = c.db.importJson(records, ImportFormat.FREE_EXERCISE_DB)
            val errors = report.getJSONArray("errors")
            assertEquals(1, errors.length(), report.toString())
            assertEquals(1, errors.getJSONObject(0).getInt("index"))
            expectError(INVALID, "JSON") { c.db.importJson("{nope", ImportFormat.CATALOG) }
            expectError(INVALID) { c.db.importJson("{}", ImportFormat.FREE_EXERCISE_DB) }
        }
    )
}
