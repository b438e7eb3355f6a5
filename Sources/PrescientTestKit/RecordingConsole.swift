import PrescientRuntime
import Synchronization

/// A console that keeps what was written, for assertions. Never a terminal.
public final class RecordingConsole: Console {
    private let state = Mutex<(out: String, err: String)>(("", ""))
    public let errIsTerminal: Bool

    public init(errIsTerminal: Bool = false) { self.errIsTerminal = errIsTerminal }

    public func out(_ text: String) { state.withLock { $0.out += text } }
    public func err(_ text: String) { state.withLock { $0.err += text } }

    public var stdout: String { state.withLock { $0.out } }
    public var stderr: String { state.withLock { $0.err } }
}
