package app.gainsly

/**
 * The one exception of the Gainsly API, named and shaped like Swift's `GainslyError`: [code] is the
 * status as an enum ([Code.UNKNOWN] for a status this binding does not know), [status] the raw C
 * value (`GS_ERR_*`, negative; the constants below), and the message names the table and column
 * at fault.
 */
class GainslyException(val status: Int, message: String) : RuntimeException(message) {
    /** The status as an enum. */
    val code: Code get() = Code.of(status)

    override fun toString(): String = "GainslyException(${Database.statusName(status)}): $message"

    /** The status codes of the C ABI (Swift: `GainslyError.Code`); [status] is the C value. */
    enum class Code(val status: Int) {
        INVALID(GainslyException.INVALID),
        NOT_FOUND(GainslyException.NOT_FOUND),
        CONSTRAINT(GainslyException.CONSTRAINT),
        INFEASIBLE(GainslyException.INFEASIBLE),
        IO(GainslyException.IO),
        CORRUPT(GainslyException.CORRUPT),
        BUSY(GainslyException.BUSY),
        SYNC(GainslyException.SYNC),
        AUTH(GainslyException.AUTH),
        VERSION(GainslyException.VERSION),
        INTERNAL(GainslyException.INTERNAL),
        NOMEM(GainslyException.NOMEM),
        CANCELED(GainslyException.CANCELED),
        READONLY(GainslyException.READONLY),
        UNKNOWN(Int.MIN_VALUE);

        companion object {
            @JvmStatic
            fun of(status: Int): Code = values().firstOrNull { it.status == status && it != UNKNOWN } ?: UNKNOWN
        }
    }

    companion object {
        const val INVALID = -1
        const val NOT_FOUND = -2
        const val CONSTRAINT = -3
        const val INFEASIBLE = -4
        const val IO = -5
        const val CORRUPT = -6
        const val BUSY = -7
        const val SYNC = -8
        const val AUTH = -9
        const val VERSION = -10
        const val INTERNAL = -11
        const val NOMEM = -12
        const val CANCELED = -13
        const val READONLY = -14
    }
}
