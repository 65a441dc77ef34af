package app.gainsly.test

import app.gainsly.Database
import app.gainsly.GainslyException.Companion.CONSTRAINT
import app.gainsly.GainslyException.Companion.CORRUPT
import app.gainsly.GainslyException.Companion.INVALID
import app.gainsly.GainslyException.Companion.IO
import app.gainsly.GainslyException.Companion.NOT_FOUND
import app.gainsly.GainslyException.Companion.READONLY
import app.gainsly.Goal
import app.gainsly.Program
import app.gainsly.SessionExercise
import app.gainsly.SessionSection
import app.gainsly.GainslyException
import app.gainsly.User
import app.gainsly.UserInjury
import app.gainsly.UserSettings
import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNull
import kotlin.test.assertTrue

object ErrorTests {
    val all = listOf(
        Test("unknownTable") { c ->
            expectError(INVALID, "userz") { c.db.insert("userz", mapOf("name" to "x")) }
            expectError(INVALID, "userz") { c.db.selectJson("userz") }
            expectError(INVALID, "userz") { c.db.getJson("userz", 1) }
            expectError(INVALID, "userz") { c.db.delete("userz", 1) }
        },

        Test("unknownColumn") { c ->
            val e = expectError(INVALID, "users.emailx", "unknown column") { c.db.insert("users", mapOf("emailx" to "a@b.c")) }
            assertEquals(GainslyException.Code.INVALID, e.code)
            assertEquals(INVALID, e.status)
            expectError(INVALID, "users.bad") { c.db.select(User, mapOf("bad" to 1)) }
        },

        Test("badEnumValues") { c ->
            expectError(INVALID, "users.experience_level", "god") { c.db.insert(User(email = "e@example.com", experienceLevel = "god")) }
            expectError(INVALID, "users.persona_aggression") { c.db.insert(User(personaAggression = 7)) }
        },

        Test("wrongTypesAndFormats") { c ->
            val user = c.newUser()
            val id = user.id!!
            expectError(INVALID, "programs.duration_weeks", "integer") {
                c.db.insert("programs", mapOf("user_id" to id, "duration_weeks" to "x"))
            }
            expectError(INVALID, "user_profiles.date_of_birth") {
                c.db.insertJson("user_profiles", """{"user_id":$id,"date_of_birth":"1990-02-30"}""")
            }
            expectError(INVALID, "users.created_at", "timestamp") { c.db.update("users", id, mapOf("created_at" to "yesterday")) }
            expectError(INVALID, "users.created_at", "null") { c.db.update("users", id, mapOf("created_at" to null)) }
            expectError(INVALID, "users.id", "cannot be changed") { c.db.update("users", id, mapOf("id" to 99)) }
            expectError(INVALID, "users.name", "longer than") { c.db.update("users", id, mapOf("name" to "🏋️".repeat(51))) }
            expectError(INVALID, "JSON") { c.db.insertJson("users", "{nope") }
            expectError(INVALID, "expected a JSON object") { c.db.insertJson("users", "[1]") }
            expectError(INVALID, "name") { c.db.update("users", id, mapOf("name" to Double.NaN)) }
            expectError(INVALID, "name", "unsupported value type") { c.db.update("users", id, mapOf("name" to Any())) }
            expectError(INVALID, "table", "NUL") { c.db.insert("users\u0000x", mapOf("name" to "x")) }
            expectError(INVALID, "json", "NUL") { c.db.insertJson("users", "{}\u0000garbage") }
            expectError(INVALID, "request_json", "invalid JSON") { c.db.insert(Program(userId = id, requestJson = "{oops")) }
        },

        Test("constraints") { c ->
            val user = c.newUser("dup@example.com")
            expectError(CONSTRAINT, "users.email") { c.db.insert(User(email = "dup@example.com")) }
            expectError(CONSTRAINT, "user_settings.user_id", "9999") { c.db.insert(UserSettings(userId = 9999)) }
            expectError(CONSTRAINT, "programs", "duration_weeks") { c.db.insert(Program(userId = user.id, durationWeeks = 60)) }
            expectError(CONSTRAINT, "programs", "goal_weight") { c.db.insert(Program(userId = user.id, goal1 = Goal.STRENGTH, goalWeight1 = 4)) }
            expectError(CONSTRAINT, "session_exercises.movement_id") {
                c.db.insert(SessionExercise(movementId = 987_654, sessionSection = SessionSection.MAIN, orderInSession = 1, targetSets = 3))
            }
            expectError(CONSTRAINT, "user_injuries.body_part") { c.db.insert(UserInjury(userId = user.id, bodyPart = "no such muscle")) }
            val e = kotlin.test.assertFailsWith<app.gainsly.GainslyException> {
                c.db.insertJson("session_exercises", """{"session_section":"main"}""")
            }
            assertTrue(e.status == INVALID || e.status == CONSTRAINT, e.toString())
            assertTrue(e.message!!.contains("session_exercises"), e.toString())
        },

        Test("notFound") { c ->
            expectError(NOT_FOUND, "users", "424242") { c.db.get(User, 424_242) }
            expectError(NOT_FOUND, "users", "424242") { c.db.getJson("users", 424_242) }
            expectError(NOT_FOUND, "users", "424242") { c.db.update("users", 424_242, mapOf("name" to "x")) }
            expectError(NOT_FOUND, "users", "424242") { c.db.delete(User, 424_242) }
            assertNull(c.db.find(User, 424_242))
            expectError(INVALID, "users.id", "no key") { c.db.update(User(name = "never inserted")) }
            expectError(INVALID, "users.id", "no key") { c.db.delete(User(name = "never inserted")) }
        },

        Test("closeTwiceAndUseAfterClose") { c ->
            assertTrue(c.db.isOpen)
            c.db.close()
            c.db.close()
            assertFalse(c.db.isOpen)
            assertEquals(0L, Database.liveObjects)
            expectError(INVALID, "closed") { c.db.insert(User(name = "x")) }
            expectError(INVALID, "closed") { c.db.select(User) }
            expectError(INVALID, "closed") { c.db.getJson("users", 1) }
            expectError(INVALID, "closed") { c.db.begin() }
            expectError(INVALID, "closed") { c.db.transaction { } }
            Database.open(c.file("other.db")).use { db -> db.insert(User(name = "use {}")) }
            assertEquals(0L, Database.liveObjects)
        },

        Test("openErrors") { c ->
            val missing = c.file("no/such/dir/x.db")
            expectError(IO, missing) { Database.open(missing) }
            val notADatabase = File(c.file("notes.txt"))
            notADatabase.writeBytes(ByteArray(4096) { 0x41 })
            expectError(CORRUPT, notADatabase.path) { Database.open(notADatabase.path) }
            expectError(INVALID, "path", "NUL") { Database.open("a\u0000b") }
            val e = expectError(IO, "𝕏") { Database.open(c.file("no/𝕏/x.db")) }
            assertTrue(e.message!!.contains(c.file("no/𝕏/x.db")), "message keeps the 4-byte path: ${e.message}")
        },

        Test("openReadOnly") { c ->
            val id = c.db.insert(User(name = "Reader 📖"))
            Database.open(c.file("test.db"), readOnly = true, busyTimeoutMs = 250).use { reader ->
                assertEquals("Reader 📖", reader.get(User, id).name)
                expectError(READONLY) { reader.insert(User(name = "x")) }
                expectError(READONLY) { reader.delete(User, id) }
            }
            assertEquals("Reader 📖", c.db.get(User, id).name)  // the writer is untouched
            expectError(NOT_FOUND) { Database.open(c.file("missing.db"), readOnly = true) }
            assertFalse(File(c.file("missing.db")).exists())  // nothing created
            expectError(INVALID, "busy_timeout_ms") { Database.open(c.file("other.db"), readOnly = false, busyTimeoutMs = -1) }
            Database.open(c.file("other.db"), false, 0).use { it.insert(User(name = "w")) }  // read-write with options
        },

        Test("twoHandlesOnOneFile") { c ->
            requireWorkingMultiHandle(c)
            Database.open(c.file("test.db")).use { other ->
                val user = c.newUser("shared@example.com", "Shared 🤝")
                assertEquals("Shared 🤝", other.get(User, user.id!!).name)
                other.update("users", user.id!!, mapOf("name" to "Updated elsewhere"))
                assertEquals("Updated elsewhere", c.db.get(User, user.id!!).name)
            }
        }
    )
}
