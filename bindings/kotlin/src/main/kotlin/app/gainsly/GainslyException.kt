package app.gainsly

/**
 * The one exception of the Gainsly API: [code] is the status of the C ABI (`GS_ERR_*`, negative;
 * see the constants below and [status]) and the message names the table and column at fault.
 */
class GainslyException(val code: Int, message: String) : RuntimeException(message) {
    /** The status as an enum ([Status.UNKNOWN] for codes this binding does not know). */
    val status: Status get() = Status.of(code)

    override fun toString(): String = "GainslyException(${Database.statusName(code)}): $message"

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
    }
}

/** The status codes of the C ABI. */
enum class Status(val code: Int) {
    OK(0),
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
    UNKNOWN(Int.MIN_VALUE);

    companion object {
        @JvmStatic
        fun of(code: Int): Status = values().firstOrNull { it.code == code && it != UNKNOWN } ?: UNKNOWN
    }
}
