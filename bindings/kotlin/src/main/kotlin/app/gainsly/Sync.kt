package app.gainsly

import org.json.JSONObject

/** Options of the sync calls (gs_sync_options). */
data class SyncOptions(
    /** The account (uid of its users row) this file syncs as; null: the recorded one, or the file's only user. */
    val userUid: String? = null,
    /** Changes per push batch and rows per pulled page (1-100000; 0: the default, 1000). */
    val batchRows: Int = 0,
    /** Connect and statement timeout in milliseconds (0: none). */
    val timeoutMs: Int = 30_000
)

/**
 * The server half of sync, for setup and for trusted backends that carry batches themselves.
 * Each call opens its own connection; all are thread-safe. Conninfo strings are libpq's.
 */
object SyncServer {
    /** Creates or migrates the server side in the database of [conninfo] (an admin connection). */
    @JvmStatic
    fun setup(conninfo: String): JSONObject = Json.parseObject(Native.serverSetup(conninfo), "setup")

    /** Creates (or re-keys) the login role [role] for the account [userUid] with [password]. */
    @JvmStatic
    fun addAccount(adminConninfo: String, userUid: String, role: String, password: String): JSONObject =
        Json.parseObject(Native.serverAddAccount(adminConninfo, userUid, role, password), "account")

    /** Applies a push batch ([Database.syncExport]) and returns the acknowledgement. */
    @JvmStatic
    @JvmOverloads
    fun push(conninfo: String, batchJson: String, accountRole: String? = null): String =
        Native.serverPush(conninfo, accountRole, batchJson)

    /** One page for a pull request ([Database.syncPullRequest]). */
    @JvmStatic
    @JvmOverloads
    fun pull(conninfo: String, requestJson: String, accountRole: String? = null): String =
        Native.serverPull(conninfo, accountRole, requestJson)
}

/**
 * Seals and opens secrets (OAuth tokens of external_provider_accounts), e.g. with an Android
 * Keystore key. Called on the thread that called the library; an exception makes that call fail
 * and reaches its caller.
 */
interface TokenSealer {
    fun seal(plain: ByteArray): ByteArray
    fun open(sealed: ByteArray): ByteArray
}
