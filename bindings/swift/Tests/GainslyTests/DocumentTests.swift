import Foundation
import Gainsly
import XCTest

final class DocumentTests: DatabaseTestCase {
    func testSessionWithItsExercisesInOrder() throws {
        let user = try newUser()
        let movement = try movementID()
        let session = try db.insertAndGet(Session(userId: user.id, date: CalendarDate("2025-05-05"), sessionType: .lower,
                                                    coachNotes: "Squat day 🦵"))
        for (order, sets) in [(2, 4), (1, 5)] {
            try db.insert(SessionExercise(sessionId: session.id, movementId: movement, sessionSection: .main,
                                          orderInSession: Int64(order), targetSets: Int64(sets)))
        }
        let full = try db.getSession(id: session.id!)
        XCTAssertEqual(full.session, session)
        XCTAssertEqual(full.exercises.map(\.orderInSession), [1, 2])
        XCTAssertEqual(full.exercises.map(\.targetSets), [5, 4])
        XCTAssertTrue(try db.getSessionJSON(id: session.id!).contains("\"exercises\""))
        assertGainslyError(.notFound, "424242") { try db.getSession(id: 424_242) }
    }

    func testUserExportImportsIntoAnotherDatabase() throws {
        let user = try newUser("export@example.com", name: "Export 🧳 𝕏")
        try db.insert(UserSettings(userId: user.id!, useMetric: false))
        let document = try db.exportUserJSON(userId: user.id!)
        XCTAssertTrue(document.contains("Export 🧳 𝕏"))
        assertGainslyError(.notFound) { try db.exportUserJSON(userId: 424_242) }

        let other = try GainslyDatabase(path: file("other.db"))
        defer { other.close() }
        let report = try other.importJSON(document, format: .userExport)
        XCTAssertNotNil(report.objectValue, "\(report)")
        let copied = try other.select(User.self, where: ["uid": .text(user.uid!)])
        XCTAssertEqual(copied.map(\.name), ["Export 🧳 𝕏"])
        XCTAssertEqual(try other.select(UserSettings.self, where: ["user_id": .integer(copied[0].id!)]).map(\.useMetric), [false])
    }

    func testImportReportsBadRecordsAndRefusesBadDocuments() throws {
        let records = #"[{"id":"Binding_Test_Press","name":"Binding Test Press 🏋️","level":"beginner","category":"strength","primaryMuscles":["chest"],"equipment":"barbell","mechanic":"compound","force":"push"}, 5]"#
        let report = try db.importJSON(records, format: .freeExerciseDB)
        XCTAssertEqual(report["errors"]?.arrayValue?.count, 1, "\(report)")
        XCTAssertEqual(report["errors"]?[0]?["index"], 1)
        assertGainslyError(.invalid, "JSON") { try db.importJSON("{nope", format: .catalog) }
        assertGainslyError(.invalid) { try db.importJSON("{}", format: .freeExerciseDB) }
    }
}
