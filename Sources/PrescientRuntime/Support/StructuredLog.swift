import PrescientCore
import Synchronization

/// Structured log lines with levels, as logfmt (`ts=… level=info msg="…" key=value`) or JSON
/// objects, one per line. Thread-safe. Callers pass fields, never secrets: nothing here redacts.
public final class StructuredLog: Sendable {
    public enum Level: Int, Sendable, Comparable, CaseIterable {
        case debug, info, warn, error
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
        public init?(name: String) {
            guard let l = Self.allCases.first(where: { "\($0)" == name }) else { return nil }
            self = l
        }
    }
    public enum Format: String, Sendable { case logfmt, json }

    let format: Format
    let minimum: Level
    let now: @Sendable () -> Timestamp
    private let write: Mutex<(String) -> Void>

    public init(format: Format, minimum: Level, now: @escaping @Sendable () -> Timestamp, write: @escaping @Sendable (String) -> Void) {
        self.format = format; self.minimum = minimum; self.now = now; self.write = Mutex(write)
    }

    public func log(_ level: Level, _ message: String, _ fields: [(String, String)] = []) {
        guard level >= minimum else { return }
        let all = [("ts", now().rfc3339), ("level", "\(level)"), ("msg", message)] + fields
        var line = ""
        switch format {
        case .logfmt:
            line = all.map { "\($0.0)=\(Self.logfmtValue($0.1))" }.joined(separator: " ")
        case .json:
            var out: [UInt8] = [UInt8(ascii: "{")]
            for (i, (k, v)) in all.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONEscapes.appendQuoted(k, to: &out); out.append(UInt8(ascii: ":")); JSONEscapes.appendQuoted(v, to: &out)
            }
            out.append(UInt8(ascii: "}"))
            line = String(decoding: out, as: UTF8.self)
        }
        write.withLock { $0(line + "\n") }
    }

    public func debug(_ m: String, _ f: [(String, String)] = []) { log(.debug, m, f) }
    public func info(_ m: String, _ f: [(String, String)] = []) { log(.info, m, f) }
    public func warn(_ m: String, _ f: [(String, String)] = []) { log(.warn, m, f) }
    public func error(_ m: String, _ f: [(String, String)] = []) { log(.error, m, f) }

    /// A logfmt value: bare when it has no space, quote, equals sign or control character.
    static func logfmtValue(_ v: String) -> String {
        let plain = !v.isEmpty && v.unicodeScalars.allSatisfy { $0.value > 32 && $0 != "\"" && $0 != "=" && $0 != "\\" }
        if plain { return v }
        var out = "\""
        for s in v.unicodeScalars {
            switch s {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: if s.value < 32 { out += "\\u{\(String(s.value, radix: 16))}" } else { out.unicodeScalars.append(s) }
            }
        }
        return out + "\""
    }
}
