package app.gainsly.test

import app.gainsly.ALL_TABLES
import app.gainsly.Database
import app.gainsly.ExperienceLevel
import app.gainsly.GainslyException
import app.gainsly.Goal
import app.gainsly.Microcycle
import app.gainsly.Movement
import app.gainsly.MovementPattern
import app.gainsly.PersonaTone
import app.gainsly.Program
import app.gainsly.ProgramVisibility
import app.gainsly.Session
import app.gainsly.SessionType
import app.gainsly.Sex
import app.gainsly.SplitTemplate
import app.gainsly.TopSetLog
import app.gainsly.User
import app.gainsly.UserProfile
import app.gainsly.UserSettings
import app.gainsly.WorkoutLog
import org.json.JSONObject
import java.time.Instant
import java.time.LocalDate
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

fun Ctx.newUser(email: String = "ana@example.com", name: String? = "Ana"): User =
    db.insertAndGet(User(email = email, name = name))

/** A movement of the reference catalog (or one made for the test if the catalog is empty). */
fun Ctx.movementId(): Long =
    db.select(Movement).firstOrNull()?.id ?: db.insert(Movement(name = "Test Squat", pattern = MovementPattern.SQUAT))

object RecordTests {
    val all = listOf(
        Test("libraryFacts") {
            assertTrue(Database.version.split(".").size == 3, Database.version)
            assertTrue(Database.schemaVersion >= 1)
            assertEquals("GS_ERR_INVALID", Database.statusName(-1))
            assertEquals("GS_UNKNOWN", Database.statusName(-999))
            assertEquals(GainslyException.Code.CONSTRAINT, GainslyException.Code.of(-3))
            assertEquals(GainslyException.Code.UNKNOWN, GainslyException.Code.of(-999))
            for (code in -12..-1) assertEquals("GS_ERR_" + GainslyException.Code.of(code).name, Database.statusName(code))
        },

        Test("unicodeRoundTripsExactly") { c ->
            for ((i, text) in UNICODE_SAMPLES.withIndex()) {
                val id = c.db.insert(User(email = "u$i+${text.take(2)}@example.com", name = text))
                val back = c.db.get(User, id)
                assertEquals(text, back.name, "sample $i")
                assertTrue(text.toByteArray(Charsets.UTF_8).contentEquals(back.name!!.toByteArray(Charsets.UTF_8)))
                assertEquals(text, JSONObject(c.db.getJson("users", id)).getString("name"))
                assertEquals(listOf(id), c.db.select(User, mapOf("name" to text)).map { it.id })
            }
        },

        Test("unicodeInJsonColumns") { c ->
            val user = c.newUser()
            val prefs = """{"🏋️ lifting":1,"𝕏":["𠜎",2.5,true,null],"nested":{"ok":"é"}}"""
            val profile = UserProfile(userId = user.id, dateOfBirth = LocalDate.of(1990, 2, 3), sex = Sex.FEMALE,
                heightCm = 170, disciplinePreferences = prefs, longTermGoalDescription = "Deadlift 2× 🐻")
            assertEquals(user.id, c.db.insert(profile))  // keyed by user_id
            val back = c.db.get(UserProfile, user.id!!)
            assertEquals(canonicalText(prefs), canonicalText(back.disciplinePreferences!!))
            assertEquals(LocalDate.of(1990, 2, 3), back.dateOfBirth)
            assertEquals(Sex.FEMALE, back.sex)
            assertEquals("Deadlift 2× 🐻", back.longTermGoalDescription)
            assertNotNull(back.uid)
            assertNotNull(back.createdAt)
        },

        Test("largeTextRoundTrips") { c ->
            val user = c.newUser()
            // 14 bytes of UTF-8 a repeat: 980,000 bytes, just under the library's 1 MiB limit on a text value
            val notes = buildString { repeat(70_000) { append("🏋️𝕏é ") } }
            val log = c.db.insertAndGet(WorkoutLog(userId = user.id, workoutDate = LocalDate.of(2025, 1, 2), notes = notes))
            assertEquals(notes, log.notes)
            val tooLong = notes + notes.substring(0, 7 * 5_000)  // 5,000 repeats more (7 UTF-16 units each): 1,050,000 bytes
            expectError(-1, "workout_logs.notes", "1048576") {
                c.db.insert(WorkoutLog(userId = user.id, workoutDate = LocalDate.of(2025, 1, 3), notes = tooLong))
            }
        },

        Test("insertTakesDefaults") { c ->
            val user = c.newUser()
            val settings = c.db.insertAndGet(UserSettings(userId = user.id!!))
            assertEquals("epley", settings.activeE1rmFormula)
            assertEquals(true, settings.useMetric)
            assertEquals(36, settings.uid!!.length)
            val session = c.db.insertAndGet(Session(userId = user.id, date = LocalDate.of(2025, 3, 1), sessionType = SessionType.UPPER))
            assertEquals("[]", session.intentTags)
            assertEquals(LocalDate.of(2025, 3, 1), session.date)
        },

        Test("numbersBoolsAndTimestamps") { c ->
            val user = c.newUser()
            val created = Instant.ofEpochMilli(1_700_000_000_123L)
            val log = c.db.insertAndGet(WorkoutLog(userId = user.id, workoutDate = LocalDate.of(2024, 2, 29),
                durationSeconds = 3600, perceivedEffort = 8, notes = "PR day 🎉", createdAt = created))
            assertEquals(created, log.createdAt)
            assertTrue(c.db.getJson("workout_logs", log.id!!).contains("\"2023-11-14T22:13:20.123Z\""))
            val top = c.db.insertAndGet(TopSetLog(userId = user.id, movementId = c.movementId(), setNumber = 1, reps = 5,
                loadKg = 102.5, rpe = 8.5, velocity = 0.61, workoutLogId = log.id))
            assertEquals(102.5, top.loadKg)
            assertEquals(8.5, top.rpe)
            assertEquals(0.61, top.velocity)
            val program = c.db.insertAndGet(Program(userId = user.id, name = "Block 1", startDate = LocalDate.of(2025, 1, 6),
                durationWeeks = 8, goal1 = Goal.STRENGTH, goal2 = Goal.HYPERTROPHY, goalWeight1 = 7, goalWeight2 = 3,
                split = SplitTemplate.UPPER_LOWER))
            assertEquals(ProgramVisibility.PRIVATE, program.visibility)
            val micro = c.db.insertAndGet(Microcycle(programId = program.id, weekNumber = 1, deloadWeek = true))
            assertEquals(true, micro.deloadWeek)
            assertEquals("planned", micro.status)
            val big = c.db.insert("users", mapOf("name" to "big", "persona_aggression" to 5))
            assertEquals(5L, c.db.get(User, big).personaAggression)
        },

        Test("updateRecordWritesNullsAndKeepsNotNullColumns") { c ->
            val user = c.newUser(name = "Before")
            c.db.update(user.copy(name = null, personaTone = PersonaTone.ANALYTICAL, createdAt = null))
            val back = c.db.get(User, user.id!!)
            assertNull(back.name)
            assertEquals(PersonaTone.ANALYTICAL, back.personaTone)
            assertEquals(user.createdAt, back.createdAt)  // null in a NOT NULL column keeps the value

            c.db.update("users", user.id!!, mapOf("name" to "Patched ✓", "persona_tone" to null))
            val patched = c.db.get(User, user.id!!)
            assertEquals("Patched ✓", patched.name)
            assertNull(patched.personaTone)
            c.db.update("users", user.id!!, JSONObject().put("name", "JSON 🙂"))
            assertEquals("JSON 🙂", c.db.get(User, user.id!!).name)
        },

        Test("deleteCascades") { c ->
            val user = c.newUser()
            val settingsId = c.db.insert(UserSettings(userId = user.id!!))
            c.db.delete(user)
            assertNull(c.db.find(User, user.id!!))
            assertNull(c.db.find(UserSettings, settingsId))
        },

        Test("selectFilters") { c ->
            val a = c.newUser("a@example.com", null)
            val b = c.newUser("b@example.com", "B")
            c.db.update(b.copy(experienceLevel = ExperienceLevel.ADVANCED))
            assertEquals(listOf(a.id, b.id), c.db.select(User).map { it.id })
            assertEquals(listOf(a.id), c.db.select(User, mapOf("name" to null)).map { it.id })
            assertEquals(listOf(b.id), c.db.select(User, mapOf("experience_level" to ExperienceLevel.ADVANCED)).map { it.id })
            assertEquals(emptyList(), c.db.select(User, mapOf("email" to "nobody")))
            assertEquals(listOf(a.id), c.db.select(User, mapOf("email" to "a@example.com", "name" to null)).map { it.id })
        },

        Test("genericRowsAndRawJson") { c ->
            val id = c.db.insert("users", mapOf("email" to "g@example.com", "name" to "Generic 𝕏", "experience_level" to "beginner"))
            val row = c.db.get("users", id)
            assertEquals("Generic 𝕏", row.getString("name"))
            assertEquals(listOf(id), c.db.select("users", mapOf("experience_level" to "beginner")).map { it.getLong("id") })
            val rawId = c.db.insertJson("users", """{"email":"raw@example.com","name":"Raw 🧪"}""")
            val text = c.db.selectJson("users", """{"name":"Raw 🧪"}""")
            assertTrue(text.startsWith("[{") && text.contains("Raw 🧪"), text)
            c.db.updateJson("users", rawId, """{"name":null}""")
            assertNull(c.db.get(User, rawId).name)
            assertTrue(c.db.selectJson("users", null).contains("g@example.com"))
            c.db.delete("users", rawId)
            assertEquals("[]", c.db.selectJson("users", """{"email":"raw@example.com"}"""))
            assertEquals(User.fromJson(c.db.getJson("users", id)), c.db.get(User, id))
        },

        Test("everyTableMapsItsColumnsAndDecodesItsRows") { c ->
            assertTrue(ALL_TABLES.size >= 30)
            for (table in ALL_TABLES) {
                for (column in table.columns) c.db.selectJson(table.name, JSONObject().put(column, JSONObject.NULL).toString())
                assertTrue(table.keyColumn in table.columns && "uid" in table.columns, table.name)
                for (row in c.db.select(table)) assertNotNull(row.primaryKey, table.name)
            }
            assertTrue(c.db.select(Movement).isNotEmpty())
        },

        Test("transactions") { c ->
            val id = c.db.transaction { db ->
                val id = db.insert(User(email = "t1@example.com"))
                db.insert(UserSettings(userId = id))
                id
            }
            assertNotNull(c.db.find(User, id))

            val boom = IllegalStateException("abort")
            val thrown = kotlin.test.assertFailsWith<IllegalStateException> {
                c.db.transaction { db ->
                    db.insert(User(email = "t2@example.com"))
                    throw boom
                }
            }
            assertTrue(thrown === boom)
            assertEquals(emptyList(), c.db.select(User, mapOf("email" to "t2@example.com")))

            expectError(-3, "users.email") {
                c.db.transaction { db ->
                    db.insert(User(email = "t3@example.com"))
                    db.insert(User(email = "t1@example.com"))
                }
            }
            assertEquals(emptyList(), c.db.select(User, mapOf("email" to "t3@example.com")))

            expectError(-1, "already open") { c.db.transaction { db -> db.begin() } }
            expectError(-1, "no transaction") { c.db.commit() }
            expectError(-1, "no transaction") { c.db.rollback() }
            c.db.begin()
            c.db.insert(User(email = "t4@example.com"))
            c.db.rollback()
            assertEquals(emptyList(), c.db.select(User, mapOf("email" to "t4@example.com")))
        },

        // Another thread's call on the same Database waits for the whole transaction: it cannot land
        // between begin, body and commit, so the rollback discards only the transaction's own row.
        // (Before the fix the other thread's insert ran inside the transaction and was rolled back too.)
        Test("transactionHoldsTheHandleAgainstOtherThreads") { c ->
            var otherId = 0L
            var otherError: Throwable? = null
            val other = Thread {
                try {
                    otherId = c.db.insert(User(email = "other@example.com", name = "Other 🧵"))
                } catch (e: Throwable) {
                    otherError = e
                }
            }
            assertFailsWith<IllegalStateException> {
                c.db.transaction { db ->
                    db.insert(User(email = "inside@example.com"))
                    other.start()
                    // Wait until the other thread is blocked on the handle (or, without the lock, done).
                    while (other.isAlive && other.state != Thread.State.BLOCKED) Thread.yield()
                    assertTrue(other.isAlive, "the other thread's insert ran inside the transaction")
                    db.insert(User(email = "inside-2@example.com"))  // reentrant on this thread
                    throw IllegalStateException("roll back")
                }
            }
            other.join()
            otherError?.let { throw it }
            assertEquals(emptyList(), c.db.select(User, mapOf("email" to "inside@example.com")))
            assertEquals(emptyList(), c.db.select(User, mapOf("email" to "inside-2@example.com")))
            assertEquals("Other 🧵", c.db.get(User, otherId).name)

            // Two threads each running committed transactions: every row of both lands, none interleaved.
            val workers = (0 until 2).map { t ->
                Thread {
                    for (i in 0 until 20) c.db.transaction { db ->
                        val id = db.insert(User(email = "w$t-$i@example.com"))
                        db.insert(UserSettings(userId = id))
                    }
                }
            }
            workers.forEach { it.start() }
            workers.forEach { it.join() }
            assertEquals(40, c.db.select(UserSettings).size)
        }
    )
}
