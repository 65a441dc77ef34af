import Foundation
import Gainsly
import XCTest

/// Each test gets a fresh database file in its own temporary directory; at the end the database is
/// closed and the library must hold no live objects (no leaked handle or buffer).
class DatabaseTestCase: XCTestCase {
    var directory: URL!
    var db: GainslyDatabase!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("gainsly-swift-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        db = try GainslyDatabase(path: file("test.db"))
    }

    override func tearDownWithError() throws {
        db?.close()
        db = nil
        XCTAssertEqual(GainslyDatabase.liveObjects, 0, "leaked library objects")
        try? FileManager.default.removeItem(at: directory)
    }

    func file(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Asserts that `body` throws a GainslyError with `code` whose message contains every `fragment`.
    func assertGainslyError<T>(_ code: GainslyError.Code, _ fragments: String..., file: StaticString = #filePath,
                               line: UInt = #line, _ body: () throws -> T) {
        do {
            let value = try body()
            XCTFail("expected \(code), got \(value)", file: file, line: line)
        } catch let error as GainslyError {
            XCTAssertEqual(error.code, code, "\(error)", file: file, line: line)
            XCTAssertEqual(error.status, code.rawValue, file: file, line: line)
            for fragment in fragments {
                XCTAssertTrue(error.message.contains(fragment), "'\(error.message)' lacks '\(fragment)'",
                              file: file, line: line)
            }
        } catch {
            XCTFail("expected a GainslyError, got \(error)", file: file, line: line)
        }
    }

    /// Skips the calling test while the library has its known multi-handle bug (reported): a handle
    /// keeps a stale read snapshot from open, so it neither sees another handle's commits nor can
    /// write after them (GS_ERR_BUSY at once). Once fixed, the tests that call this run for real.
    func requireWorkingMultiHandle() throws {
        let probe = file("multi-handle-probe.db")
        let a = try GainslyDatabase(path: probe)
        defer { a.close() }
        let b = try GainslyDatabase(path: probe)
        defer { b.close() }
        let id = try a.insert(User(name: "probe a"))
        let sees = try b.find(User.self, id: id) != nil
        var writes = true
        do {
            try b.insert(User(name: "probe b"))
        } catch let error as GainslyError where error.code == .busy {
            writes = false
        }
        if !sees || !writes {
            throw XCTSkip("library bug: a second handle on one file has a stale snapshot (sees commits: \(sees), can write: \(writes))")
        }
    }

    func newUser(_ email: String = "ana@example.com", name: String? = "Ana") throws -> User {
        var user = User(email: email, name: name)
        try db.insert(&user)  // sets the key
        XCTAssertNotNil(user.id)
        return try db.get(User.self, id: user.id!)  // with uid and timestamps
    }

    /// A movement of the reference catalog (or one made for the test if the catalog is empty).
    func movementID() throws -> Int64 {
        if let first = try db.select(Movement.self).first { return first.id! }
        return try db.insert(Movement(name: "Test Squat", pattern: .squat))
    }
}

/// Strings that break naive bindings: 4-byte characters (emoji, math letters, CJK extension B),
/// ZWJ sequences, skin tones, combining marks, right-to-left text, escapes.
let unicodeSamples = [
    "Zoë Łukasz Ærø",
    "🏋️‍♀️💪🏽🔥",
    "𝕏𝔸𝕄 𠜎𠜱𠝹",
    "👨‍👩‍👧‍👦 family",
    "e\u{301} vs é",
    "مرحبا بالعالم",
    "quote \" backslash \\ slash / tab \t newline \n",
    "\u{7F}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}",
]
