import CGainsly
import Foundation

// Offline-first sync with PostgreSQL (gs_sync_run and the device/server halves), and the sealing of
// OAuth tokens. Reports are typed (`SyncReport`, `SyncStatus`, `SyncPageReport`, each with the whole
// document in `json`); batches, requests and pages are JSON text to be carried verbatim.

/// Options of the sync calls (gs_sync_options).
public struct SyncOptions: Hashable, Sendable {
    /// The account (uid of its users row) this file syncs as; nil: the recorded one, or the file's only user.
    public var userUid: String?
    /// Changes per push batch and rows per pulled page (1-100000; 0: the default, 1000).
    public var batchRows: Int32
    /// Connect and statement timeout in milliseconds (0: none).
    public var timeoutMs: Int32

    public init(userUid: String? = nil, batchRows: Int32 = 0, timeoutMs: Int32 = 30_000) {
        self.userUid = userUid
        self.batchRows = batchRows
        self.timeoutMs = timeoutMs
    }

    /// Runs `body` with the C struct (valid only inside it).
    func withC<R>(_ body: (UnsafePointer<gs_sync_options>) throws -> R) throws -> R {
        func run(_ uid: UnsafePointer<CChar>?) throws -> R {
            var o = gs_sync_options()
            o.size = UInt32(MemoryLayout<gs_sync_options>.size)
            o.user_uid = uid
            o.batch_rows = batchRows
            o.timeout_ms = timeoutMs
            return try withUnsafePointer(to: &o) { try body($0) }
        }
        guard let userUid else { return try run(nil) }
        try GainslyDatabase.checkNoNUL(userUid, "user_uid")
        return try userUid.withCString { try run($0) }
    }
}

extension GainslyDatabase {
    /// Pushes this file's changes, then pulls the account's until the file is current. Resumable:
    /// after a failure (`.io` for a lost connection) call it again. `.auth`: credentials refused.
    @discardableResult
    public func sync(conninfo: String, options: SyncOptions = SyncOptions()) throws -> SyncReport {
        try decode(SyncReport.self, from: syncJSON(conninfo: conninfo, options: options), table: "sync")
    }

    /// `sync` returning the report as JSON text.
    @discardableResult
    public func syncJSON(conninfo: String, options: SyncOptions = SyncOptions()) throws -> String {
        try GainslyDatabase.checkNoNUL(conninfo, "conninfo")
        return try options.withC { o in try callReturningString { gs_sync_run($0, conninfo, o, $1) } }
    }

    /// The file's sync state (outbox, inflight, parked, cursor, last error ...); nothing is read from the server.
    public func syncStatus() throws -> SyncStatus {
        try decode(SyncStatus.self, from: syncStatusJSON(), table: "sync")
    }

    /// `syncStatus` as JSON text.
    public func syncStatusJSON() throws -> String {
        try callReturningString { gs_sync_status_get($0, $1) }
    }

    /// The next push batch for your own transport, or nil when nothing is pending. The same batch
    /// comes back until its acknowledgement is imported: resend it verbatim.
    public func syncExport(options: SyncOptions = SyncOptions()) throws -> String? {
        try options.withC { o in try callReturningOptionalString { gs_sync_export_batch($0, o, $1) } }
    }

    /// Imports the server's acknowledgement (`SyncServer.push`) of the exported batch.
    public func syncImportAck(_ ackJSON: String) throws {
        try GainslyDatabase.checkNoNUL(ackJSON, "ack")
        try call { gs_sync_import_ack($0, ackJSON) }
    }

    /// The next pull request for your own transport.
    public func syncPullRequest(options: SyncOptions = SyncOptions()) throws -> String {
        try options.withC { o in try callReturningString { gs_sync_export_request($0, o, $1) } }
    }

    /// Applies a pulled page (`SyncServer.pull`) in one transaction; ask for the next page while
    /// the report says "more": true.
    @discardableResult
    public func syncImport(_ pageJSON: String) throws -> SyncPageReport {
        try GainslyDatabase.checkNoNUL(pageJSON, "page")
        return try decode(SyncPageReport.self, from: callReturningString { gs_sync_import_page($0, pageJSON, $1) }, table: "sync")
    }
}

/// The server half of sync, for setup and for trusted backends or tools that carry the documents
/// themselves: a connection kept between `push` and `pull` calls (replaced when it was lost) and
/// closed by `close()` or when the object is released. Calls on one `SyncServer` take turns, from any
/// thread; open one per thread to serve in parallel. A wrong password or a server never set up
/// fails in `init`.
public final class SyncServer: @unchecked Sendable {
    private let lock = NSLock()
    private var handle: OpaquePointer?

    /// Connects to the server of `conninfo` (libpq's key=value or URI). `accountRole`: act as this
    /// account's role, for a backend connected with its own credentials; `timeoutMs`: 1...600000.
    public init(conninfo: String, accountRole: String? = nil, timeoutMs: Int32 = 30000) throws {
        try GainslyDatabase.checkNoNUL(conninfo, "conninfo")
        if let accountRole { try GainslyDatabase.checkNoNUL(accountRole, "account_role") }
        func open(_ role: UnsafePointer<CChar>?) -> (Int32, OpaquePointer?) {
            var opts = gs_server_options()
            opts.size = UInt32(MemoryLayout<gs_server_options>.size)
            opts.account_role = role
            opts.timeout_ms = timeoutMs
            var h: OpaquePointer?
            let status = gs_server_open(conninfo, &opts, &h)
            return (status, h)
        }
        let (status, h) = accountRole.map { $0.withCString { open($0) } } ?? open(nil)
        guard status == GS_OK, let h else { throw GainslyError.lastOnThread(status) }
        handle = h
    }

    deinit { gs_server_close(handle) }

    /// Closes the connection. Closing twice does nothing; `push` and `pull` afterwards throw `.invalid`.
    public func close() {
        lock.lock()
        defer { lock.unlock() }
        gs_server_close(handle)
        handle = nil
    }

    /// Whether `close()` has not been called yet.
    public var isOpen: Bool {
        lock.lock()
        defer { lock.unlock() }
        return handle != nil
    }

    /// Applies a push batch (`GainslyDatabase.syncExport`) and returns the acknowledgement.
    public func push(batchJSON: String) throws -> String {
        try call(batchJSON, "batch") { h, b, out in gs_server_push(h, b, out) }
    }

    /// One page for a pull request (`GainslyDatabase.syncPullRequest`).
    public func pull(requestJSON: String) throws -> String {
        try call(requestJSON, "request") { h, q, out in gs_server_pull(h, q, out) }
    }

    /// Creates or migrates the server side in the database of `conninfo` (an admin connection).
    @discardableResult
    public static func setup(conninfo: String) throws -> JSONValue {
        try GainslyDatabase.checkNoNUL(conninfo, "conninfo")
        return try report(GainslyDatabase.callWithoutHandle { gs_server_setup(conninfo, $0) })
    }

    /// Creates (or re-keys) the login role `role` for the account `userUid` with `password`.
    @discardableResult
    public static func addAccount(adminConninfo: String, userUid: String, role: String, password: String) throws -> JSONValue {
        for (value, name) in [(adminConninfo, "conninfo"), (userUid, "user_uid"), (role, "role"), (password, "password")] {
            try GainslyDatabase.checkNoNUL(value, name)
        }
        return try report(GainslyDatabase.callWithoutHandle { gs_server_add_account(adminConninfo, userUid, role, password, $0) })
    }

    private func call(_ json: String, _ what: String,
                      _ body: (OpaquePointer, UnsafePointer<CChar>, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32) throws -> String {
        try GainslyDatabase.checkNoNUL(json, what)
        lock.lock()
        defer { lock.unlock() }
        guard let h = handle else { throw GainslyError.invalid("server: closed") }
        let result = try json.withCString { j in try GainslyDatabase.callWithoutHandle { body(h, j, $0) } }
        guard let result else { throw GainslyError(code: .internal, message: "the library returned no result") }
        return result
    }

    private static func report(_ text: String?) throws -> JSONValue {
        guard let text else { return .null }
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        } catch {
            throw GainslyError(code: .internal, message: "report: \(error)")
        }
    }
}

// MARK: - Token sealing

/// Seals and opens secrets (OAuth tokens of external_provider_accounts), e.g. with a Keychain key.
/// Called on the thread that called the library; throwing makes the library call fail.
public protocol TokenSealer: AnyObject {
    func seal(_ plain: [UInt8]) throws -> [UInt8]
    func open(_ sealed: [UInt8]) throws -> [UInt8]
}

/// Holds the sealer for the C callbacks (the `context`), and the output of a call whose buffer was
/// too small, so the sealer runs once per value even when the library asks twice.
final class SealerBox {
    let sealer: TokenSealer
    var pending: (seal: Bool, input: [UInt8], output: [UInt8])?
    var lastError: Error?

    init(_ sealer: TokenSealer) { self.sealer = sealer }

    static func callback(_ context: UnsafeMutableRawPointer?, seal: Bool, _ input: UnsafePointer<CChar>?, _ inputLength: Int,
                         _ out: UnsafeMutablePointer<CChar>?, _ capacity: Int, _ outLength: UnsafeMutablePointer<Int>?) -> Int32 {
        guard let context, let outLength else { return 1 }
        let box = Unmanaged<SealerBox>.fromOpaque(context).takeUnretainedValue()
        let bytes = input.map { Array(UnsafeBufferPointer(start: UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self),
                                                          count: inputLength)) } ?? []
        let output: [UInt8]
        if let p = box.pending, p.seal == seal, p.input == bytes {
            output = p.output
        } else {
            do {
                output = seal ? try box.sealer.seal(bytes) : try box.sealer.open(bytes)
            } catch {
                box.lastError = error
                box.pending = nil
                return 1
            }
        }
        outLength.pointee = output.count
        guard output.count <= capacity, let out else {
            box.pending = (seal, bytes, output)  // the library calls again with a larger buffer
            return 0
        }
        output.withUnsafeBytes { UnsafeMutableRawPointer(out).copyMemory(from: $0.baseAddress!, byteCount: output.count) }
        box.pending = nil
        return 0
    }
}

private func sealCallback(_ context: UnsafeMutableRawPointer?, _ input: UnsafePointer<CChar>?, _ inputLength: Int,
                          _ out: UnsafeMutablePointer<CChar>?, _ capacity: Int, _ outLength: UnsafeMutablePointer<Int>?) -> Int32 {
    SealerBox.callback(context, seal: true, input, inputLength, out, capacity, outLength)
}

private func openCallback(_ context: UnsafeMutableRawPointer?, _ input: UnsafePointer<CChar>?, _ inputLength: Int,
                          _ out: UnsafeMutablePointer<CChar>?, _ capacity: Int, _ outLength: UnsafeMutablePointer<Int>?) -> Int32 {
    SealerBox.callback(context, seal: false, input, inputLength, out, capacity, outLength)
}

extension GainslyDatabase {
    /// Registers the sealer of this database's tokens (nil removes it). access_token and
    /// refresh_token accept only sealed values; the GainslyDatabase keeps the sealer alive.
    public func setTokenSealer(_ sealer: TokenSealer?) throws {
        guard let sealer else {
            try call { gs_token_set_sealer($0, nil) }
            sealerBox = nil
            return
        }
        let box = SealerBox(sealer)
        var c = gs_token_sealer()
        c.size = UInt32(MemoryLayout<gs_token_sealer>.size)
        c.context = Unmanaged.passUnretained(box).toOpaque()
        c.seal = sealCallback
        c.open = openCallback
        try call { h in withUnsafePointer(to: &c) { gs_token_set_sealer(h, $0) } }
        sealerBox = box  // after success: the previous box stays alive until the library stops using it
    }

    /// Seals a token with the registered sealer: what to store in access_token / refresh_token.
    public func sealToken(_ plain: String) throws -> String {
        try GainslyDatabase.checkNoNUL(plain, "token")
        return try withSealerError { try callReturningString { gs_token_seal($0, plain, $1) } }
    }

    /// Opens a sealed token with the registered sealer.
    public func openToken(_ sealed: String) throws -> String {
        try GainslyDatabase.checkNoNUL(sealed, "token")
        return try withSealerError { try callReturningString { gs_token_unseal($0, sealed, $1) } }
    }

    /// Adds the sealer's own error, if it threw, to the library's message.
    private func withSealerError<T>(_ body: () throws -> T) throws -> T {
        sealerBox?.lastError = nil
        do {
            return try body()
        } catch let error as GainslyError {
            guard let cause = sealerBox?.lastError else { throw error }
            sealerBox?.lastError = nil
            throw GainslyError(code: error.code, message: "\(error.message) (sealer: \(cause))")
        }
    }
}
