package app.gainsly

/**
 * A handle of the C library ([Database], [SyncServer]). Calls on one handle take turns on its lock
 * (a C handle is used by one thread at a time); [close] releases it once, and any other call after
 * it throws INVALID. Only this package makes handles.
 */
abstract class NativeHandle internal constructor(handle: Long, internal val closedMessage: String) : AutoCloseable {
    internal val lock = Any()
    internal var handle: Long = handle
        private set

    /** Whether [close] has not been called yet. */
    val isOpen: Boolean get() = synchronized(lock) { handle != 0L }

    /** Releases the handle. Closing twice does nothing. */
    override fun close() {
        synchronized(lock) {
            val h = handle
            handle = 0L
            if (h != 0L) release(h)
        }
    }

    internal abstract fun release(handle: Long)

    /** Runs [body] with the open handle, holding the lock; new C functions are one line on top. */
    internal inline fun <T> call(body: (Long) -> T): T = synchronized(lock) {
        if (handle == 0L) throw GainslyException(GainslyException.INVALID, closedMessage)
        body(handle)
    }
}
