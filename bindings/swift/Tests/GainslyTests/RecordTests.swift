import Foundation
import Gainsly
import XCTest

final class RecordTests: DatabaseTestCase {
    func testLibraryFacts() {
        XCTAssertFalse(GainslyDatabase.version.isEmpty)
        XCTAssertEqual(GainslyDatabase.version.split(separator: ".").count, 3)
        XCTAssertGreaterThanOrEqual(GainslyDatabase.schemaVersion, 1)
        XCTAssertEqual(GainslyError.Code.invalid.description, "GS_ERR_INVALID")
        XCTAssertEqual(GainslyError.Code.noMemory.rawValue, -12)
        XCTAssertEqual(GainslyError.Code(rawValue: -999), .unknown(-999))
        XCTAssertEqual(GainslyError.Code.unknown(-999).description, "GS_UNKNOWN")
        for status in Int32(-12)...Int32(-1) {
            XCTAssertEqual(GainslyError.Code(rawValue: status).rawValue, status)
            if case .unknown = GainslyError.Code(rawValue: status) { XCTFail("status \(status) is unknown") }
        }
    }

    func testUnicodeRoundTripsByteForByte() throws {
        for (i, text) in unicodeSamples.enumerated() {
            var user = User(email: "u\(i)+\(text.prefix(2))@example.com", name: text)
            try db.insert(&user)
            let back = try db.get(User.self, id: user.id!)
            XCTAssertEqual(back.name.map { Array($0.utf8) }, Array(text.utf8), "sample \(i)")
            XCTAssertEqual(back.email.map { Array($0.utf8) }, user.email.map { Array($0.utf8) })
            // The raw JSON carries the same characters, and a filter on them finds the row.
            let json = try db.getJSON("users", id: user.id!)
            XCTAssertEqual(try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))["name"], .string(text))
            let found = try db.select(User.self, where: ["name": .text(text)])
            XCTAssertEqual(found.map(\.id), [user.id])
        }
    }

    func testUnicodeInJSONColumns() throws {
        let user = try newUser()
        let prefs: JSONValue = ["🏋️ lifting": 1, "𝕏": ["𠜎", 2.5, true, nil], "nested": ["ok": "é"]]
        let profile = UserProfile(userId: user.id, dateOfBirth: CalendarDate("1990-02-03"), sex: .female, heightCm: 170,
                                  disciplinePreferences: prefs, longTermGoalDescription: "Deadlift 2× 🐻")
        XCTAssertEqual(try db.insert(profile), user.id)  // keyed by user_id
        let back = try db.get(UserProfile.self, id: user.id!)
        XCTAssertEqual(back.disciplinePreferences, prefs)
        XCTAssertEqual(back.dateOfBirth, CalendarDate(year: 1990, month: 2, day: 3))
        XCTAssertEqual(back.sex, .female)
        XCTAssertEqual(back.longTermGoalDescription, "Deadlift 2× 🐻")
        XCTAssertNotNil(back.uid)
        XCTAssertNotNil(back.createdAt)
    }

    func testInsertSetsKeyAndColumnsTakeDefaults() throws {
        let user = try newUser()
        XCTAssertNotNil(user.id)
        let settings = try db.insertAndGet(UserSettings(userId: user.id!))
        XCTAssertEqual(settings.activeE1rmFormula, .epley)
        XCTAssertEqual(settings.useMetric, true)
        XCTAssertEqual(settings.uid?.count, 36)
        let session = try db.insertAndGet(Session(userId: user.id, date: CalendarDate("2025-03-01"), sessionType: .upper))
        XCTAssertEqual(session.intentTags, [])
        XCTAssertEqual(session.date, CalendarDate("2025-03-01"))
    }

    func testNumbersBoolsAndTimestamps() throws {
        let user = try newUser()
        let created = Date(timeIntervalSince1970: 1_700_000_000.123)
        let log = WorkoutLog(userId: user.id, workoutDate: CalendarDate("2024-02-29"), durationSeconds: 3_600,
                             perceivedEffort: 8, notes: "PR day 🎉", createdAt: created)
        let back = try db.insertAndGet(log)
        XCTAssertEqual(back.createdAt, created)
        XCTAssertEqual(back.workoutDate, CalendarDate(year: 2024, month: 2, day: 29))
        let json = try db.getJSON("workout_logs", id: back.id!)
        XCTAssertTrue(json.contains("\"2023-11-14T22:13:20.123Z\""), json)

        let movement = try movementID()
        let set = TopSetLog(userId: user.id, movementId: movement, setNumber: 1, reps: 5, loadKg: 102.5, rpe: 8.5,
                            velocity: 0.61, workoutLogId: back.id)
        let top = try db.insertAndGet(set)
        XCTAssertEqual(top.loadKg, 102.5)
        XCTAssertEqual(top.rpe, 8.5)
        XCTAssertEqual(top.velocity, 0.61)
        let program = try db.insertAndGet(Program(userId: user.id, name: "Block 1", startDate: CalendarDate("2025-01-06"),
                                                    durationWeeks: 8, goal1: .strength, goal2: .hypertrophy,
                                                    goalWeight1: 7, goalWeight2: 3, split: .upperLower))
        XCTAssertEqual(program.visibility, .private)
        let micro = try db.insertAndGet(Microcycle(programId: program.id, weekNumber: 1, deloadWeek: true))
        XCTAssertEqual(micro.deloadWeek, true)
        XCTAssertEqual(micro.status, .planned)
    }

    func testUpdateRecordWritesNullsAndKeepsNotNullColumns() throws {
        var user = try newUser(name: "Before")
        user.name = nil
        user.personaTone = .analytical
        try db.update(user)
        let back = try db.get(User.self, id: user.id!)
        XCTAssertNil(back.name)  // a nil nullable column is stored as NULL
        XCTAssertEqual(back.personaTone, .analytical)
        XCTAssertNotNil(back.createdAt)  // nil NOT NULL columns keep their value

        try db.update("users", id: user.id!, set: ["name": "Patched ✓", "persona_tone": nil])
        let patched = try db.get(User.self, id: user.id!)
        XCTAssertEqual(patched.name, "Patched ✓")
        XCTAssertNil(patched.personaTone)

        struct Rename: Encodable { let name: String }
        try db.update("users", id: user.id!, Rename(name: "Encodable 🙂"))
        XCTAssertEqual(try db.get(User.self, id: user.id!).name, "Encodable 🙂")
    }

    func testDeleteCascades() throws {
        let user = try newUser()
        let settingsID = try db.insert(UserSettings(userId: user.id!))
        try db.delete(user)
        XCTAssertNil(try db.find(User.self, id: user.id!))
        XCTAssertNil(try db.find(UserSettings.self, id: settingsID))
    }

    func testSelectFilters() throws {
        let a = try newUser("a@example.com", name: nil)
        let b = try newUser("b@example.com", name: "B")
        try db.update("users", id: b.id!, set: ["experience_level": GainslyValue(ExperienceLevel.advanced)])
        XCTAssertEqual(try db.select(User.self).map(\.id), [a.id, b.id])  // ordered by key
        XCTAssertEqual(try db.select(User.self, where: ["name": nil]).map(\.id), [a.id])
        XCTAssertEqual(try db.select(User.self, where: ["experience_level": "advanced"]).map(\.id), [b.id])
        XCTAssertEqual(try db.select(User.self, where: ["email": "nobody"]), [])
        XCTAssertEqual(try db.select(User.self, where: ["email": "a@example.com", "name": nil]).map(\.id), [a.id])
    }

    func testGenericCodableRowsAndRawJSON() throws {
        struct NewUser: Encodable {
            let email: String
            let name: String
            let experience_level: String
        }
        struct UserRow: Decodable, Equatable {
            let id: Int64
            let email: String
            let name: String
        }
        let id = try db.insert("users", NewUser(email: "g@example.com", name: "Generic 𝕏", experience_level: "beginner"))
        XCTAssertEqual(try db.get("users", id: id, as: UserRow.self), UserRow(id: id, email: "g@example.com", name: "Generic 𝕏"))
        let rows: [UserRow] = try db.select("users", where: ["experience_level": "beginner"])
        XCTAssertEqual(rows.map(\.id), [id])

        let rawID = try db.insertJSON("users", #"{"email":"raw@example.com","name":"Raw 🧪"}"#)
        let text = try db.selectJSON("users", where: #"{"name":"Raw 🧪"}"#)
        XCTAssertTrue(text.hasPrefix("[{") && text.contains("Raw 🧪"), text)
        try db.updateJSON("users", id: rawID, #"{"name":null}"#)
        XCTAssertNil(try db.get(User.self, id: rawID).name)
        try db.delete("users", id: rawID)
        XCTAssertEqual(try db.selectJSON("users", where: #"{"email":"raw@example.com"}"#), "[]")
    }

    func testEveryRecordTypeMapsItsTableAndDecodesItsRows() throws {
        XCTAssertGreaterThanOrEqual(allRecordTypes.count, 30)
        for type in allRecordTypes {
            // Every mapped column exists: a filter on it is accepted.
            for column in type.columnNames {
                XCTAssertNoThrow(try db.selectJSON(type.tableName, where: "{\"\(column)\":null}"), "\(type).\(column)")
            }
            XCTAssertTrue(type.columnNames.contains(type.keyColumn))
            XCTAssertTrue(type.columnNames.contains("uid"))
            // Every stored row (the reference catalog) decodes into the record type.
            XCTAssertNoThrow(try decodeAll(type), "\(type)")
        }
        XCTAssertGreaterThan(try db.select(Movement.self).count, 0)
    }

    private func decodeAll<R: GainslyRecord>(_ type: R.Type) throws {
        let rows = try db.select(type)
        for row in rows { XCTAssertNotNil(row.primaryKey) }
    }

    func testSchemaEnumsAreExtensible() throws {
        XCTAssertEqual(MovementPattern.allCases.first, .squat)
        XCTAssertTrue(PrimaryRegion.anteriorLower.isKnown)
        XCTAssertEqual(PrimaryRegion.anteriorLower.rawValue, "anterior lower")
        let unknown: SessionType = "future_type"
        XCTAssertFalse(unknown.isKnown)
        XCTAssertEqual(try JSONDecoder().decode([SessionType].self, from: Data(#"["push","x"]"#.utf8)), [.push, "x"])
    }

    func testCalendarDatesAndTimestamps() throws {
        XCTAssertNil(CalendarDate("2023-02-29"))
        XCTAssertNotNil(CalendarDate("2024-02-29"))
        XCTAssertNil(CalendarDate("2024-1-01"))
        XCTAssertLessThan(CalendarDate("2024-12-31")!, CalendarDate("2025-01-01")!)
        XCTAssertEqual(CalendarDate(year: 7, month: 3, day: 9)?.description, "0007-03-09")
        let utcDay = CalendarDate(Date(timeIntervalSince1970: 0), in: TimeZone(identifier: "UTC")!)
        XCTAssertEqual(utcDay, CalendarDate("1970-01-01"))
        XCTAssertEqual(Timestamp.format(Date(timeIntervalSince1970: -0.001)), "1969-12-31T23:59:59.999Z")
        XCTAssertEqual(Timestamp.parse("2025-01-31T20:04:05.5+02:00"), Timestamp.parse("2025-01-31T18:04:05.500Z"))
        XCTAssertNil(Timestamp.parse("2025-01-31T18:04:05"))  // no zone
        for ms in [Int64(0), 1, 999, 1_700_000_000_123, 253_402_300_799_999] {
            let date = Date(timeIntervalSince1970: Double(ms) / 1000)
            XCTAssertEqual(Timestamp.parse(Timestamp.format(date)), date)
        }
    }
}
