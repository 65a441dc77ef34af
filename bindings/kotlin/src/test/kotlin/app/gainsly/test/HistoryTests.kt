package app.gainsly.test

import app.gainsly.Database
import app.gainsly.GainslyException.Companion.CANCELED
import app.gainsly.GainslyException.Companion.INVALID
import app.gainsly.GainslyException.Companion.NOT_FOUND
import app.gainsly.HistoryFormat
import app.gainsly.HistoryImportReport
import app.gainsly.HistoryProgress
import app.gainsly.Movement
import app.gainsly.TopSetLog
import app.gainsly.User
import org.json.JSONObject
import java.time.LocalDate
import kotlin.test.assertEquals
import kotlin.test.assertTrue

object HistoryTests {
    private val strong = """
        Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE
        2024-01-15 07:30:00,"Push, heavy",1h 5m,Bench Press (Barbell),W,60,8,,0,,,
        2024-01-15 07:30:00,"Push, heavy",1h 5m,Bench Press (Barbell),1,100,5,,0,"felt, solid",,8
        2024-01-15 07:30:00,"Push, heavy",1h 5m,Bench Press (Barbell),Rest Timer,0,0,,120,,,
        2024-01-15 07:30:00,"Push, heavy",1h 5m,Zottman Curl,1,12,10,,0,,,
        2024-01-15 07:30:00,"Push, heavy",1h 5m,Bench Press (Barbell),2,abc,5,,0,,,
        """.trimIndent() + "\n"

    val all = listOf(
        Test("historyImportReportsNamesAndBadLinesAMappingFixesThemAndExportReadsBack") { c ->
            val user = c.newUser()
            val phases = mutableSetOf<String>()
            val report = c.db.importHistory(user.id!!, HistoryFormat.STRONG, strong, progress = object : HistoryProgress {
                override fun onProgress(progressJson: String): Boolean {
                    phases.add(JSONObject(progressJson).getString("phase"))
                    return true
                }
            })
            assertEquals(HistoryImportReport.Count(2, 0), report.sets)
            assertEquals(1, report.restTimerRows)
            assertEquals(listOf(6), report.errors.map { it.line })
            assertEquals(listOf("Zottman Curl"), report.unmatched.map { it.name })
            assertEquals("Barbell Bench Press", report.names.first { it.name == "Bench Press (Barbell)" }.movement)
            assertEquals(LocalDate.of(2024, 1, 15), report.recomputed?.first)
            assertEquals(setOf("import", "recompute"), phases)

            val hammer = c.db.select(Movement, mapOf("name" to "Hammer Curl"))[0].id!!
            val again = c.db.importHistory(user.id!!, HistoryFormat.STRONG, strong, mapOf("Zottman Curl" to hammer))
            assertEquals(HistoryImportReport.Count(1, 2), again.sets)
            assertTrue(again.unmatched.isEmpty())

            val csv = c.db.exportHistory(user.id!!)
            assertTrue(csv.startsWith("Date,Workout Name,Duration,Exercise Name,Set Order,"), csv)
            Database.open(c.file("other.db")).use { other ->
                val otherUser = other.insertAndGet(User(email = "other@example.com"))
                assertEquals(3, other.importHistory(otherUser.id!!, HistoryFormat.STRONG, csv).sets.imported)
            }
        },

        Test("historyCancelLeavesNothingAndBadInputNamesTheField") { c ->
            val user = c.newUser()
            expectError(CANCELED) {
                c.db.importHistory(user.id!!, HistoryFormat.STRONG, strong, progress = object : HistoryProgress {
                    override fun onProgress(progressJson: String) = false
                })
            }
            assertTrue(c.db.select(TopSetLog).isEmpty())
            expectError(NOT_FOUND, "mapping.Zottman Curl") {
                c.db.importHistory(user.id!!, HistoryFormat.STRONG, strong, mapOf("Zottman Curl" to 424_242L))
            }
            expectError(INVALID, "weight_kg") { c.db.importHistory(user.id!!, HistoryFormat.HEVY, "title,start_time,exercise_title,reps\n") }
        }
    )
}
