import CGainsly
import Foundation

/// The one error type of the Gainsly API: a status `code` of the C ABI and the library's `message`,
/// which names the table and column at fault (`users.email: ...`).
public struct GainslyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The status codes of the C ABI (`GS_ERR_*`).
    public enum Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        case invalid        // GS_ERR_INVALID: bad argument, JSON, table, column, type or enum value
        case notFound       // GS_ERR_NOT_FOUND
        case constraint     // GS_ERR_CONSTRAINT: CHECK, UNIQUE or FOREIGN KEY
        case infeasible     // GS_ERR_INFEASIBLE: the planner's hard constraints cannot all hold
        case io             // GS_ERR_IO
        case corrupt        // GS_ERR_CORRUPT: not a Gainsly database, or a damaged one
        case busy           // GS_ERR_BUSY
        case sync           // GS_ERR_SYNC
        case auth           // GS_ERR_AUTH
        case version        // GS_ERR_VERSION
        case `internal`     // GS_ERR_INTERNAL: a bug in the library
        case noMemory       // GS_ERR_NOMEM
        case canceled       // GS_ERR_CANCELED: a progress callback stopped the call
        case readOnly       // GS_ERR_READONLY: a write on a read-only handle
        case unknown(Int32) // a status this binding does not know

        public init(rawValue: Int32) {
            switch rawValue {
            case GS_ERR_INVALID: self = .invalid
            case GS_ERR_NOT_FOUND: self = .notFound
            case GS_ERR_CONSTRAINT: self = .constraint
            case GS_ERR_INFEASIBLE: self = .infeasible
            case GS_ERR_IO: self = .io
            case GS_ERR_CORRUPT: self = .corrupt
            case GS_ERR_BUSY: self = .busy
            case GS_ERR_SYNC: self = .sync
            case GS_ERR_AUTH: self = .auth
            case GS_ERR_VERSION: self = .version
            case GS_ERR_INTERNAL: self = .internal
            case GS_ERR_NOMEM: self = .noMemory
            case GS_ERR_CANCELED: self = .canceled
            case GS_ERR_READONLY: self = .readOnly
            default: self = .unknown(rawValue)
            }
        }

        /// The C status (`GS_ERR_*`, negative).
        public var rawValue: Int32 {
            switch self {
            case .invalid: return GS_ERR_INVALID
            case .notFound: return GS_ERR_NOT_FOUND
            case .constraint: return GS_ERR_CONSTRAINT
            case .infeasible: return GS_ERR_INFEASIBLE
            case .io: return GS_ERR_IO
            case .corrupt: return GS_ERR_CORRUPT
            case .busy: return GS_ERR_BUSY
            case .sync: return GS_ERR_SYNC
            case .auth: return GS_ERR_AUTH
            case .version: return GS_ERR_VERSION
            case .internal: return GS_ERR_INTERNAL
            case .noMemory: return GS_ERR_NOMEM
            case .canceled: return GS_ERR_CANCELED
            case .readOnly: return GS_ERR_READONLY
            case .unknown(let status): return status
            }
        }

        // Codes are equal when their C statuses are (`.unknown(-1)` is `.invalid`).
        public static func == (a: Code, b: Code) -> Bool { a.rawValue == b.rawValue }
        public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

        /// The C name, e.g. "GS_ERR_INVALID" (gs_status_name).
        public var description: String { String(cString: gs_status_name(rawValue)) }
    }

    public let code: Code
    public let message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The raw C status of `code`.
    public var status: Int32 { code.rawValue }

    public var description: String { "\(code): \(message)" }

    static func invalid(_ message: String) -> GainslyError { GainslyError(code: .invalid, message: message) }

    /// The error of the last failed call without a handle on this thread (gs_error_message(NULL)).
    static func lastOnThread(_ status: Int32) -> GainslyError {
        GainslyError(code: Code(rawValue: status), message: String(cString: gs_error_message(nil)))
    }
}

extension GainslyError: LocalizedError {
    public var errorDescription: String? { message }
}
