import PrescientCore
import PrescientRuntime

/// HAProxy's runtime API over its admin-level stats socket (`stats socket PATH level admin`):
/// one connection per command, the command's text sent, the reply read to EOF and classified by
/// the pure `HAProxyCommand` codec. A refusal is an error naming the command and HAProxy's words.
public struct HAProxyRuntime: Sendable {
    public let socketPath: String
    /// Seconds to wait for HAProxy at each step.
    public var timeout: Double

    public init(socketPath: String, timeout: Double = 5) { self.socketPath = socketPath; self.timeout = timeout }

    /// Sends one command and returns its classified reply (`.refused` is thrown, not returned).
    @discardableResult
    public func send(_ command: HAProxyCommand) throws(RuntimeError) -> HAProxyCommand.Reply {
        let text: String
        do { text = try command.text() } catch { throw RuntimeError(.badInput, "haproxy: \(error)") }
        let reply = try raw(text)
        let parsed = command.parse(reply)
        if case .refused(let why) = parsed {
            throw RuntimeError(.io, "haproxy \(socketPath): '\(text.prefix { $0 != "\n" })' refused: \(why.prefix(300))")
        }
        return parsed
    }

    /// Sends command text as is and returns the whole reply.
    public func raw(_ text: String) throws(RuntimeError) -> String {
        let socket = try Socket.unix(socketPath, timeout: timeout)
        try socket.send(text)
        return String(decoding: try socket.receiveToEOF(), as: UTF8.self)
    }

    /// The servers of `backend` as HAProxy has them now.
    public func servers(backend: String) throws(RuntimeError) -> [BackendServer] {
        let name: String
        do { name = try HAProxyCommand.checked(backend, "backend") } catch { throw RuntimeError(.badInput, "haproxy: \(error)") }
        let reply = try raw("show servers state \(name)\n")
        do { return try BackendServer.parseState(reply) } catch { throw RuntimeError(.io, "haproxy \(socketPath): \(error)") }
    }

    /// Brings `backend`'s servers to `wanted` (`ServerPoolChange`): adds and enables new ones,
    /// reweights, drains the ones no longer wanted and deletes those drained at the previous sync.
    /// Returns the commands it ran.
    @discardableResult
    public func sync(backend: String, wanted: [BackendServer]) throws(RuntimeError) -> [HAProxyCommand] {
        let commands = ServerPoolChange.commands(backend: backend, current: try servers(backend: backend), wanted: wanted)
        for c in commands { try send(c) }
        return commands
    }
}
