/// Errors of the runtime layer, grouped by what the caller does next (after cluster-autoscaler's
/// `utils/errors`): fix the input, fix the configuration, retry, or report a bug.
public struct RuntimeError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// The data is bad (exit 65): the user fixes the input.
        case badInput
        /// The command or configuration is wrong (exit 64/78): the user fixes the invocation.
        case configuration
        /// A file or service could not be reached (exit 74): retry or fix the environment.
        case io
        /// A broken invariant: a bug.
        case invariant
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) { self.kind = kind; self.message = message }

    public var description: String { message }
}
