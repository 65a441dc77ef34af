package app.gainsly.test

import app.gainsly.Database
import app.gainsly.ExternalProviderAccount
import app.gainsly.GainslyException
import app.gainsly.GainslyException.Companion.AUTH
import app.gainsly.GainslyException.Companion.CONSTRAINT
import app.gainsly.GainslyException.Companion.INVALID
import app.gainsly.GainslyException.Companion.IO
import app.gainsly.ProviderType
import app.gainsly.SyncOptions
import app.gainsly.SyncServer
import app.gainsly.TokenSealer
import app.gainsly.User
import java.util.UUID
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** Reverses and XORs the bytes behind a marker: enough to see that sealing happened. */
class TestSealer : TokenSealer {
    class Refused : RuntimeException("refused by the test sealer")

    var refuse = false
    var calls = 0
    private val marker = "sealed:".toByteArray()

    override fun seal(plain: ByteArray): ByteArray {
        calls++
        if (refuse) throw Refused()
        return marker + plain.reversedArray().map { (it.toInt() xor 0x5A).toByte() }.toByteArray()
    }

    override fun open(sealed: ByteArray): ByteArray {
        calls++
        if (refuse || sealed.size < marker.size || !sealed.copyOfRange(0, marker.size).contentEquals(marker)) throw Refused()
        return sealed.copyOfRange(marker.size, sealed.size).map { (it.toInt() xor 0x5A).toByte() }.toByteArray().reversedArray()
    }
}

/** The throw-away PostgreSQL database of bindings/tools/with_pg_database.sh, or a Skip. */
fun postgres(): Pair<String, String> {
    val admin = System.getenv("GAINSLY_TEST_PG")
    if (admin.isNullOrEmpty()) {
        if (System.getenv("GAINSLY_REQUIRE_PG") == "1") throw AssertionError("GAINSLY_REQUIRE_PG=1 but GAINSLY_TEST_PG is not set")
        throw Skip("no PostgreSQL (GAINSLY_TEST_PG)")
    }
    return admin to (System.getenv("GAINSLY_TEST_PG_ROLE_PREFIX") ?: "gs_bind")
}

/** [base] with the user and password replaced. */
fun conninfo(base: String, user: String, password: String): String =
    (base.split(" ").filter { !it.startsWith("user=") && !it.startsWith("password=") } +
        listOf("user=$user", "password=$password")).joinToString(" ")

object SyncTests {
    val all = listOf(
        Test("syncReportsReadMissingFieldsAndKeepTheDocument") { c ->
            val report = app.gainsly.SyncReport(org.json.JSONObject(
                """{"pushed": 9007199254740993, "duration_ms": 12, "future_field": [1],
                   "rejected": [{"table": "users", "uid": "u-1", "reason": "deleted on the server"}]}"""))
            assertEquals(9007199254740993L, report.pushed)  // 2^53 + 1: read as a Long, not a Double
            assertEquals(0L, report.pulled)
            assertEquals(12L, report.durationMs)
            assertEquals(listOf(app.gainsly.RejectedChange("users", "u-1", "deleted on the server")), report.rejected)
            assertEquals(1, report.json.getJSONArray("future_field").getInt(0))
            val status = c.db.syncStatus()  // a fresh file: never synced
            assertEquals(status.json.getLong("outbox"), status.outbox)
            assertNull(status.lastPushAt)
            assertNull(status.lastError)
            assertFalse(status.inflight)
            assertEquals(canonical(org.json.JSONObject(c.db.syncStatusJson())), canonical(status.json))
        },

        Test("tokensAreSealedByTheHostSealer") { c ->
            expectError(INVALID) { c.db.sealToken("no sealer yet") }
            val sealer = TestSealer()
            c.db.setTokenSealer(sealer)
            for (token in listOf("ya29.a0AfH6SM", "tok 🔑 𝕏 \udbff\udfff", "long-".repeat(2000))) {
                val sealed = c.db.sealToken(token)
                assertTrue(sealed.startsWith("gs-sealed:"), sealed)
                assertFalse(sealed.contains(token))
                assertEquals(token, c.db.openToken(sealed))
            }
            assertTrue(sealer.calls > 0)

            val user = c.newUser()
            val sealed = c.db.sealToken("access 🔐")
            val account = c.db.insertAndGet(ExternalProviderAccount(userId = user.id, providerType = ProviderType.STRAVA, accessToken = sealed))
            assertEquals("access 🔐", c.db.openToken(account.accessToken!!))
            expectError(CONSTRAINT, "external_provider_accounts.access_token", "sealed") {
                c.db.insert(ExternalProviderAccount(userId = user.id, providerType = ProviderType.GARMIN, accessToken = "plain text"))
            }

            sealer.refuse = true
            assertFailsWith<TestSealer.Refused> { c.db.sealToken("x") }  // the sealer's own exception
            c.db.setTokenSealer(null)
            expectError(INVALID) { c.db.openToken(sealed) }
            c.db.setTokenSealer(TestSealer())  // released by close
        },

        Test("syncBetweenTwoDevicesAndOwnTransport") { c ->
            val (admin, prefix) = postgres()
            assertNotNull(SyncServer.setup(admin).opt("schema_version"))
            SyncServer.setup(admin)  // idempotent

            val user = c.newUser("sync@example.com", "Sync 🔄 𝕏")
            val role = "${prefix}_kotlin"
            val password = "pw-" + UUID.randomUUID()
            SyncServer.addAccount(admin, user.uid!!, role, password)
            val account = conninfo(admin, role, password)

            val pushed = c.db.sync(account)
            assertTrue(pushed.pushed >= 1, pushed.toString())
            assertEquals(pushed.json.getLong("pushed"), pushed.pushed)
            assertEquals(0L, pushed.outbox)
            assertTrue(pushed.initialPullComplete && pushed.durationMs >= 0, pushed.toString())
            assertEquals(pushed.json.getJSONArray("rejected").length(), pushed.rejected.size)
            val status = c.db.syncStatus()
            assertEquals(0L, status.outbox)
            assertEquals(user.uid, status.user)
            assertTrue(!status.inflight && status.lastError == null && status.lastPushAt != null, status.toString())

            Database.open(c.file("device-b.db")).use { other ->
                other.sync(account, SyncOptions(userUid = user.uid, batchRows = 50))
                assertEquals(listOf("Sync 🔄 𝕏"), other.select(User, mapOf("uid" to user.uid)).map { it.name })

                c.db.update("users", user.id!!, mapOf("name" to "Renamed ✈️"))
                val batch = c.db.syncExport()!!
                assertEquals(batch, c.db.syncExport())  // resent verbatim until acknowledged
                val live = Database.liveObjects
                SyncServer(account).use { server ->
                    assertEquals(live + 1, Database.liveObjects)
                    c.db.syncImportAck(server.push(batch))
                    assertNull(c.db.syncExport())
                    var pages = 0
                    do {
                        val report = other.syncImport(server.pull(other.syncPullRequest()))
                        pages++
                    } while (report.more && pages < 100)
                    server.close()
                    assertFalse(server.isOpen)
                    expectError(INVALID, "server: closed") { server.pull(other.syncPullRequest()) }
                }
                assertEquals(live, Database.liveObjects)
                assertEquals(listOf("Renamed ✈️"), other.select(User, mapOf("uid" to user.uid)).map { it.name })
            }
        },

        Test("syncErrors") { c ->
            val (admin, prefix) = postgres()
            SyncServer.setup(admin)
            val user = c.newUser("auth@example.com")
            val role = "${prefix}_kotlin_auth"
            SyncServer.addAccount(admin, user.uid!!, role, "right-password")
            expectError(AUTH) { c.db.sync(conninfo(admin, role, "wrong-password")) }
            expectError(AUTH) { SyncServer(conninfo(admin, role, "wrong-password")) }
            expectError(INVALID, "opts.timeout_ms") { SyncServer(conninfo(admin, role, "right-password"), timeoutMs = 0) }
            expectError(IO) { c.db.sync("host=127.0.0.1 port=1 dbname=x user=x connect_timeout=2") }
            expectError(INVALID, "batch") { c.db.syncExport(SyncOptions(batchRows = -5)) }
            expectError(INVALID, "password") { SyncServer.addAccount(admin, user.uid!!, role, "short") }
            expectError(INVALID) { c.db.syncImport("{nope") }
            val e = assertFailsWith<GainslyException> { SyncServer.setup("host=127.0.0.1 port=1 dbname=x user=x connect_timeout=2") }
            assertEquals(IO, e.status, e.toString())
            assertEquals(GainslyException.Code.IO, e.code)
        }
    )
}
