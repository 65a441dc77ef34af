package app.gainsly.test

import app.gainsly.Database
import app.gainsly.GainslyException
import app.gainsly.GainslyException.Companion.INVALID
import app.gainsly.GainslyException.Companion.IO
import app.gainsly.Native
import app.gainsly.User
import java.util.Collections
import java.util.concurrent.CountDownLatch
import kotlin.concurrent.thread
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/** The JNI shim itself: UTF-16 <-> UTF-8 conversion, NULL handles, threads. */
object JniTests {
    /** Runs body(0 until n) in n threads started together; rethrows the first failure. */
    private fun inThreads(n: Int, body: (Int) -> Unit) {
        val errors = Collections.synchronizedList(mutableListOf<Throwable>())
        val start = CountDownLatch(1)
        val workers = (0 until n).map { t ->
            thread {
                try {
                    start.await()
                    body(t)
                } catch (e: Throwable) {
                    errors.add(e)
                }
            }
        }
        start.countDown()
        workers.forEach { it.join() }
        if (errors.isNotEmpty()) throw errors[0]
    }

    private fun bytes(vararg b: Int) = ByteArray(b.size) { b[it].toByte() }

    val all = listOf(
        Test("utf8ConversionIsExact") {
            for (text in UNICODE_SAMPLES + listOf("", "a", "😀", "\uD83D\uDE00x")) {
                assertEquals(text, Native.echo(text))
                assertTrue(text.toByteArray(Charsets.UTF_8).contentEquals(Native.utf8Bytes(text)), text)
                assertEquals(text, Native.fromUtf8Bytes(text.toByteArray(Charsets.UTF_8)))
            }
            // The 4-byte form, not modified UTF-8's surrogate pairs (ED A0 BD ED B8 80).
            assertTrue(bytes(0xF0, 0x9F, 0x98, 0x80).contentEquals(Native.utf8Bytes("😀")))
            assertEquals("😀", Native.fromUtf8Bytes(bytes(0xF0, 0x9F, 0x98, 0x80)))
        },

        Test("malformedTextBecomesReplacementCharacters") {
            assertEquals("a\uFFFDb", Native.echo("a\uD800b"))  // unpaired high surrogate
            assertEquals("a\uFFFD", Native.echo("a\uDC00"))     // unpaired low surrogate
            assertTrue(bytes(0xEF, 0xBF, 0xBD).contentEquals(Native.utf8Bytes("\uDFFF")))
            assertEquals("\uFFFD(", Native.fromUtf8Bytes(bytes(0xC3, 0x28)))                 // truncated sequence
            assertEquals("\uFFFD\uFFFD", Native.fromUtf8Bytes(bytes(0xC0, 0x80)))             // modified UTF-8 NUL
            assertEquals("\uFFFD", Native.fromUtf8Bytes(bytes(0xED, 0xA0, 0x80)))             // encoded surrogate
            assertEquals("\uFFFD", Native.fromUtf8Bytes(bytes(0xF4, 0x90, 0x80, 0x80)))       // > U+10FFFF
            assertEquals("x\uFFFD", Native.fromUtf8Bytes(bytes(0x78, 0xF0, 0x9F)))            // cut at the end
            assertEquals("\uFFFD", Native.fromUtf8Bytes(bytes(0xFF)))
            expectError(INVALID, "text", "NUL") { Native.echo("a\u0000b") }
            expectError(INVALID, "NUL") { Native.fromUtf8Bytes(bytes(0x61, 0x00)) }
        },

        Test("loneSurrogateIsStoredAsReplacementCharacter") { c ->
            val id = c.db.insert(User(name = "broken \uD83D pair"))
            assertEquals("broken \uFFFD pair", c.db.get(User, id).name)
        },

        Test("nullAndStaleHandlesAreErrorsNotCrashes") {
            expectError(INVALID, "db", "NULL") { Native.insert(0, "users", "{}") }
            expectError(INVALID, "db", "NULL") { Native.get(0, "users", 1) }
            expectError(INVALID, "db", "NULL") { Native.select(0, "users", null) }
            expectError(INVALID, "db", "NULL") { Native.begin(0) }
            Native.close(0)  // gs_db_close(NULL) is a no-op
        },

        Test("threadsSeeTheirOwnErrors") { c ->
            // Errors without a handle live in thread-local storage and errors with one on the handle:
            // each thread must get its own message, however the calls interleave.
            inThreads(4) { t ->
                Database.open(c.file("t$t.db")).use { db ->
                    repeat(25) { i ->
                        expectError(INVALID, "users.col_${t}_$i") { db.insert("users", mapOf("col_${t}_$i" to 1)) }
                        expectError(IO, "missing$t/$i") { Database.open(c.file("missing$t/$i/x.db")) }
                        assertEquals("thread $t 🧵 $i", db.get(User, db.insert(User(name = "thread $t 🧵 $i"))).name)
                    }
                }
            }
        },

        Test("threadsWithTheirOwnHandlesOnOneFile") { c ->
            requireWorkingMultiHandle(c)
            inThreads(4) { t ->
                Database.open(c.file("test.db")).use { db ->
                    repeat(25) { i ->
                        val id = db.insert(User(email = "t$t-$i@example.com", name = "thread $t 🧵 $i"))
                        assertEquals("thread $t 🧵 $i", db.get(User, id).name)
                    }
                }
            }
            Database.open(c.file("test.db")).use { fresh -> assertEquals(100, fresh.select(User).size) }
        },

        Test("oneHandleSharedByThreads") { c ->
            // Database serialises its calls, so sharing one handle is safe (if not parallel).
            inThreads(4) { t -> repeat(25) { i -> c.db.insert(User(email = "s$t-$i@example.com")) } }
            assertEquals(100, c.db.select(User).size)
        },

        Test("exceptionsCarryCodeAndMessage") { c ->
            val e = expectError(GainslyException.NOT_FOUND, "users") { c.db.get(User, 77) }
            assertTrue(e is RuntimeException)
            assertTrue(e.toString().contains("GS_ERR_NOT_FOUND"), e.toString())
        }
    )
}
