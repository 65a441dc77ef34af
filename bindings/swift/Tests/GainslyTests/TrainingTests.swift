import Foundation
import Gainsly
import XCTest

/// e1RM and the RPE chart (TrainingMath), and the training log (GainslyDatabase.log*, dayState).
final class TrainingTests: DatabaseTestCase {
    let day = CalendarDate("2025-03-03")!

    func testE1rmAndRpeChart() throws {
        XCTAssertEqual(try TrainingMath.e1rm(load: 100, reps: 5), 100 * (1 + 5.0 / 30), accuracy: 1e-9)
        XCTAssertEqual(try TrainingMath.e1rm(load: 100, reps: 5, rpe: 8), 100 * (1 + 7.0 / 30), accuracy: 1e-9)
        XCTAssertEqual(try TrainingMath.e1rm(load: 100, reps: 5, formula: .brzycki), 100 * 36 / 32.0, accuracy: 1e-9)
        XCTAssertEqual(try TrainingMath.e1rm(load: 100, reps: 5, formula: .lombardi), 100 * pow(5, 0.10), accuracy: 1e-9)
        XCTAssertEqual(try TrainingMath.e1rm(load: 140, reps: 1), 140)  // a single without RPE is the load
        for formula in OneRepMaxFormula.allCases {
            XCTAssertGreaterThan(try TrainingMath.e1rm(load: 100, reps: 8, formula: formula), 100, "\(formula)")
        }
        for setting in E1rmFormula.allCases { XCTAssertNotNil(OneRepMaxFormula(setting), "\(setting)") }

        let percent = try TrainingMath.rpePercent(reps: 5, rpe: 10)
        XCTAssertTrue(percent > 80 && percent < 90, "\(percent)")
        XCTAssertEqual(try TrainingMath.rpeE1rm(load: 100, reps: 5, rpe: 10), 100 / (percent / 100), accuracy: 1e-3)
        XCTAssertEqual(try TrainingMath.rpeLoad(e1rm: 150, reps: 5, rpe: 8, increment: 2.5).truncatingRemainder(dividingBy: 2.5), 0)

        assertGainslyError(.invalid, "reps") { try TrainingMath.e1rm(load: 100, reps: 40) }
        assertGainslyError(.invalid, "load") { try TrainingMath.e1rm(load: .nan, reps: 5) }
        assertGainslyError(.invalid, "rpe") { try TrainingMath.e1rm(load: 100, reps: 5, rpe: 11) }
        assertGainslyError(.invalid, "increment") { try TrainingMath.rpeLoad(e1rm: 150, reps: 5, rpe: 8, increment: 0) }
    }

    func testLogWorkoutSetsAndReadiness() throws {
        let user = try newUser().id!
        let movement = try movementID()
        let report = try db.logWorkout(WorkoutLog(userId: user, workoutDate: day, notes: "Leg day 🦵 𝕏"),
                                       sets: [SetEntry(movementId: movement, reps: 5, loadKg: 100, rpe: 8),
                                              SetEntry(movementId: movement, reps: 3, loadKg: 110)])
        XCTAssertEqual(report.workoutDate, day)
        XCTAssertEqual(report.sets.count, 2)
        XCTAssertEqual(report.json["workout_log_id"], .integer(report.workoutLogId))
        XCTAssertEqual(report.sets.map(\.setNumber), [1, 2])
        let formula = try XCTUnwrap(OneRepMaxFormula(report.e1rmFormula))
        XCTAssertEqual(report.sets[0].e1rm ?? 0, try TrainingMath.e1rm(load: 100, reps: 5, rpe: 8, formula: formula), accuracy: 0.01)
        XCTAssertEqual(report.state.date, day)
        XCTAssertEqual(try db.get(WorkoutLog.self, id: report.workoutLogId).notes, "Leg day 🦵 𝕏")

        // The hot path, typed: the next set number of that movement, its e1RM, Unicode notes.
        let logged = try db.logSet(userId: user, workoutLogId: report.workoutLogId, movementId: movement, reps: 2,
                                   loadKg: 120, rpe: 9, notes: "PR 🏆 𠜎")
        XCTAssertGreaterThan(logged.id, 0)
        XCTAssertEqual(logged.e1rm, try TrainingMath.e1rm(load: 120, reps: 2, rpe: 9, formula: formula), accuracy: 0.01)
        let row = try db.get(TopSetLog.self, id: logged.id)
        XCTAssertEqual(row.setNumber, 3)
        XCTAssertEqual(row.notes, "PR 🏆 𠜎")
        XCTAssertEqual(row.workoutLogId, report.workoutLogId)
        let bodyWeight = try db.logSet(userId: user, workoutLogId: report.workoutLogId, movementId: movement, reps: 10,
                                       loadKg: 0, velocity: 0.6)
        XCTAssertEqual(try db.get(TopSetLog.self, id: bodyWeight.id).velocity, 0.6)

        XCTAssertGreaterThan(try db.logSoreness(SorenessLog(userId: user, logDate: day, bodyPart: "quads", severity: 6)), 0)
        let signals = try db.logRecovery(RecoverySignal(userId: user, signalDate: day, sleepQualityScore: 80, hrvScore: 65,
                                                        restingHeartRate: 52, notes: "slept 😴"))
        XCTAssertEqual(try db.logRecovery(RecoverySignal(userId: user, signalDate: day, hrvScore: 70)), signals)  // one row a day
        XCTAssertEqual(try db.get(RecoverySignal.self, id: signals).sleepQualityScore, 80)
        XCTAssertGreaterThan(try db.logBiometrics(UserBiometricsHistory(userId: user, measurementDate: day, weightKg: 82.5)), 0)

        let state = try db.dayState(userId: user, date: day)
        XCTAssertEqual(state.userId, user)
        XCTAssertEqual(state.date, day)
        XCTAssertTrue((0...100).contains(state.readiness.score), "\(state)")
        XCTAssertGreaterThan(state.systemicFatigue, 0, "\(state)")
        XCTAssertFalse(state.muscleFatigue.isEmpty, "\(state)")
        XCTAssertEqual(state.readiness.sleepQualityScore, 80)
    }

    func testTrainingLogErrors() throws {
        let user = try newUser().id!
        let movement = try movementID()
        assertGainslyError(.invalid, "sets[1].reps") {
            try db.logWorkout(WorkoutLog(userId: user, workoutDate: day),
                              sets: [SetEntry(movementId: movement, reps: 5, loadKg: 100), SetEntry(movementId: movement, reps: 40)])
        }
        XCTAssertEqual(try db.select(WorkoutLog.self), [])  // nothing written on error
        assertGainslyError(.invalid, "user_id") { try db.logWorkout(WorkoutLog(workoutDate: day), sets: []) }
        assertGainslyError(.notFound) { try db.logSet(userId: user, workoutLogId: 424_242, movementId: movement, reps: 5, loadKg: 100) }
        let workout = try db.logWorkout(WorkoutLog(userId: user, workoutDate: day), sets: []).workoutLogId
        assertGainslyError(.invalid, "load_kg") { try db.logSet(userId: user, workoutLogId: workout, movementId: movement, reps: 5, loadKg: -1) }
        assertGainslyError(.invalid, "rpe") {
            try db.logSet(userId: user, workoutLogId: workout, movementId: movement, reps: 5, loadKg: 100, rpe: 12)
        }
        assertGainslyError(.invalid, "severity") { try db.logSoreness(SorenessLog(userId: user, logDate: day, severity: 11)) }
        assertGainslyError(.invalid, "computed") {
            try db.logRecovery(RecoverySignal(userId: user, signalDate: day, readinessScore: 50))
        }
        assertGainslyError(.invalid, "weight_kg") {
            try db.logBiometrics(UserBiometricsHistory(userId: user, measurementDate: day, weightKg: -3))
        }
        assertGainslyError(.invalid, "JSON") { try db.logWorkoutJSON("{nope") }
        assertGainslyError(.invalid, "notes") {
            try db.logSet(userId: user, workoutLogId: workout, movementId: movement, reps: 5, loadKg: 100, notes: "a\u{0}b")
        }
    }

    func testPersonalRecords() throws {
        let user = try newUser().id!
        let movement = try movementID()
        let first = try db.logWorkout(WorkoutLog(userId: user, workoutDate: day),
                                      sets: [SetEntry(movementId: movement, reps: 5, loadKg: 140, setType: .warmup),
                                             SetEntry(movementId: movement, reps: 5, loadKg: 100)])
        XCTAssertEqual(first.records.map(\.recordType.rawValue).sorted(), ["e1rm", "session_volume"])
        XCTAssertEqual(first.sets[0].setType, .warmup)
        XCTAssertEqual(first.sets[0].records, [])  // a warm-up never sets a record
        let volume = first.records.first { $0.recordType == .sessionVolume }!
        XCTAssertEqual(volume.value, 500, accuracy: 1e-9)  // the warm-up does not count
        XCTAssertNil(volume.previousValue)
        let workout = try db.logWorkout(WorkoutLog(userId: user, workoutDate: CalendarDate("2025-03-05")!), sets: []).workoutLogId
        XCTAssertEqual(try db.logSet(userId: user, workoutLogId: workout, movementId: movement, reps: 5, loadKg: 100).records, [])
        let heavier = try db.logSet(userId: user, workoutLogId: workout, movementId: movement, reps: 5, loadKg: 105)
        XCTAssertEqual(heavier.records.map(\.recordType.rawValue).sorted(), ["e1rm", "load_at_reps", "session_volume"])
        XCTAssertEqual(heavier.records.first { $0.recordType == .loadAtReps }?.previousValue, 100)
        let list = try db.personalRecords(userId: user, movementId: movement)
        XCTAssertEqual(list.count, 5)
        XCTAssertEqual(list[0].achievedDate, CalendarDate("2025-03-05")!)  // newest first
        XCTAssertEqual(list.map(\.current), [true, true, true, false, false])
        XCTAssertFalse(list[0].movement?.isEmpty ?? true)
        assertGainslyError(.invalid, "set_type") {
            try db.logSet(userId: user, workoutLogId: workout, movementId: movement, reps: 5, loadKg: 200, setType: SetType(rawValue: "easy"))
        }
        XCTAssertEqual(try db.personalRecords(userId: user).count, 5)
        XCTAssertTrue(try db.recomputePersonalRecordsJSON(userId: user).contains("\"updated\":0"))
        assertGainslyError(.notFound) { try db.personalRecords(userId: 424_242) }
    }
}
