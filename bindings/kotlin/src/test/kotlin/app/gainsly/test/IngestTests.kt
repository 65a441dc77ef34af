package app.gainsly.test

import app.gainsly.ActivityEntry
import app.gainsly.Database
import app.gainsly.EnjoyableActivity
import app.gainsly.ExperienceLevel
import app.gainsly.GainslyException.Companion.INVALID
import app.gainsly.GainslyException.Companion.NOT_FOUND
import app.gainsly.IngestRunType
import app.gainsly.RecoverySignal
import app.gainsly.User
import java.io.File
import java.time.Instant
import java.time.LocalDate
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertTrue

/** A sample payload of tests/data/ingest (the directory is the system property gainsly.test.data, set by ctest). */
private fun sample(provider: String): String {
    val dir = System.getProperty("gainsly.test.data") ?: throw IllegalStateException("set -Dgainsly.test.data=<repository>/tests/data")
    return File(File(dir, "ingest"), "$provider.json").readText()
}

private fun Database.account(user: Long, provider: String, providerUser: String? = null): Long =
    insert("external_provider_accounts", mapOf("user_id" to user, "provider_type" to provider, "provider_user_id" to providerUser))

/** Ingestion, activities, provider tokens and the adaptation of a program (Database.ingest ... adaptProgram). */
object IngestTests {
    val all = listOf(
        Test("ingestTwiceStoresOnce") { c ->
            val user = c.newUser().id!!
            val garmin = c.db.account(user, "garmin", "garmin-user-7")
            val first = c.db.ingest(garmin, sample("garmin"), provider = "garmin", runType = IngestRunType.FULL)
            assertEquals("succeeded", first.status, first.toString())
            assertEquals("garmin", first.provider)
            assertTrue(first.records > 0 && first.inserted == first.records, first.toString())
            assertEquals(2, first.activities.size, first.toString())
            assertTrue(first.signals.isNotEmpty(), first.toString())
            assertTrue(first.errors.isEmpty(), first.toString())
            val runs = c.db.select("external_ingestion_runs")
            assertEquals("full", runs.single().getString("run_type"))
            // The same payload again: every record is known and unchanged, nothing new is stored.
            val activityRows = c.db.select("activity_instances").size
            val second = c.db.ingest(garmin, sample("garmin"))
            assertEquals("succeeded", second.status, second.toString())
            assertEquals(first.records, second.records)
            assertEquals(0L, second.inserted, second.toString())
            assertEquals(0L, second.updated, second.toString())
            assertEquals(first.records, second.unchanged, second.toString())
            assertTrue(second.runId != first.runId)
            assertEquals(activityRows, c.db.select("activity_instances").size)
            assertEquals("incremental", c.db.get("external_ingestion_runs", second.runId).getString("run_type"))

            val listed = c.db.activities(user, LocalDate.of(2026, 11, 28), LocalDate.of(2026, 12, 1))
            assertEquals(2, listed.size, listed.toString())
            assertTrue(listed.all { it.provider == "garmin" && it.durationSeconds > 0 && !it.completedAt.isBefore(it.startedAt) }, listed.toString())
            assertEquals(listed.map { it.instanceId }.sorted(), first.activities.sorted())
            assertEquals(listed.size, org.json.JSONArray(c.db.activitiesJson(user, LocalDate.of(2026, 11, 28), LocalDate.of(2026, 12, 1))).length())
            assertTrue(c.db.activities(user, LocalDate.of(2020, 1, 1), LocalDate.of(2020, 1, 2)).isEmpty())
        },

        Test("ingestErrors") { c ->
            val user = c.newUser().id!!
            val oura = c.db.account(user, "oura")
            expectError(INVALID, "payload", "JSON") { c.db.ingest(oura, "{\"data\": [") }
            expectError(INVALID, "request_json") { c.db.ingestJson("{\"account_id\": $oura, \"payload\": {\"data\": [}") }
            expectError(INVALID, "request.provider", "fitbit2") { c.db.ingest(oura, "{\"data\": []}", provider = "fitbit2") }
            expectError(INVALID, "oura") { c.db.ingest(oura, "{\"records\": []}", provider = "whoop") }
            expectError(NOT_FOUND, "account_id") { c.db.ingest(424242, "{\"data\": []}") }
            expectError(INVALID, "payload.data") { c.db.ingest(oura, "{\"records\": []}") }
            assertTrue(c.db.select("external_ingestion_runs").isEmpty())  // nothing written on error
            expectError(INVALID, "to") { c.db.activities(user, LocalDate.of(2026, 2, 1), LocalDate.of(2026, 1, 1)) }
        },

        Test("providerTokensSetAndDue") { c ->
            val user = c.newUser().id!!
            val soon = c.db.account(user, "oura")
            val later = c.db.account(user, "whoop", "10129")
            expectError(INVALID, "gs_token_set_sealer") { c.db.setProviderTokens(soon, "access-1", "refresh-1", Instant.parse("2020-01-01T00:00:00Z")) }
            c.db.setTokenSealer(TestSealer())
            c.db.setProviderTokens(soon, "access-1 🔑", "refresh-1", Instant.parse("2020-01-01T00:00:00Z"))
            c.db.setProviderTokens(later, "access-2", expiresAt = Instant.parse("2999-01-01T00:00:00Z"))
            expectError(NOT_FOUND) { c.db.setProviderTokens(424242, "x") }
            val row = c.db.get("external_provider_accounts", soon)
            assertTrue(row.getString("access_token").startsWith("gs-sealed:"), row.toString())
            assertFalse(row.getString("access_token").contains("access-1"))
            assertEquals("access-1 🔑", c.db.openToken(row.getString("access_token")))

            val due = c.db.providerTokensDue(user, 3600)
            assertEquals(listOf(soon), due.map { it.id }, due.toString())
            assertTrue(due[0].expired && due[0].hasRefreshToken, due.toString())
            assertEquals("oura", due[0].providerType)
            assertEquals(user, due[0].userId)
            // A null argument keeps the column: the refresh token stays; the later account is due within a millennium.
            c.db.setProviderTokens(soon, null, null, Instant.parse("2999-06-01T00:00:00Z"))
            assertTrue(c.db.providerTokensDue(user, 3600).isEmpty())
            assertEquals(listOf(later, soon), c.db.providerTokensDue(0, 1000L * 365 * 24 * 3600).map { it.id })
            c.db.setTokenSealer(null)
        },

        Test("activityLoggedAndAdaptAfterABadDay") { c ->
            val user = c.db.insert(User(name = "Adapt", experienceLevel = ExperienceLevel.INTERMEDIATE))
            val plan = c.db.generateProgramJson(
                "{\"user_id\": $user, \"start_date\": \"2026-03-02\", \"duration_weeks\": 2, \"weekdays\": [1, 3, 5], \"split\": \"full_body\"," +
                " \"goals\": [{\"goal\": \"strength\", \"weight\": 6}, {\"goal\": \"hypertrophy\", \"weight\": 4}], \"session_minutes\": 60," +
                " \"seed\": 3, \"search_nodes\": 3000}")
            val programId = org.json.JSONObject(plan).getLong("program_id")
            // A normal week of signals, then Tuesday a long hard ride, and a bad Wednesday morning.
            for (d in 0..7) {
                val date = LocalDate.of(2026, 2, 24).plusDays(d.toLong())
                c.db.logRecovery(RecoverySignal(userId = user, signalDate = date, hrvScore = 60.0, restingHeartRate = 55.0,
                                                sleepQualityScore = 75.0, source = "aura ring"))
            }
            val ride = c.db.logActivity(ActivityEntry(user, LocalDate.of(2026, 3, 3), EnjoyableActivity.CYCLING, 180.0, intensity = 8.0))
            assertEquals(LocalDate.of(2026, 3, 3), ride.date)
            assertTrue(ride.activityInstanceId > 0 && ride.sessionId != null, ride.toString())
            assertTrue(ride.state.systemicFatigue > 0.0, ride.toString())
            assertEquals(user, c.db.get("sessions", ride.sessionId!!).getLong("user_id"))
            expectError(INVALID, "duration_minutes") { c.db.logActivity(ActivityEntry(user, LocalDate.of(2026, 3, 3), EnjoyableActivity.CYCLING, 0.0)) }
            c.db.logRecovery(RecoverySignal(userId = user, signalDate = LocalDate.of(2026, 3, 4), hrvScore = 40.0, restingHeartRate = 63.0,
                                            sleepQualityScore = 30.0, source = "aura ring"))

            val report = c.db.adaptProgram(programId, user, LocalDate.of(2026, 3, 4))
            assertEquals(programId, report.programId)
            assertTrue(report.red, report.toString())
            assertTrue(report.readiness!! < 50.0, report.toString())
            assertEquals(2, report.sessions.size, report.toString())
            val changes = report.changes
            assertTrue(changes.isNotEmpty(), report.toString())
            assertEquals(report.json.getLong("changed"), changes.size.toLong())
            for (change in changes) {
                assertTrue(change.action == "lighter" || change.action == "swapped", change.toString())  // a heavy main lift is swapped
                assertTrue(change.reasons.isNotEmpty(), change.toString())
                assertTrue(change.sets.to!! <= change.sets.from!!, change.toString())
                assertEquals(change.sets.to!!.toLong(), c.db.get("session_exercises", change.sessionExerciseId).getLong("target_sets"))
            }
            assertTrue(changes.any { change -> change.reasons.any { it.startsWith("readiness") } }, changes.toString())
            // Adapting again on the same day changes nothing more.
            assertTrue(c.db.adaptProgram(programId, user, LocalDate.of(2026, 3, 4)).changes.isEmpty())
            expectError(NOT_FOUND) { c.db.adaptProgram(424242) }
            expectError(INVALID, "sessions") { c.db.adaptProgram(programId, sessions = 99) }
            expectError(INVALID, "user_id") { c.db.adaptProgram(programId, userId = c.newUser("other@example.com").id!!) }
        }
    )
}
