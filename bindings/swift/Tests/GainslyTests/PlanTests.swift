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
        let programID = try XCTUnwrap(report.programId, "\(report.json)")
        XCTAssertEqual(report.json["program_id"], .integer(programID))  // the raw document too
        XCTAssertFalse(report.hardConstraints.isEmpty)
        XCTAssertTrue(report.hardConstraints.allSatisfy { $0.ok && $0.violations.isEmpty }, "\(report.hardConstraints)")
        XCTAssertEqual(report.seed, 7)
        XCTAssertTrue(report.solveMs >= 0 && report.totalMs >= report.solveMs, "\(report.json)")
        XCTAssertEqual(report.sessionIdsByWeek.count, 2)
        let coach = try XCTUnwrap(report.coach, "\(report.json)")
        XCTAssertEqual(coach.summary.map(\.rule), Array(1...8))
        XCTAssertTrue(coach.summary.allSatisfy { $0.okWeeks <= $0.weeks && !$0.name.isEmpty }, "\(coach.json)")
        XCTAssertEqual(coach.rules.count, report.json["coach"]?["rules"]?.arrayValue?.count)
        XCTAssertTrue(coach.rules.allSatisfy { (1...8).contains($0.rule) && $0.week >= 1 }, "\(coach.json)")
        XCTAssertEqual(report.objective, report.json["objective"]?["value"]?.doubleValue)

        let program = try db.get(Program.self, id: programID)
        XCTAssertEqual(program.name, "Block 🧱")
        XCTAssertEqual(try db.select(Microcycle.self, where: ["program_id": .integer(programID)]).count, 2)
        let sessions = try db.select(Session.self, where: ["program_id": .integer(programID)])
        XCTAssertEqual(sessions.count, 6)
        let first = try db.getSession(id: sessions[0].id!)
        XCTAssertFalse(first.exercises.isEmpty)

        let text = try db.describeProgram(id: programID)
        XCTAssertTrue(text.contains("2025-01-06") && text.contains("Block 🧱"), text)

        let exercise = first.exercises[0]
        let list = try db.listSubstitutes(sessionExerciseId: exercise.id!, maxResults: 3)
        XCTAssertEqual(list.sessionExerciseId, exercise.id)
        XCTAssertEqual(list.movementId, exercise.movementId)
        let substitutes = list.substitutes
        XCTAssertLessThanOrEqual(substitutes.count, 3)
        XCTAssertEqual(list.json["substitutes"]?.arrayValue?.count, substitutes.count)
        if let best = substitutes.first {
            let replacement = best.movementId
            XCTAssertFalse(best.reasons.isEmpty, "\(list.json)")
            let swap = try db.substituteExercise(sessionExerciseId: exercise.id!, movementId: replacement)
            XCTAssertEqual(swap.movementId, replacement)
            XCTAssertEqual(swap.name, best.name)
            XCTAssertEqual(try db.get(SessionExercise.self, id: exercise.id!).movementId, replacement)
        }

        let replan = try db.replanProgram(id: programID, date: CalendarDate("2025-01-07"), timeLimitMs: 1_000)
        XCTAssertEqual(replan.json["replanned_session_ids"]?.arrayValue?.compactMap(\.int64Value), replan.replannedSessionIds)
        XCTAssertEqual(replan.programId, programID)
        XCTAssertTrue(replan.hardConstraints.allSatisfy(\.ok), "\(replan.json)")

        // The same request and seed give the same plan (in a fresh file).
        let other = try GainslyDatabase(path: file("again.db"))
        defer { other.close() }
        var again = User(name: "Planner", experienceLevel: .intermediate, personaAggression: 3)
        try other.insert(&again)
        // (a time budget: the same plan, its objective summed along another search path when the
        // machine is loaded, so equal up to rounding; a node budget below is exact)
        XCTAssertEqual(try other.generateProgram(request(again.id!)).objective, report.objective, accuracy: 1e-6)
        // A node budget instead of a time budget: the same plan on any device, whatever its speed.
        var sized = request(again.id!)
        sized.searchNodes = 1_500
        sized.timeLimitMs = 600_000
        let one = try other.generateProgram(sized), two = try other.generateProgram(sized)
        XCTAssertEqual(one.objective, two.objective)
        XCTAssertEqual(one.json["nodes"], two.json["nodes"])
        XCTAssertNotNil(one.json["nodes"]?.int64Value)
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
        bad = request(user.id!)
        bad.searchNodes = 0
        assertGainslyError(.invalid, "search_nodes") { try db.generateProgram(bad) }
        assertGainslyError(.infeasible, "session_minutes") { try db.generateProgram(request(user.id!, minutes: 5)) }
        XCTAssertEqual(try db.select(Program.self), [])  // nothing written on error
        assertGainslyError(.invalid, "JSON") { try db.generateProgramJSON("{nope") }
        assertGainslyError(.notFound) { try db.describeProgram(id: 424_242) }
        assertGainslyError(.notFound) { try db.listSubstitutes(sessionExerciseId: 424_242) }
        assertGainslyError(.notFound) { try db.replanProgram(id: 424_242) }
    }
}
