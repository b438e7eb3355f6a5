/// Decodes RESP replies from a byte stream that arrives in pieces (pipelined replies, partial
/// reads): `feed` bytes, then `next()` until it returns nil (more bytes needed). A malformed
/// stream is an error naming the byte offset and what was expected; nothing is consumed by a
/// reply that is not complete yet. Lengths are bounded (`maxBulkBytes`, `maxElements`), so a
/// corrupt length cannot make it allocate without limit.
public struct RESPParser: Sendable {
    public struct ProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
        public var offset: Int
        public var reason: String
        public var description: String { "RESP at byte \(offset): \(reason)" }
    }

    public var maxBulkBytes = 512 << 20
    public var maxElements = 1 << 24
    private var buffer: [UInt8] = []
    private var start = 0
    /// Bytes consumed by complete replies so far (for error offsets).
    private var consumed = 0

    public init() {}

    public mutating func feed(_ bytes: some Sequence<UInt8>) {
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeFirst(start); start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete reply, or nil when more bytes are needed.
    public mutating func next() throws(ProtocolError) -> RESPValue? {
        var i = start
        guard let value = try parse(&i) else { return nil }
        consumed += i - start
        start = i
        return value
    }

    /// Bytes fed but not yet consumed by a complete reply.
    public var pending: Int { buffer.count - start }

    private func fail(_ at: Int, _ reason: String) -> ProtocolError {
        ProtocolError(offset: consumed + at - start, reason: reason)
    }

    /// The line from `i` to CRLF (exclusive), advancing past it; nil if incomplete.
    private func line(_ i: inout Int) throws(ProtocolError) -> ArraySlice<UInt8>? {
        var j = i
        while j < buffer.count {
            if buffer[j] == 13 {
                guard j + 1 < buffer.count else { return nil }
                guard buffer[j + 1] == 10 else { throw fail(j, "CR not followed by LF") }
                let l = buffer[i..<j]
                i = j + 2
                return l
            }
            if buffer[j] == 10 { throw fail(j, "LF without CR") }
            j += 1
        }
        return nil
    }

    private func integer(_ l: ArraySlice<UInt8>, at: Int) throws(ProtocolError) -> Int64 {
        guard let v = Int64(String(decoding: l, as: UTF8.self)) else { throw fail(at, "expected an integer, found '\(String(decoding: l.prefix(20), as: UTF8.self))'") }
        return v
    }

    private func parse(_ i: inout Int) throws(ProtocolError) -> RESPValue? {
        guard i < buffer.count else { return nil }
        let at = i
        let kind = buffer[i]
        var j = i + 1
        guard let l = try line(&j) else { return nil }
        switch kind {
        case UInt8(ascii: "+"): i = j; return .simple(String(decoding: l, as: UTF8.self))
        case UInt8(ascii: "-"): i = j; return .error(String(decoding: l, as: UTF8.self))
        case UInt8(ascii: ":"): let v = try integer(l, at: at + 1); i = j; return .integer(v)
        case UInt8(ascii: "_"): i = j; return .null
        case UInt8(ascii: "$"):
            let n = try integer(l, at: at + 1)
            if n == -1 { i = j; return .null }
            guard n >= 0, n <= maxBulkBytes else { throw fail(at + 1, "bulk length \(n) out of range 0…\(maxBulkBytes)") }
            guard j + Int(n) + 2 <= buffer.count else { return nil }
            guard buffer[j + Int(n)] == 13, buffer[j + Int(n) + 1] == 10 else { throw fail(j + Int(n), "bulk string not ended by CRLF") }
            let b = Array(buffer[j..<(j + Int(n))])
            i = j + Int(n) + 2
            return .bulk(b)
        case UInt8(ascii: "*"), UInt8(ascii: "%"):
            let n = try integer(l, at: at + 1)
            if n == -1 { i = j; return .null }
            guard n >= 0, n <= maxElements else { throw fail(at + 1, "element count \(n) out of range 0…\(maxElements)") }
            let isMap = kind == UInt8(ascii: "%")
            var items: [RESPValue] = []
            items.reserveCapacity(Int(min(n, 1024)) * (isMap ? 2 : 1))
            for _ in 0..<(Int(n) * (isMap ? 2 : 1)) {
                guard let v = try parse(&j) else { return nil }
                items.append(v)
            }
            i = j
            if isMap { return .map(stride(from: 0, to: items.count, by: 2).map { (items[$0], items[$0 + 1]) }) }
            return .array(items)
        default:
            throw fail(at, "unknown type byte '\(String(decoding: [kind], as: UTF8.self))'")
        }
    }
}
