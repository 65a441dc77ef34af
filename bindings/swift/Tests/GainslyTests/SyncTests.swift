import Foundation
import Gainsly
import XCTest

/// Reverses and XORs the bytes, behind a marker: enough to see that sealing happened.
final class TestSealer: TokenSealer {
    struct Refused: Error {}
    var refuse = false
    var calls = 0
    func seal(_ plain: [UInt8]) throws -> [UInt8] {
        calls += 1
        if refuse { throw Refused() }
        return Array("sealed:".utf8) + plain.reversed().map { $0 ^ 0x5A }
    }
    func open(_ sealed: [UInt8]) throws -> [UInt8] {
        calls += 1
        if refuse { throw Refused() }
        guard sealed.starts(with: Array("sealed:".utf8)) else { throw Refused() }
        return sealed.dropFirst(7).map { $0 ^ 0x5A }.reversed()
    }
}

final class TokenTests: DatabaseTestCase {
    func testTokensAreSealedAndOpenedByTheHostSealer() throws {
        assertGainslyError(.invalid) { try db.sealToken("no sealer yet") }
        let sealer = TestSealer()
        try db.setTokenSealer(sealer)
        for token in ["ya29.a0AfH6SM", "tok 🔑 𝕏 \u{10FFFF}", String(repeating: "long-", count: 2_000)] {
            let sealed = try db.sealToken(token)
            XCTAssertTrue(sealed.hasPrefix("gs-sealed:"), sealed)
            XCTAssertFalse(sealed.contains(token))
            XCTAssertEqual(try db.openToken(sealed), token)
        }
        XCTAssertGreaterThan(sealer.calls, 0)

        let user = try newUser()
        let sealed = try db.sealToken("access 🔐")
        let account = try db.insertAndGet(ExternalProviderAccount(userId: user.id, providerType: .strava,
                                                                     accessToken: sealed))
        XCTAssertEqual(try db.openToken(account.accessToken!), "access 🔐")
        assertGainslyError(.constraint, "external_provider_accounts.access_token", "sealed") {
            try db.insert(ExternalProviderAccount(userId: user.id, providerType: .garmin, accessToken: "plain text"))
        }

        sealer.refuse = true
        assertGainslyError(.auth, "seal", "Refused") { try db.sealToken("x") }  // with the sealer's own error
        try db.setTokenSealer(nil)
        assertGainslyError(.invalid) { try db.openToken(sealed) }
    }
}

/// Sync against the throw-away PostgreSQL database that bindings/tools/with_pg_database.sh makes
/// (GAINSLY_TEST_PG); skipped without one unless GAINSLY_REQUIRE_PG=1.
final class SyncTests: DatabaseTestCase {
    func postgres() throws -> (admin: String, rolePrefix: String) {
        let env = ProcessInfo.processInfo.environment
        guard let admin = env["GAINSLY_TEST_PG"], !admin.isEmpty else {
            if env["GAINSLY_REQUIRE_PG"] == "1" { XCTFail("GAINSLY_REQUIRE_PG=1 but GAINSLY_TEST_PG is not set") }
            throw XCTSkip("no PostgreSQL (GAINSLY_TEST_PG)")
        }
        return (admin, env["GAINSLY_TEST_PG_ROLE_PREFIX"] ?? "gs_bind")
    }

    /// `conninfo` with the user and password replaced.
    func conninfo(_ base: String, user: String, password: String) -> String {
        let kept = base.split(separator: " ").filter { !$0.hasPrefix("user=") && !$0.hasPrefix("password=") }
        return (kept + ["user=\(user)", "password=\(password)"]).joined(separator: " ")
    }

    func testSyncBetweenTwoDevicesAndOwnTransport() throws {
        let pg = try postgres()
        let setup = try SyncServer.setup(conninfo: pg.admin)
        XCTAssertNotNil(setup["schema_version"], "\(setup)")
        XCTAssertNoThrow(try SyncServer.setup(conninfo: pg.admin))  // idempotent

        let user = try newUser("sync@example.com", name: "Sync 🔄 𝕏")
        let role = "\(pg.rolePrefix)_swift", password = "pw-\(UUID().uuidString)"
        try SyncServer.addAccount(adminConninfo: pg.admin, userUid: user.uid!, role: role, password: password)
        let account = conninfo(pg.admin, user: role, password: password)

        let pushed = try db.sync(conninfo: account)
        XCTAssertGreaterThanOrEqual(pushed.pushed, 1, "\(pushed.json)")
        XCTAssertEqual(pushed.json["pushed"], .integer(pushed.pushed))
        XCTAssertEqual(pushed.outbox, 0)
        XCTAssertTrue(pushed.initialPullComplete && pushed.durationMs >= 0, "\(pushed.json)")
        XCTAssertEqual(pushed.json["rejected"]?.arrayValue?.count, pushed.rejected.count)
        let status = try db.syncStatus()
        XCTAssertEqual(status.outbox, 0)
        XCTAssertEqual(status.user, user.uid)
        XCTAssertTrue(!status.inflight && status.lastError == nil && status.lastPushAt != nil, "\(status.json)")

        // A second device signs in as the same account and pulls everything.
        let other = try GainslyDatabase(path: file("device-b.db"))
        defer { other.close() }
        try other.sync(conninfo: account, options: SyncOptions(userUid: user.uid, batchRows: 50))
        let copy = try other.select(User.self, where: ["uid": .text(user.uid!)])
        XCTAssertEqual(copy.map(\.name), ["Sync 🔄 𝕏"])

        // The device half over the app's own transport.
        try db.update("users", id: user.id!, set: ["name": "Renamed ✈️"])
        let batch = try XCTUnwrap(try db.syncExport())
        XCTAssertEqual(try db.syncExport(), batch)  // resent verbatim until acknowledged
        let live = GainslyDatabase.liveObjects
        let server = try SyncServer(conninfo: account)
        XCTAssertEqual(GainslyDatabase.liveObjects, live + 1)
        let ack = try server.push(batchJSON: batch)
        try db.syncImportAck(ack)
        XCTAssertNil(try db.syncExport())
        var pages = 0
        defer {
            server.close()
            XCTAssertFalse(server.isOpen)
            XCTAssertThrowsError(try server.pull(requestJSON: "{}")) { XCTAssertEqual(($0 as? GainslyError)?.code, .invalid) }
            XCTAssertEqual(GainslyDatabase.liveObjects, live)
        }
        while true {
            let request = try other.syncPullRequest()
            let page = try server.pull(requestJSON: request)
            let report = try other.syncImport(page)
            pages += 1
            if !report.more || pages > 100 { break }
        }
        XCTAssertEqual(try other.select(User.self, where: ["uid": .text(user.uid!)]).map(\.name), ["Renamed ✈️"])
    }

    func testSyncErrors() throws {
        let pg = try postgres()
        try SyncServer.setup(conninfo: pg.admin)
        let user = try newUser("auth@example.com")
        let role = "\(pg.rolePrefix)_swift_auth"
        try SyncServer.addAccount(adminConninfo: pg.admin, userUid: user.uid!, role: role, password: "right-password")
        assertGainslyError(.auth) { try db.sync(conninfo: conninfo(pg.admin, user: role, password: "wrong-password")) }
        XCTAssertNotNil(try db.syncStatus().lastError)
        assertGainslyError(.auth) { _ = try SyncServer(conninfo: conninfo(pg.admin, user: role, password: "wrong-password")) }
        assertGainslyError(.invalid, "opts.timeout_ms") {
            _ = try SyncServer(conninfo: conninfo(pg.admin, user: role, password: "right-password"), timeoutMs: 0)
        }
        assertGainslyError(.io) { try db.sync(conninfo: "host=127.0.0.1 port=1 dbname=x user=x connect_timeout=2") }
        assertGainslyError(.invalid, "batch") { try db.syncExport(options: SyncOptions(batchRows: -5)) }
        assertGainslyError(.invalid, "password") {
            try SyncServer.addAccount(adminConninfo: pg.admin, userUid: user.uid!, role: role, password: "short")
        }
        assertGainslyError(.invalid) { try db.syncImport("{nope") }
    }
}
