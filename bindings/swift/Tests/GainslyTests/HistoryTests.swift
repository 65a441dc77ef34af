import Foundation
import Gainsly
import XCTest

final class HistoryTests: DatabaseTestCase {
    static let strong = """
        Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE
        2024-01-15 07:30:00,"Push, heavy",1h 5m,Bench Press (Barbell),W,60,8,,0,,,
        2024-01-15 07:30:00,"Push, heavy",1h 5m,Bench Press (Barbell),1,100,5,,0,"felt, solid",,8
        2024-01-15 07:30:00,"Push, heavy",1h 5m,Bench Press (Barbell),Rest Timer,0,0,,120,,,
        2024-01-15 07:30:00,"Push, heavy",1h 5m,Zottman Curl,1,12,10,,0,,,
        2024-01-15 07:30:00,"Push, heavy",1h 5m,Bench Press (Barbell),2,abc,5,,0,,,

        """

    func testImportReportsNamesAndBadLinesAMappingFixesThemAndExportReadsBack() throws {
        let user = try newUser()
        var phases: Set<String> = []
        let report = try db.importHistory(userId: user.id!, format: .strong, csv: Self.strong) { progress in
            if case .object(let o) = progress, case .string(let phase)? = o["phase"] { phases.insert(phase) }
            return true
        }
        XCTAssertEqual(report.sets, HistoryImportReport.Count(imported: 2, existing: 0))
        XCTAssertEqual(report.restTimerRows, 1)
        XCTAssertEqual(report.errors.map(\.line), [6])
        XCTAssertEqual(report.unmatched.map(\.name), ["Zottman Curl"])
        XCTAssertEqual(report.names.first { $0.name == "Bench Press (Barbell)" }?.movement, "Barbell Bench Press")
        XCTAssertEqual(report.recomputed?.from, CalendarDate("2024-01-15"))
        XCTAssertEqual(phases, ["import", "recompute"])

        let hammer = try db.select(Movement.self, where: ["name": .text("Hammer Curl")])[0].id!
        let again = try db.importHistory(userId: user.id!, format: .strong, csv: Self.strong, mapping: ["Zottman Curl": hammer])
        XCTAssertEqual(again.sets, HistoryImportReport.Count(imported: 1, existing: 2))
        XCTAssertTrue(again.unmatched.isEmpty)

        let csv = try db.exportHistory(userId: user.id!)
        XCTAssertTrue(csv.hasPrefix("Date,Workout Name,Duration,Exercise Name,Set Order,"))
        let other = try GainslyDatabase(path: file("other.db"))
        defer { other.close() }
        let otherUser = try other.insertAndGet(User(email: "other@example.com"))
        XCTAssertEqual(try other.importHistory(userId: otherUser.id!, format: .strong, csv: csv).sets.imported, 3)
    }

    func testCancelLeavesNothingAndBadInputNamesTheField() throws {
        let user = try newUser()
        assertGainslyError(.canceled) { try db.importHistory(userId: user.id!, format: .strong, csv: Self.strong) { _ in false } }
        XCTAssertTrue(try db.select(TopSetLog.self, where: [:]).isEmpty)
        assertGainslyError(.notFound, "mapping.Zottman Curl") {
            try db.importHistory(userId: user.id!, format: .strong, csv: Self.strong, mapping: ["Zottman Curl": 424_242])
        }
        assertGainslyError(.invalid, "weight_kg") {
            try db.importHistory(userId: user.id!, format: .hevy, csv: "title,start_time,exercise_title,reps\n")
        }
    }
}
