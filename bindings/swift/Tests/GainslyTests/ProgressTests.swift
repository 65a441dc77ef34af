import Foundation
import Gainsly
import XCTest

/// Progress (GainslyDatabase.progress, goals, checkInGoals, weeklySummary) on a constructed history.
final class ProgressTests: DatabaseTestCase {
    func date(_ text: String, plus days: Int = 0) -> CalendarDate {
        let d = CalendarDate(text)!
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let start = utc.date(from: DateComponents(year: d.year, month: d.month, day: d.day))!
        return CalendarDate(utc.date(byAdding: .day, value: days, to: start)!, in: utc.timeZone)
    }

    func testTrendsGoalsCheckinAndSummary() throws {
        let user = try newUser().id!
        let squat = try XCTUnwrap(try db.select(Movement.self).first { $0.name == "Barbell Back Squat" }?.id)
        // Weekly singles at RPE 10 (e1RM = load), 100 rising 2.5 kg a week.
        for week in 0..<5 {
            try db.logWorkout(WorkoutLog(userId: user, workoutDate: date("2026-01-05", plus: 7 * week)),
                              sets: [SetEntry(movementId: squat, reps: 1, loadKg: 100 + 2.5 * Double(week), rpe: 10)])
        }
        let report = try db.progress(userId: user, from: date("2026-01-05"), to: date("2026-02-08"))
        let trend = try XCTUnwrap(report.movements.first { $0.movementId == squat })
        XCTAssertEqual(try XCTUnwrap(trend.slopePerWeek), 2.5, accuracy: 1e-9)
        XCTAssertEqual(trend.latest, 110, accuracy: 1e-9)
        XCTAssertEqual(trend.change4w ?? 0, 10, accuracy: 1e-9)
        XCTAssertEqual(report.loadDays.count, 35)
        XCTAssertEqual(report.volumeWeeks.first?.groups["quads"]?.sets, 1)
        XCTAssertEqual(report.json["user_id"], .integer(user))

        // A strength goal of 115 kg on the squat: 110 now, 2.5 kg/week -> 2 weeks out.
        var program = Program(userId: user, startDate: date("2026-01-05"), durationWeeks: 8, goal1: .strength, goalWeight1: 10)
        try db.insert(&program)
        var goal = ProgramGoal(programId: program.id, goalType: .strength, targetValue: 115, unit: "kg:Barbell Back Squat")
        try db.insert(&goal)
        let listed = try db.goals(userId: user, date: date("2026-02-04"))
        XCTAssertEqual(listed.first?.status, "on_track")
        XCTAssertEqual(listed.first?.projectedDate, date("2026-02-18"))
        let first = try db.checkInGoals(userId: user, date: date("2026-02-04"))
        XCTAssertEqual(first.weekStart, date("2026-02-02"))
        XCTAssertEqual(first.goals.first?.created, true)
        let again = try db.checkInGoals(userId: user, date: date("2026-02-06"))
        XCTAssertEqual(again.goals.first?.created, false)
        XCTAssertEqual(again.goals.first?.checkinId, first.goals.first?.checkinId)
        XCTAssertEqual(try db.select(GoalCheckin.self).count, 1)

        let summary = try db.weeklySummary(userId: user, date: date("2026-02-04"))
        XCTAssertEqual(summary.weekStart, date("2026-02-02"))
        XCTAssertEqual(summary.sessions.unplanned, 1)
        XCTAssertEqual(summary.readiness.days.count, 7)
        XCTAssertEqual(summary.goals.count, 1)
        XCTAssertFalse(summary.text.isEmpty)

        assertGainslyError(.notFound, "user_id") { try db.progress(userId: 9999) }
        assertGainslyError(.invalid, "from") { try db.progress(userId: user, from: date("2026-03-01"), to: date("2026-02-01")) }
        assertGainslyError(.invalid, "long_term_target") { try db.checkInGoals(userId: user, longTermTarget: 80) }
    }
}
