import Foundation
import Gainsly
import XCTest

final class PlanTests: DatabaseTestCase {
    func request(_ user: Int64, minutes: Int? = nil) -> ProgramRequest {
        ProgramRequest(userId: user, startDate: CalendarDate("2025-01-06")!, durationWeeks: 2,
                       goals: [.init(.strength, 6), .init(.hypertrophy, 4)], daysPerWeek: 3,
                       name: "Block 🧱", sessionMinutes: minutes, seed: 7, timeLimitMs: 1_000)
    }

    func testGenerateDescribeSubstituteAndReplan() throws {
        var user = User(name: "Planner", experienceLevel: .intermediate, personaAggression: 3)
        try db.insert(&user)
        let report = try db.generateProgram(request(user.id!))
        let programID = try XCTUnwrap(report["program_id"]?.int64Value, "\(report)")
        let constraints = try XCTUnwrap(report["hard_constraints"]?.arrayValue)
        XCTAssertFalse(constraints.isEmpty)
        XCTAssertTrue(constraints.allSatisfy { $0["ok"] == true }, "\(constraints)")

        let program = try db.find(Program.self, id: programID)
        XCTAssertEqual(program.name, "Block 🧱")
        XCTAssertEqual(try db.fetchAll(Microcycle.self, where: ["program_id": .integer(programID)]).count, 2)
        let sessions = try db.fetchAll(Session.self, where: ["program_id": .integer(programID)])
        XCTAssertEqual(sessions.count, 6)
        let first = try db.session(id: sessions[0].id!)
        XCTAssertFalse(first.exercises.isEmpty)

        let text = try db.describeProgram(id: programID)
        XCTAssertTrue(text.contains("2025-01-06") && text.contains("Block 🧱"), text)

        let exercise = first.exercises[0]
        let substitutes = try XCTUnwrap(try db.listSubstitutes(sessionExerciseId: exercise.id!, maxResults: 3)["substitutes"]?.arrayValue)
        XCTAssertLessThanOrEqual(substitutes.count, 3)
        if let replacement = substitutes.first?["movement_id"]?.int64Value {
            try db.substituteExercise(sessionExerciseId: exercise.id!, movementId: replacement)
            XCTAssertEqual(try db.find(SessionExercise.self, id: exercise.id!).movementId, replacement)
        }

        let replan = try db.replanProgram(id: programID, date: CalendarDate("2025-01-07"), timeLimitMs: 1_000)
        XCTAssertNotNil(replan["replanned_session_ids"]?.arrayValue, "\(replan)")

        // The same request and seed give the same plan (in a fresh file).
        let other = try Database(path: file("again.db"))
        defer { other.close() }
        var again = User(name: "Planner", experienceLevel: .intermediate, personaAggression: 3)
        try other.insert(&again)
        XCTAssertEqual(try other.generateProgram(request(again.id!))["objective"]?["value"], report["objective"]?["value"])
    }

    func testPlanningErrors() throws {
        let user = try newUser()
        var bad = request(user.id!)
        bad.durationWeeks = 99
        assertGainslyError(.invalid, "duration_weeks") { try db.generateProgram(bad) }
        bad = request(user.id!)
        bad.equipment = ["nonexistent"]
        assertGainslyError(.invalid, "equipment", "nonexistent") { try db.generateProgram(bad) }
        assertGainslyError(.notFound) { try db.generateProgram(request(424_242)) }
        assertGainslyError(.infeasible, "session_minutes") { try db.generateProgram(request(user.id!, minutes: 5)) }
        XCTAssertEqual(try db.fetchAll(Program.self), [])  // nothing written on error
        assertGainslyError(.invalid, "JSON") { try db.generateProgramJSON("{nope") }
        assertGainslyError(.notFound) { try db.describeProgram(id: 424_242) }
        assertGainslyError(.notFound) { try db.listSubstitutes(sessionExerciseId: 424_242) }
        assertGainslyError(.notFound) { try db.replanProgram(id: 424_242) }
    }
}
