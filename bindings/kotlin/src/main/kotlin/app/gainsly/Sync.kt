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
 * The server half of sync, for trusted backends and tools that carry the documents themselves: a
 * connection kept between [push] and [pull] calls (and replaced when it was lost), closed by [close].
 * Calls on one SyncServer take turns; open one per thread to serve in parallel. Conninfo strings are
 * libpq's; a wrong password or a server never set up fails in the constructor.
 */
class SyncServer @JvmOverloads constructor(
    conninfo: String,
    /** Act as this account's role (a backend connected with its own credentials); null: the conninfo's role. */
    accountRole: String? = null,
    /** Connect and statement timeout in milliseconds (1-600000). */
    timeoutMs: Int = 30_000
) : NativeHandle(Native.serverOpen(conninfo, accountRole, timeoutMs), "server: closed") {

    companion object {
        /** Creates or migrates the server side in the database of [conninfo] (an admin connection). */
        @JvmStatic
        fun setup(conninfo: String): JSONObject = Json.parseObject(Native.serverSetup(conninfo), "setup")

        /** Creates (or re-keys) the login role [role] for the account [userUid] with [password]. */
        @JvmStatic
        fun addAccount(adminConninfo: String, userUid: String, role: String, password: String): JSONObject =
            Json.parseObject(Native.serverAddAccount(adminConninfo, userUid, role, password), "account")
    }

    /** Applies a push batch ([Database.syncExport]) and returns the acknowledgement. */
    fun push(batchJson: String): String = call { Native.serverPush(it, batchJson) }

    /** One page for a pull request ([Database.syncPullRequest]). */
    fun pull(requestJson: String): String = call { Native.serverPull(it, requestJson) }

    override fun release(handle: Long) = Native.serverClose(handle)
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
