#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Where a command's text goes: results to `out`, diagnostics and progress to `err`.
///
/// Implementation requirements: thread-safe; `errIsTerminal` is true only when diagnostics reach
/// a person (progress lines are shown then, and never when output is piped or captured).
public protocol Console: Sendable {
    func out(_ text: String)
    func err(_ text: String)
    var errIsTerminal: Bool { get }
}

/// The process's standard output and standard error.
public final class StandardConsole: Console {
    public let errIsTerminal: Bool
    private let lock = Mutex<Void>(())

    public init() { errIsTerminal = isatty(2) == 1 }

    public func out(_ text: String) { lock.withLock { _ in Self.write(1, text) } }
    public func err(_ text: String) { lock.withLock { _ in Self.write(2, text) } }

    private static func write(_ fd: Int32, _ text: String) {
        var t = text
        t.withUTF8 { p in
            var off = 0
            while off < p.count {
                let n = Glibc.write(fd, p.baseAddress! + off, p.count - off)
                if n < 0 { if errno == EINTR { continue }; return }
                off += n
            }
        }
    }
}

/// A one-line progress display on a terminal: `\r`-rewritten at most every `interval` seconds,
/// showing done/total, rate and ETA; silent when diagnostics are not a terminal.
public final class ProgressLine {
    private let console: any Console
    private let label: String
    private let unit: String
    private let started: Double
    private var lastShown = 0.0
    private let interval: Double
    private var shown = false
    private let clock: () -> Double

    public init(console: any Console, label: String, unit: String, interval: Double = 0.25,
                clock: @escaping () -> Double = monotonicSeconds) {
        self.console = console; self.label = label; self.unit = unit; self.interval = interval
        self.clock = clock
        started = clock()
    }

    /// Reports progress: `count` items so far; `fraction` of the whole done (0…1) when known.
    public func update(count: Int, fraction: Double?) {
        guard console.errIsTerminal else { return }
        let now = clock()
        guard now - lastShown >= interval else { return }
        lastShown = now
        let elapsed = max(now - started, 1e-9)
        let rate = Double(count) / elapsed
        var line = "\(label): \(Formatting.rate(Double(count))) \(unit)  \(Formatting.rate(rate)) \(unit)/s"
        if let f = fraction, f > 0.001 {
            line += "  \(Int(f * 100))%  ETA \(Formatting.seconds(max(0, elapsed / f - elapsed)))"
        }
        console.err("\r\u{1B}[2K" + line)
        shown = true
    }

    /// Clears the line (call before printing the summary).
    public func finish() {
        if shown { console.err("\r\u{1B}[2K") }
    }
}
