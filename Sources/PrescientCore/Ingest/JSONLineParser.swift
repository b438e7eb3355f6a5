/// Reads one event from one JSON Lines record, without `JSONDecoder`.
///
/// A hand-written scanner for a flat JSON object (RFC 8259): keys are matched against the field
/// mapping byte by byte; values of unknown keys are skipped (nested objects and arrays included);
/// strings are unescaped only when they contain a backslash. Numbers may stand for string fields
/// (`"user": 42`), and numeric fields accept numeric strings (`"bytes": "512"`). `null` means absent.
/// A key that appears twice is rejected; so is anything after the closing brace but whitespace.
public struct JSONLineParser: Sendable {
    /// A key to look for, as plain data (no references, so scanning it costs no ARC traffic).
    private struct Key: Sendable {
        var length: Int
        /// The key's first 16 bytes, little-endian, zero-padded.
        var word0: UInt64
        var word1: UInt64
        var field: EventField
        /// 0 for the field's first-choice source name; a lower rank wins over a higher one.
        var rank: UInt64
    }

    /// Sorted by length; `keysByLength[n]` is the index range of keys of length n (n < 32).
    private let keys: [Key]
    private let keysByLength: [Range<Int>]
    /// The full bytes of keys longer than 16 bytes, by key index (empty for short keys).
    private let longKeyBytes: [[UInt8]]
    private let keyLabels: [String]
    public let timestamps: TimestampParser
    public let labels: FieldLabels

    public init(mapping: FieldMapping = FieldMapping(), timestamps: TimestampParser = TimestampParser()) {
        var keys: [Key] = []
        var long: [[UInt8]] = []
        var labels: [String] = []
        for field in EventField.allCases {
            for (rank, name) in mapping.sourceNames[field.rawValue].enumerated() {
                let b = Array(name.utf8)
                let (w0, w1) = b.withUnsafeBytes { JSONLineParser.words($0) }
                keys.append(Key(length: b.count, word0: w0, word1: w1, field: field, rank: UInt64(min(rank, 14))))
                long.append(b.count > 16 ? b : [])
                labels.append(name)
            }
        }
        let order = keys.indices.sorted { (keys[$0].length, $0) < (keys[$1].length, $1) }
        self.keys = order.map { keys[$0] }
        self.longKeyBytes = order.map { long[$0] }
        self.keyLabels = order.map { labels[$0] }
        self.keysByLength = (0..<32).map { n in
            let lo = order.firstIndex { keys[$0].length >= n } ?? order.count
            let hi = order.firstIndex { keys[$0].length > n } ?? order.count
            return lo..<hi
        }
        self.timestamps = timestamps
        self.labels = FieldLabels(mapping: mapping)
    }

    /// The first 16 bytes of `p` as two little-endian words, zero-padded.
    @inline(__always)
    static func words(_ p: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
        var w0: UInt64 = 0, w1: UInt64 = 0
        let n = min(p.count, 16)
        for i in 0..<n {
            if i < 8 { w0 |= UInt64(p[i]) << (8 * UInt64(i)) } else { w1 |= UInt64(p[i]) << (8 * UInt64(i - 8)) }
        }
        return (w0, w1)
    }

    /// Parses one line (without its newline). Throws the first problem found, naming the key.
    public func parse(_ line: UnsafeRawBufferPointer) throws(FieldError) -> RawEvent {
        if let bad = UTF8Validator.firstInvalidOffset(line) {
            throw FieldError("line", "invalid UTF-8 at byte \(bad + 1)")
        }
        var s = Scanner(p: line)
        var event = RawEvent()
        // Per field, 1 + the rank of the source name that set it (0: not set), 4 bits each.
        var ranks: UInt64 = 0
        s.skipSpace()
        guard s.peek == UInt8(ascii: "{") else {
            throw FieldError("line", s.atEnd ? "empty record" : "not a JSON object (starts with '\(s.describeHere)')")
        }
        s.i += 1
        s.skipSpace()
        if s.peek == UInt8(ascii: "}") { s.i += 1 } else {
            while true {
                s.skipSpace()
                guard s.peek == UInt8(ascii: "\"") else { throw FieldError("line", "expected a key at byte \(s.i + 1), found \(s.describeHere)") }
                let keyRange = try s.stringRange(field: "line")
                s.skipSpace()
                guard s.peek == UInt8(ascii: ":") else { throw FieldError("line", "expected ':' after a key at byte \(s.i + 1)") }
                s.i += 1
                s.skipSpace()
                if let k = lookup(line, keyRange) {
                    let key = keys[k]
                    let shift = UInt64(key.field.rawValue) * 4
                    let previous = (ranks >> shift) & 0xF
                    let label = keyLabels[k]
                    if previous == key.rank + 1 { throw FieldError(label, "duplicate key") }
                    if previous == 0 || key.rank + 1 < previous {
                        try assignValue(&s, line, key.field, label: label, into: &event)
                        ranks = (ranks & ~(0xF << shift)) | ((key.rank + 1) << shift)
                    } else {
                        try s.skipValue()
                    }
                } else {
                    try s.skipValue()
                }
                s.skipSpace()
                guard let c = s.peek else { throw FieldError("line", "truncated: the object is not closed") }
                s.i += 1
                if c == UInt8(ascii: "}") { break }
                guard c == UInt8(ascii: ",") else { throw FieldError("line", "expected ',' or '}' at byte \(s.i), found '\(UnicodeScalar(c))'") }
            }
        }
        s.skipSpace()
        guard s.atEnd else { throw FieldError("line", "unexpected text after the object at byte \(s.i + 1)") }
        return event
    }

    @inline(__always)
    private func lookup(_ line: UnsafeRawBufferPointer, _ r: (start: Int, end: Int, escaped: Bool)) -> Int? {
        let n = r.end - r.start
        guard n > 0, !r.escaped else { return nil }
        let (w0, w1) = JSONLineParser.words(UnsafeRawBufferPointer(rebasing: line[r.start..<r.end]))
        let candidates = n < 32 ? keysByLength[n] : 0..<keys.count
        return keys.withUnsafeBufferPointer { ks in
            for k in candidates where ks[k].length == n && ks[k].word0 == w0 && ks[k].word1 == w1 {
                if n <= 16 { return k }
                if longKeyBytes[k].elementsEqual(UnsafeRawBufferPointer(rebasing: line[r.start..<r.end])) { return k }
            }
            return nil
        }
    }

    private func assignValue(_ s: inout Scanner, _ line: UnsafeRawBufferPointer, _ field: EventField,
                             label: String, into event: inout RawEvent) throws(FieldError) {
        guard let c = s.peek else { throw FieldError(label, "truncated: value missing") }
        switch c {
        case UInt8(ascii: "\""):
            let r = try s.stringRange(field: label)
            let raw = UnsafeRawBufferPointer(rebasing: line[r.start..<r.end])
            if r.escaped {
                let unescaped = try JSONEscapes.unescape(raw, field: label)
                try ValueDecoding.withBytes(unescaped) { (p) throws(FieldError) in
                    try event.assign(field, text: p, label: label, timestamps: timestamps)
                }
            } else {
                try event.assign(field, text: raw, label: label, timestamps: timestamps)
            }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = s.i
            s.skipNumber()
            try event.assign(field, text: UnsafeRawBufferPointer(rebasing: line[start..<s.i]), label: label, timestamps: timestamps)
        case UInt8(ascii: "n"):
            guard s.consume("null") else { throw FieldError(label, "invalid literal at byte \(s.i + 1)") }
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            throw FieldError(label, "expected a \(field.expectedKind), found a boolean")
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            throw FieldError(label, "expected a \(field.expectedKind), found \(c == UInt8(ascii: "{") ? "an object" : "an array")")
        default:
            throw FieldError(label, "invalid value starting with '\(s.describeHere)'")
        }
    }
}

extension EventField {
    var expectedKind: String {
        switch self {
        case .ts: "timestamp"
        case .duration, .bytes, .cpuMs, .memMB: "number"
        default: "string"
        }
    }
}

/// A cursor over one JSON line.
private struct Scanner {
    let p: UnsafeRawBufferPointer
    var i = 0

    var atEnd: Bool { i >= p.count }
    var peek: UInt8? { i < p.count ? p[i] : nil }
    var describeHere: String {
        i < p.count ? excerpt(UnsafeRawBufferPointer(rebasing: p[i..<min(p.count, i + 10)]), limit: 10) : "end of line"
    }

    @inline(__always)
    mutating func skipSpace() {
        while i < p.count {
            let b = p[i]
            guard b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A else { return }
            i += 1
        }
    }

    mutating func consume(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard i + n <= p.count else { return false }
        for k in 0..<n where p[i + k] != word.utf8Start[k] { return false }
        i += n
        return true
    }

    /// The bytes between the quotes of a string starting at `i`; moves past the closing quote.
    @inline(__always)
    mutating func stringRange(field: String) throws(FieldError) -> (start: Int, end: Int, escaped: Bool) {
        i += 1
        let start = i
        var escaped = false
        while i < p.count {
            let b = p[i]
            if b == UInt8(ascii: "\"") { i += 1; return (start, i - 1, escaped) }
            if b == UInt8(ascii: "\\") { escaped = true; i += 2; continue }
            if b < 0x20 { throw FieldError(field, "control character 0x\(String(b, radix: 16)) inside a string at byte \(i + 1)") }
            i += 1
        }
        throw FieldError(field, "truncated: unterminated string")
    }

    mutating func skipNumber() {
        while i < p.count {
            switch p[i] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                 UInt8(ascii: "e"), UInt8(ascii: "E"): i += 1
            default: return
            }
        }
    }

    /// Skips any JSON value, nested ones included (depth ≤ 64).
    mutating func skipValue(depth: Int = 0) throws(FieldError) {
        guard depth < 64 else { throw FieldError("line", "nested deeper than 64 levels") }
        guard let c = peek else { throw FieldError("line", "truncated: value missing") }
        switch c {
        case UInt8(ascii: "\""): _ = try stringRange(field: "line")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): skipNumber()
        case UInt8(ascii: "t"): guard consume("true") else { throw FieldError("line", "invalid literal at byte \(i + 1)") }
        case UInt8(ascii: "f"): guard consume("false") else { throw FieldError("line", "invalid literal at byte \(i + 1)") }
        case UInt8(ascii: "n"): guard consume("null") else { throw FieldError("line", "invalid literal at byte \(i + 1)") }
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let close = c == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            i += 1
            skipSpace()
            if peek == close { i += 1; return }
            while true {
                skipSpace()
                if close == UInt8(ascii: "}") {
                    guard peek == UInt8(ascii: "\"") else { throw FieldError("line", "expected a key at byte \(i + 1)") }
                    _ = try stringRange(field: "line")
                    skipSpace()
                    guard peek == UInt8(ascii: ":") else { throw FieldError("line", "expected ':' at byte \(i + 1)") }
                    i += 1
                    skipSpace()
                }
                try skipValue(depth: depth + 1)
                skipSpace()
                guard let d = peek else { throw FieldError("line", "truncated: the object is not closed") }
                i += 1
                if d == close { return }
                guard d == UInt8(ascii: ",") else { throw FieldError("line", "expected ',' at byte \(i)") }
            }
        default: throw FieldError("line", "invalid value at byte \(i + 1)")
        }
    }
}
