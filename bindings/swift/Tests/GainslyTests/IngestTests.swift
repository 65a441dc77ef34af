import Foundation
import Gainsly
import XCTest

/// Ingestion, activities, provider tokens and the adaptation of a program (ingest ... adaptProgram).
final class IngestTests: DatabaseTestCase {
    /// A sample payload of tests/data/ingest (this file is bindings/swift/Tests/GainslyTests/...).
    func sample(_ provider: String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("tests/data/ingest/\(provider).json"), encoding: .utf8)
    }

    func account(_ user: Int64, _ provider: String, _ providerUser: String? = nil) throws -> Int64 {
        var row: [String: JSONValue] = ["user_id": .integer(user), "provider_type": .string(provider)]
        if let providerUser { row["provider_user_id"] = .string(providerUser) }
        return try db.insert("external_provider_accounts", row)
    }

    func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    func testIngestTwiceStoresOnce() throws {
        let user = try newUser().id!
        let garmin = try account(user, "garmin", "garmin-user-7")
        let first = try db.ingest(accountId: garmin, payloadJSON: sample("garmin"), provider: "garmin", runType: .full)
        XCTAssertEqual(first.status, "succeeded", "\(first.json)")
        XCTAssertEqual(first.provider, "garmin")
        XCTAssertTrue(first.records > 0 && first.inserted == first.records, "\(first.json)")
        XCTAssertEqual(first.activities.count, 2, "\(first.json)")
        XCTAssertFalse(first.signals.isEmpty, "\(first.json)")
        XCTAssertEqual(first.errors, [])
        XCTAssertEqual(first.json["run_id"], .integer(first.runId))
        let activityRows = try db.selectJSON("activity_instances")
        // The same payload again: every record is known and unchanged, nothing new is stored.
        let second = try db.ingest(accountId: garmin, payloadJSON: sample("garmin"))
        XCTAssertEqual(second.status, "succeeded", "\(second.json)")
        XCTAssertEqual(second.records, first.records)
        XCTAssertEqual(second.inserted, 0, "\(second.json)")
        XCTAssertEqual(second.updated, 0, "\(second.json)")
        XCTAssertEqual(second.unchanged, first.records, "\(second.json)")
        XCTAssertNotEqual(second.runId, first.runId)
        XCTAssertEqual(try db.selectJSON("activity_instances"), activityRows)
        struct Run: Decodable { var run_type: String }
        XCTAssertEqual(try db.get("external_ingestion_runs", id: first.runId, as: Run.self).run_type, "full")
        XCTAssertEqual(try db.get("external_ingestion_runs", id: second.runId, as: Run.self).run_type, "incremental")

        let listed = try db.activities(userId: user, from: day("2026-11-28"), to: day("2026-12-01"))
        XCTAssertEqual(listed.count, 2, "\(listed)")
        XCTAssertTrue(listed.allSatisfy { $0.provider == "garmin" && $0.durationSeconds > 0 && $0.completedAt >= $0.startedAt }, "\(listed)")
        XCTAssertEqual(listed.map(\.instanceId).sorted(), first.activities.sorted())
        XCTAssertEqual(try db.activities(userId: user, from: day("2020-01-01"), to: day("2020-01-02")), [])
    }

    func testIngestErrors() throws {
        let user = try newUser().id!
        let oura = try account(user, "oura")
        assertGainslyError(.invalid, "payload") { try db.ingest(accountId: oura, payloadJSON: "{\"data\": [") }
        assertGainslyError(.invalid, "request_json") { try db.ingestJSON("{\"account_id\": \(oura), \"payload\": {\"data\": [}") }
        assertGainslyError(.invalid, "request.provider", "fitbit2") {
            try db.ingest(accountId: oura, payloadJSON: "{\"data\": []}", provider: "fitbit2")
        }
        assertGainslyError(.invalid, "oura") { try db.ingest(accountId: oura, payloadJSON: "{\"records\": []}", provider: "whoop") }
        assertGainslyError(.notFound, "account_id") { try db.ingest(accountId: 424_242, payloadJSON: "{\"data\": []}") }
        assertGainslyError(.invalid, "payload.data") { try db.ingest(accountId: oura, payloadJSON: "{\"records\": []}") }
        XCTAssertEqual(try db.selectJSON("external_ingestion_runs"), "[]")  // nothing written on error
        assertGainslyError(.invalid, "to") { try db.activities(userId: user, from: day("2026-02-01"), to: day("2026-01-01")) }
    }

    func testProviderTokensSetAndDue() throws {
        let user = try newUser().id!
        let soon = try account(user, "oura")
        let later = try account(user, "whoop", "10129")
        let past = Timestamp.parse("2020-01-01T00:00:00Z")!
        assertGainslyError(.invalid, "gs_token_set_sealer") {
            try db.setProviderTokens(accountId: soon, accessToken: "access-1", refreshToken: "refresh-1", expiresAt: past)
        }
        try db.setTokenSealer(TestSealer())
        try db.setProviderTokens(accountId: soon, accessToken: "access-1 🔑", refreshToken: "refresh-1", expiresAt: past)
        try db.setProviderTokens(accountId: later, accessToken: "access-2", expiresAt: Timestamp.parse("2999-01-01T00:00:00Z")!)
        assertGainslyError(.notFound) { try db.setProviderTokens(accountId: 424_242, accessToken: "x") }
        struct Tokens: Decodable { var access_token: String }
        let sealed = try db.get("external_provider_accounts", id: soon, as: Tokens.self).access_token
        XCTAssertTrue(sealed.hasPrefix("gs-sealed:") && !sealed.contains("access-1"), sealed)
        XCTAssertEqual(try db.openToken(sealed), "access-1 🔑")

        let due = try db.providerTokensDue(userId: user, withinSeconds: 3_600)
        XCTAssertEqual(due.map(\.id), [soon], "\(due)")
        XCTAssertTrue(due[0].expired && due[0].hasRefreshToken, "\(due)")
        XCTAssertEqual(due[0].providerType, "oura")
        XCTAssertEqual(due[0].userId, user)
        // A nil argument keeps the column; every account is due within a millennium.
        try db.setProviderTokens(accountId: soon, accessToken: nil, refreshToken: nil, expiresAt: Timestamp.parse("2999-06-01T00:00:00Z")!)
        XCTAssertEqual(try db.providerTokensDue(userId: user, withinSeconds: 3_600), [])
        XCTAssertEqual(try db.providerTokensDue(withinSeconds: 1_000 * 365 * 24 * 3_600).map(\.id), [later, soon])
        try db.setTokenSealer(nil)
    }

    func testActivityLoggedAndAdaptAfterABadDay() throws {
        var user = User(name: "Adapt", experienceLevel: .intermediate)
        try db.insert(&user)
        let userID = user.id!
        let plan = try db.generateProgramJSON("""
            {"user_id": \(userID), "start_date": "2026-03-02", "duration_weeks": 2, "weekdays": [1, 3, 5], "split": "full_body",
             "goals": [{"goal": "strength", "weight": 6}, {"goal": "hypertrophy", "weight": 4}], "session_minutes": 60,
             "seed": 3, "search_nodes": 3000}
            """)
        struct Plan: Decodable { var program_id: Int64 }
        let programID = try JSONDecoder().decode(Plan.self, from: Data(plan.utf8)).program_id
        // A normal week of signals, then Tuesday a long hard ride, and a bad Wednesday morning.
        for d in 24...28 { try db.logRecovery(signals(userID, "2026-02-\(d)", hrv: 60, rhr: 55, sleep: 75)) }
        for d in 1...3 { try db.logRecovery(signals(userID, "2026-03-0\(d)", hrv: 60, rhr: 55, sleep: 75)) }
        let ride = try db.logActivity(ActivityEntry(userId: userID, date: day("2026-03-03"), activity: .cycling, durationMinutes: 180,
                                                    intensity: 8))
        XCTAssertEqual(ride.date, day("2026-03-03"))
        XCTAssertTrue(ride.activityInstanceId > 0, "\(ride.json)")
        XCTAssertTrue(ride.state.systemicFatigue > 0, "\(ride.json)")
        XCTAssertEqual(try db.get(Session.self, id: XCTUnwrap(ride.sessionId)).userId, userID)
        assertGainslyError(.invalid, "duration_minutes") {
            try db.logActivity(ActivityEntry(userId: userID, date: day("2026-03-03"), activity: .cycling, durationMinutes: 0))
        }
        try db.logRecovery(signals(userID, "2026-03-04", hrv: 40, rhr: 63, sleep: 30))

        let report = try db.adaptProgram(id: programID, userId: userID, date: day("2026-03-04"))
        XCTAssertEqual(report.programId, programID)
        XCTAssertTrue(report.readiness.red, "\(report.json)")
        XCTAssertLessThan(try XCTUnwrap(report.readiness.score), 50)
        XCTAssertEqual(report.sessions.count, 2, "\(report.json)")
        XCTAssertFalse(report.changes.isEmpty, "\(report.json)")
        XCTAssertEqual(report.json["changed"], .integer(Int64(report.changes.count)))
        for change in report.changes {
            XCTAssertTrue(change.action == "lighter" || change.action == "swapped", "\(change)")  // a heavy main lift is swapped
            XCTAssertFalse(change.reasons.isEmpty, "\(change)")
            let to = try XCTUnwrap(change.sets.to), from = try XCTUnwrap(change.sets.from)
            XCTAssertLessThanOrEqual(to, from, "\(change)")
            XCTAssertEqual(Double(try db.get(SessionExercise.self, id: change.sessionExerciseId).targetSets), to)
        }
        XCTAssertTrue(report.changes.contains { $0.reasons.contains { $0.hasPrefix("readiness") } }, "\(report.json)")
        // Adapting again on the same day changes nothing more.
        XCTAssertEqual(try db.adaptProgram(id: programID, userId: userID, date: day("2026-03-04")).changes, [])
        assertGainslyError(.notFound) { try db.adaptProgram(id: 424_242) }
        assertGainslyError(.invalid, "sessions") { try db.adaptProgram(id: programID, sessions: 99) }
        let other = try newUser("other@example.com").id!
        assertGainslyError(.invalid, "user_id") { try db.adaptProgram(id: programID, userId: other) }
    }

    func signals(_ user: Int64, _ date: String, hrv: Double, rhr: Double, sleep: Double) -> RecoverySignal {
        RecoverySignal(userId: user, signalDate: day(date), sleepQualityScore: sleep, hrvScore: hrv, restingHeartRate: rhr,
                       source: .auraRing)
    }
}
