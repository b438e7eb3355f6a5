/// Decodes a batch of events posted as one body: JSON Lines (one object per line; blank lines are
/// skipped) or a JSON array of objects. Each record is parsed and normalised like a line of an
/// ingested file, so a bad one is named by its number (the line, or the array element, from 1) and
/// the field and reason, and never half-applies.
public struct EventBatchDecoder: Sendable {
    public var parser: JSONLineParser
    public var normalizer: EventNormalizer

    public init(parser: JSONLineParser, normalizer: EventNormalizer) {
        self.parser = parser; self.normalizer = normalizer
    }

    /// A batch: the good events with their record numbers, and the bad records.
    public struct Batch: Sendable {
        public var events: [Event] = []
        public var numbers: [Int] = []
        public var rejections: [(number: Int, error: FieldError)] = []
        /// Whether the body was a JSON array (numbers are elements) rather than JSON Lines.
        public var isArray = false
        public var records: Int { events.count + rejections.count }
    }

    public mutating func decode(_ body: [UInt8]) -> Batch {
        var batch = Batch()
        body.withUnsafeBytes { bytes in
            var i = 0
            while i < bytes.count && Self.isSpace(bytes[i]) { i += 1 }
            if i < bytes.count && bytes[i] == UInt8(ascii: "[") {
                batch.isArray = true
                decodeArray(bytes, from: i + 1, into: &batch)
            } else {
                decodeLines(bytes, into: &batch)
            }
        }
        return batch
    }

    private mutating func record(_ bytes: UnsafeRawBufferPointer, number: Int, into batch: inout Batch) {
        let raw: RawEvent
        do { raw = try parser.parse(bytes) } catch { batch.rejections.append((number, error)); return }
        switch normalizer.normalize(raw, labels: parser.labels) {
        case .success(let e): batch.events.append(e); batch.numbers.append(number)
        case .failure(let error): batch.rejections.append((number, error))
        }
    }

    private mutating func decodeLines(_ bytes: UnsafeRawBufferPointer, into batch: inout Batch) {
        var start = 0, line = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
            line += 1
            var last = end
            if last > start && bytes[last - 1] == UInt8(ascii: "\r") { last -= 1 }
            let slice = UnsafeRawBufferPointer(rebasing: bytes[start..<last])
            if slice.contains(where: { !Self.isSpace($0) }) { record(slice, number: line, into: &batch) }
            if end == bytes.count { break }
            start = end + 1
        }
    }

    /// Splits the array's top-level elements (tracking strings, escapes and nesting), each parsed
    /// as a record. A malformed array (unterminated, text after it) is one rejection, number 0.
    private mutating func decodeArray(_ bytes: UnsafeRawBufferPointer, from first: Int, into batch: inout Batch) {
        var i = first, element = 0, depth = 0, inString = false, escaped = false
        var start = first
        var closed = false
        while i < bytes.count {
            let b = bytes[i]
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
            } else if b == UInt8(ascii: "\"") {
                inString = true
            } else if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") {
                depth += 1
            } else if b == UInt8(ascii: "}") || (b == UInt8(ascii: "]") && depth > 0) {
                depth -= 1
            } else if depth == 0 && (b == UInt8(ascii: ",") || b == UInt8(ascii: "]")) {
                let slice = UnsafeRawBufferPointer(rebasing: bytes[start..<i])
                let blank = !slice.contains(where: { !Self.isSpace($0) })
                if !(blank && b == UInt8(ascii: "]") && element == 0) {
                    element += 1
                    if blank { batch.rejections.append((element, FieldError("body", "empty array element"))) }
                    else { record(slice, number: element, into: &batch) }
                }
                start = i + 1
                if b == UInt8(ascii: "]") { closed = true; i += 1; break }
            }
            i += 1
        }
        guard closed else {
            batch.rejections.append((0, FieldError("body", "unterminated JSON array (\(bytes.count) bytes read)")))
            return
        }
        while i < bytes.count {
            if !Self.isSpace(bytes[i]) {
                batch.rejections.append((0, FieldError("body", "text after the JSON array at byte \(i)")))
                return
            }
            i += 1
        }
    }

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool {
        b == UInt8(ascii: " ") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\r")
    }
}
