import Dispatch
import Foundation

/// One `GainslyDatabase` connection shared by any number of tasks and threads, in the manner of
/// GRDB's `DatabaseQueue`: every `read` and `write` runs its closure alone on a private serial
/// dispatch queue, one after another, and the caller awaits the result.
///
/// The closures run on that queue, not on Swift's cooperative thread pool, because library calls
/// block (a sync waits on the network, a plan searches for up to its time limit); the pool's few
/// threads stay free. A closure must not await the same queue (it would wait for itself), and inside
/// `read` and `write` a transaction is already open (`begin`/`transaction` there throw `.invalid`).
///
/// ```swift
/// let queue = try GainslyQueue(path: path)
/// let id = try await queue.write { db in try db.insert(User(name: "Ana")) }   // one transaction
/// let users = try await queue.read { db in try db.select(User.self) }
/// ```
public final class GainslyQueue: @unchecked Sendable {
    // Sendable by confinement: `db` is touched only by closures running on `queue`.
    private let db: GainslyDatabase
    private let queue: DispatchQueue
    /// The path the database was opened with.
    public let path: String

    /// Opens (creating, migrating and loading the catalog as needed) the database file at `path`.
    public init(path: String) throws {
        db = try GainslyDatabase(path: path)
        self.path = path
        queue = DispatchQueue(label: "app.gainsly.queue")
    }

    /// Runs `body` in a transaction: it commits when `body` returns and rolls back, rethrowing,
    /// when it throws. No other closure of this queue runs in between.
    public func write<T: Sendable>(_ body: @escaping @Sendable (GainslyDatabase) throws -> T) async throws -> T {
        try await run { db in try db.transaction(body) }
    }

    /// Runs `body` in a transaction that is always rolled back: it reads one consistent state of
    /// the file, and anything it writes is discarded.
    public func read<T: Sendable>(_ body: @escaping @Sendable (GainslyDatabase) throws -> T) async throws -> T {
        try await run { db in
            try db.begin()
            defer { try? db.rollback() }
            return try body(db)
        }
    }

    /// Runs `body` alone on the connection without opening a transaction, for calls that manage
    /// their own (such as `sync`) or for `begin`/`commit` by hand.
    public func writeWithoutTransaction<T: Sendable>(_ body: @escaping @Sendable (GainslyDatabase) throws -> T) async throws -> T {
        try await run(body)
    }

    /// Closes the connection after the closures already queued; later calls throw `.invalid`.
    public func close() async {
        _ = try? await run { db in db.close() }
    }

    private func run<T: Sendable>(_ body: @escaping @Sendable (GainslyDatabase) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body(self.db) }) }
        }
    }
}
