import Foundation
import Gainsly
import XCTest

final class ValueTests: DatabaseTestCase {
    static let beyondDouble: Int64 = 9_007_199_254_740_993  // 2^53 + 1: the first integer a Double cannot hold

    func testIntegersKeepAll64BitsInJSONValues() throws {
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data("[9007199254740993, 9223372036854775807, -9223372036854775808, 1.5, 1e3, 18446744073709551616]".utf8))
        XCTAssertEqual(decoded[0], .integer(Self.beyondDouble))
        XCTAssertEqual(decoded[1], .integer(.max))
        XCTAssertEqual(decoded[2], .integer(.min))
        XCTAssertEqual(decoded[3], .number(1.5))
        XCTAssertEqual(decoded[4]?.int64Value, 1000)
        XCTAssertEqual(decoded[5]?.doubleValue, 18_446_744_073_709_551_616.0)  // beyond Int64: a Double
        XCTAssertNil(decoded[5]?.int64Value)
        let text = String(decoding: try JSONEncoder().encode(JSONValue.integer(Self.beyondDouble)), as: UTF8.self)
        XCTAssertEqual(text, "9007199254740993")
        XCTAssertEqual(JSONValue(integerLiteral: 3), .integer(3))
        XCTAssertEqual(JSONValue.integer(2).doubleValue, 2.0)
    }

    func testIntegersRoundTripThroughTheLibrary() throws {
        let user = try newUser()
        let prefs: JSONValue = ["beyond_double": .integer(Self.beyondDouble), "max": .integer(.max), "min": .integer(.min),
                                "half": 0.5, "name": "Ünïcødé 🏋️"]
        try db.insert(UserProfile(userId: user.id, disciplinePreferences: prefs))
        XCTAssertEqual(try db.get(UserProfile.self, id: user.id!).disciplinePreferences, prefs)
        let raw = try db.getJSON("user_profiles", id: user.id!)
        XCTAssertTrue(raw.contains("9007199254740993") && raw.contains("9223372036854775807"), raw)

        // A plan's seed goes out in the request and comes back in the typed report and its JSON.
        let request = ProgramRequest(userId: user.id!, startDate: CalendarDate("2025-01-06")!, durationWeeks: 1,
                                     goals: [.init(.strength, 10)], daysPerWeek: 2, seed: .max, timeLimitMs: 1_000)
        let report = try db.generateProgram(request)
        XCTAssertEqual(report.seed, .max)
        XCTAssertEqual(report.json["seed"], .integer(.max))
    }

    func testReportsDecodeMissingFieldsAndKeepTheDocument() throws {
        let sync = try JSONDecoder().decode(SyncReport.self, from: Data(#"""
            {"pushed": 3, "duration_ms": 12, "future_field": [1], "rejected": [{"table": "users", "uid": "u-1", "reason": "deleted on the server"}]}
            """#.utf8))
        XCTAssertEqual(sync.pushed, 3)
        XCTAssertEqual(sync.rejected.map(\.uid), ["u-1"])
        XCTAssertEqual(sync.rejected.first?.reason, "deleted on the server")
        XCTAssertEqual(sync.pulled, 0)
        XCTAssertEqual(sync.durationMs, 12)
        XCTAssertEqual(sync.json["future_field"], [1])
        let status = try db.syncStatus()  // a fresh file: never synced
        XCTAssertEqual(status.outbox, try db.syncStatus().json["outbox"]?.int64Value)
        XCTAssertNil(status.lastPushAt)
        XCTAssertNil(status.lastError)
        XCTAssertFalse(status.inflight)
        XCTAssertEqual(try JSONDecoder().decode(JSONValue.self, from: Data(try db.syncStatusJSON().utf8)), status.json)
    }
}

final class QueueTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gainsly-queue-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        XCTAssertEqual(GainslyDatabase.liveObjects, 0, "leaked library objects")
        try? FileManager.default.removeItem(at: directory)
    }

    struct Boom: Error {}

    /// Many tasks write through one queue at once: every committed write lands whole, every write
    /// that throws is rolled back alone, and a read's writes are discarded.
    func testConcurrentTasksShareOneConnection() async throws {
        let queue = try GainslyQueue(path: directory.appendingPathComponent("queue.db").path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for t in 0..<8 {
                group.addTask {
                    for i in 0..<10 {
                        try await queue.write { db in
                            let id = try db.insert(User(email: "t\(t)-\(i)@example.com", name: "Task \(t) 🧵"))
                            try db.insert(UserSettings(userId: id))
                        }
                        do {
                            try await queue.write { db in
                                try db.insert(User(email: "boom-\(t)-\(i)@example.com"))
                                throw Boom()
                            }
                            XCTFail("the write did not throw")
                        } catch is Boom {}
                    }
                }
            }
            try await group.waitForAll()
        }
        let users = try await queue.read { db in try db.select(User.self) }
        XCTAssertEqual(users.count, 80)
        XCTAssertFalse(users.contains { $0.email!.hasPrefix("boom") })
        XCTAssertEqual(Set(users.map(\.email)).count, 80)
        let settings = try await queue.read { db in try db.select(UserSettings.self).count }
        XCTAssertEqual(settings, 80)

        let seenInside = try await queue.read { db -> Int in
            try db.insert(User(email: "read-only@example.com"))
            return try db.select(User.self).count
        }
        XCTAssertEqual(seenInside, 81)
        let afterRead = try await queue.read { db in try db.find(User.self, id: users[0].id!)?.name }
        XCTAssertEqual(afterRead, "Task \(users[0].email!.dropFirst().prefix(while: { $0 != "-" })) 🧵")
        let count = try await queue.read { db in try db.select(User.self, where: ["email": "read-only@example.com"]).count }
        XCTAssertEqual(count, 0)

        // A transaction by hand (or a call that manages its own) through writeWithoutTransaction.
        try await queue.writeWithoutTransaction { db in
            try db.begin()
            try db.insert(User(email: "manual@example.com"))
            try db.commit()
        }
        let manual = try await queue.read { db in try db.select(User.self, where: ["email": "manual@example.com"]).count }
        XCTAssertEqual(manual, 1)

        await queue.close()
        do {
            _ = try await queue.read { db in try db.select(User.self) }
            XCTFail("a closed queue answered")
        } catch let error as GainslyError {
            XCTAssertEqual(error.code, .invalid)
            XCTAssertTrue(error.message.contains("closed"), error.message)
        }
    }
}
