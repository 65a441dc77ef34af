import Foundation
import Gainsly
import XCTest

final class ErrorTests: DatabaseTestCase {
    func testUnknownTable() {
        assertGainslyError(.invalid, "userz") { try db.insert("userz", ["name": "x"]) }
        assertGainslyError(.invalid, "userz") { try db.selectJSON("userz") }
        assertGainslyError(.invalid, "userz") { try db.getJSON("userz", id: 1) }
        assertGainslyError(.invalid, "userz") { try db.delete("userz", id: 1) }
    }

    func testUnknownColumn() {
        assertGainslyError(.invalid, "users.emailx", "unknown column") { try db.insert("users", ["emailx": "a@b.c"]) }
        assertGainslyError(.invalid, "users.bad") { try db.select(User.self, where: ["bad": 1]) }
    }

    func testBadEnumValues() {
        assertGainslyError(.invalid, "users.experience_level", "god") {
            try db.insert(User(email: "e@example.com", experienceLevel: "god"))
        }
        assertGainslyError(.invalid, "users.persona_aggression") { try db.insert(User(personaAggression: 7)) }
    }

    func testWrongTypesAndFormats() throws {
        let user = try newUser()
        assertGainslyError(.invalid, "programs.duration_weeks", "integer") {
            try db.insert("programs", ["user_id": GainslyValue.integer(user.id!), "duration_weeks": "x"])
        }
        assertGainslyError(.invalid, "user_profiles.date_of_birth") {
            try db.insertJSON("user_profiles", #"{"user_id":\#(user.id!),"date_of_birth":"1990-02-30"}"#)
        }
        assertGainslyError(.invalid, "users.created_at", "timestamp") {
            try db.update("users", id: user.id!, set: ["created_at": "yesterday"])
        }
        assertGainslyError(.invalid, "users.created_at", "null") { try db.update("users", id: user.id!, set: ["created_at": nil]) }
        assertGainslyError(.invalid, "users.id", "cannot be changed") { try db.update("users", id: user.id!, set: ["id": 99]) }
        assertGainslyError(.invalid, "users.name", "longer than") {
            try db.update("users", id: user.id!, set: ["name": .text(String(repeating: "🏋️", count: 51))])
        }
        assertGainslyError(.invalid, "JSON") { try db.insertJSON("users", "{nope") }
        assertGainslyError(.invalid, "expected a JSON object") { try db.insertJSON("users", "[1]") }
        assertGainslyError(.invalid, "users", "name", "nan") { try db.update("users", id: user.id!, set: ["name": .real(.nan)]) }
        assertGainslyError(.invalid, "table", "NUL") { try db.insert("users\u{0}x", ["name": "x"]) }
        assertGainslyError(.invalid, "json", "NUL") { try db.insertJSON("users", "{}\u{0}garbage") }
    }

    func testConstraints() throws {
        let user = try newUser("dup@example.com")
        assertGainslyError(.constraint, "users.email") { try db.insert(User(email: "dup@example.com")) }
        assertGainslyError(.constraint, "user_settings.user_id", "9999") { try db.insert(UserSettings(userId: 9999)) }
        assertGainslyError(.constraint, "programs", "duration_weeks") { try db.insert(Program(userId: user.id, durationWeeks: 60)) }
        assertGainslyError(.constraint, "programs", "goal_weight") {
            try db.insert(Program(userId: user.id, goal1: .strength, goalWeight1: 4))
        }
        assertGainslyError(.constraint, "session_exercises.movement_id") {
            try db.insert(SessionExercise(sessionId: nil, movementId: 987_654, sessionSection: .main, orderInSession: 1, targetSets: 3))
        }
        assertGainslyError(.constraint, "user_injuries.body_part") {
            try db.insert(UserInjury(userId: user.id, bodyPart: "no such muscle"))
        }
        // Required columns left out of raw JSON.
        do {
            _ = try db.insertJSON("session_exercises", #"{"session_section":"main"}"#)
            XCTFail("expected an error")
        } catch let error as GainslyError {
            XCTAssertTrue([.invalid, .constraint].contains(error.code), "\(error)")
            XCTAssertTrue(error.message.contains("session_exercises"), error.message)
        }
    }

    func testNotFound() throws {
        assertGainslyError(.notFound, "users", "424242") { try db.get(User.self, id: 424_242) }
        assertGainslyError(.notFound, "users", "424242") { try db.getJSON("users", id: 424_242) }
        assertGainslyError(.notFound, "users", "424242") { try db.update("users", id: 424_242, set: ["name": "x"]) }
        assertGainslyError(.notFound, "users", "424242") { try db.delete(User.self, id: 424_242) }
        XCTAssertNil(try db.find(User.self, id: 424_242))
        assertGainslyError(.invalid, "users.id", "no key") { try db.update(User(name: "never inserted")) }
    }

    func testDecodingIntoTheWrongTypeIsAGainslyError() throws {
        let user = try newUser()
        struct Wrong: Decodable { let email: Int }
        assertGainslyError(.invalid, "users", "Wrong", "email") { try db.get("users", id: user.id!, as: Wrong.self) }
        struct Missing: Decodable { let no_such_column: String }
        assertGainslyError(.invalid, "no_such_column") { try db.get("users", id: user.id!, as: Missing.self) }
    }

    func testClosedDatabase() throws {
        XCTAssertTrue(db.isOpen)
        db.close()
        db.close()  // closing twice is fine
        XCTAssertFalse(db.isOpen)
        XCTAssertEqual(GainslyDatabase.liveObjects, 0)
        assertGainslyError(.invalid, "closed") { try db.insert(User(name: "x")) }
        assertGainslyError(.invalid, "closed") { try db.select(User.self) }
        assertGainslyError(.invalid, "closed") { try db.begin() }
    }

    func testOpenErrors() throws {
        let missingDir = file("no/such/dir/x.db")
        assertGainslyError(.io, missingDir) { try GainslyDatabase(path: missingDir) }
        let notADatabase = file("notes.txt")
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: notADatabase))
        assertGainslyError(.corrupt, notADatabase) { try GainslyDatabase.open(notADatabase) }
        assertGainslyError(.invalid, "NUL") { try GainslyDatabase(path: "a\u{0}b") }
    }

    func testOpenReadOnly() throws {
        let id = try db.insert(User(name: "Reader 📖"))
        let reader = try GainslyDatabase(path: file("test.db"), readOnly: true, busyTimeoutMs: 250)
        XCTAssertEqual(try reader.get(User.self, id: id).name, "Reader 📖")
        assertGainslyError(.readOnly) { try reader.insert(User(name: "x")) }
        assertGainslyError(.readOnly) { try reader.delete(User.self, id: id) }
        reader.close()
        XCTAssertEqual(try db.get(User.self, id: id).name, "Reader 📖")  // the writer is untouched
        assertGainslyError(.notFound) { try GainslyDatabase(path: file("missing.db"), readOnly: true) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: file("missing.db")))  // nothing created
        assertGainslyError(.invalid, "busy_timeout_ms") { try GainslyDatabase(path: file("other.db"), readOnly: false, busyTimeoutMs: -1) }
        let writer = try GainslyDatabase(path: file("other.db"), readOnly: false, busyTimeoutMs: 0)
        try writer.insert(User(name: "w"))
        writer.close()
    }

    func testTransactions() throws {
        let id = try db.transaction { db -> Int64 in
            let id = try db.insert(User(email: "t1@example.com"))
            try db.insert(UserSettings(userId: id))
            return id
        }
        XCTAssertNotNil(try db.find(User.self, id: id))

        struct Abort: Error {}
        XCTAssertThrowsError(try db.transaction { db in
            try db.insert(User(email: "t2@example.com"))
            throw Abort()
        }) { XCTAssertTrue($0 is Abort) }
        XCTAssertEqual(try db.select(User.self, where: ["email": "t2@example.com"]), [])

        // A failing write rolls the whole transaction back and surfaces the library error.
        assertGainslyError(.constraint, "users.email") {
            try db.transaction { db in
                try db.insert(User(email: "t3@example.com"))
                try db.insert(User(email: "t1@example.com"))
            }
        }
        XCTAssertEqual(try db.select(User.self, where: ["email": "t3@example.com"]), [])

        assertGainslyError(.invalid, "already open") { try db.transaction { db in try db.begin() } }
        assertGainslyError(.invalid, "no transaction") { try db.commit() }
        assertGainslyError(.invalid, "no transaction") { try db.rollback() }
        try db.begin()
        try db.insert(User(email: "t4@example.com"))
        try db.rollback()
        XCTAssertEqual(try db.select(User.self, where: ["email": "t4@example.com"]), [])
    }

    func testTwoHandlesOnOneFile() throws {
        try requireWorkingMultiHandle()
        let other = try GainslyDatabase(path: file("test.db"))
        defer { other.close() }
        let user = try newUser("shared@example.com", name: "Shared 🤝")
        XCTAssertEqual(try other.get(User.self, id: user.id!).name, "Shared 🤝")
        try other.update("users", id: user.id!, set: ["name": "Updated elsewhere"])
        XCTAssertEqual(try db.get(User.self, id: user.id!).name, "Updated elsewhere")
    }

    /// Errors without a handle are thread-local and errors with one live on the handle: each thread
    /// must read its own message however the calls interleave.
    func testThreadsSeeTheirOwnErrors() throws {
        let root = directory!
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 4) { t in
            do {
                let db = try GainslyDatabase(path: root.appendingPathComponent("t\(t).db").path)
                defer { db.close() }
                for i in 0..<25 {
                    do {
                        _ = try db.insert("users", ["col_\(t)_\(i)": 1])
                        failures.add("no error for col_\(t)_\(i)")
                    } catch let error as GainslyError {
                        if !error.message.contains("users.col_\(t)_\(i)") { failures.add(error.message) }
                    }
                    let missing = root.appendingPathComponent("missing\(t)/\(i)/x.db").path
                    do {
                        _ = try GainslyDatabase(path: missing)
                        failures.add("opened \(missing)")
                    } catch let error as GainslyError {
                        if error.code != .io || !error.message.contains(missing) { failures.add("\(error)") }
                    }
                }
            } catch {
                failures.add("\(error)")
            }
        }
        XCTAssertEqual(failures.all, [])
    }
}

/// Failure messages collected from several threads.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []
    func add(_ message: String) { lock.lock(); messages.append(message); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return messages }
}
