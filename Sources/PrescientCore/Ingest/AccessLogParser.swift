/// Reads Apache/NGINX access-log lines: the Common Log Format and the Combined format.
///
/// `host ident authuser [dd/Mon/yyyy:HH:MM:SS ±hhmm] "METHOD path PROTOCOL" status bytes ["referer" "agent"]`
///
/// Fields after the user agent (NGINX variants append request time and more) are ignored. Inside
/// quoted parts a backslash escapes the next byte (Apache writes `\"`). The client becomes the user
/// and the basis for the region; the request path becomes the feature; the agent the device.
/// Rejections name the part of the line: `client`, `time`, `request`, `status`, `bytes`, `agent`.
public struct AccessLogParser: Sendable {
    public let timestamps: TimestampParser
    public static let labels = FieldLabels(EventField.allCases.map { f -> String in
        switch f {
        case .ts: "time"
        case .user, .client: "client"
        case .path, .feature: "request"
        case .agent, .device: "agent"
        default: f.name
        }
    })

    public init(timestamps: TimestampParser = TimestampParser()) { self.timestamps = timestamps }

    public func parse(_ line: UnsafeRawBufferPointer) throws(FieldError) -> RawEvent {
        if let bad = UTF8Validator.firstInvalidOffset(line) {
            throw FieldError("line", "invalid UTF-8 at byte \(bad + 1)")
        }
        var c = Cursor(p: line)
        if c.p.count > 0, c.p[c.p.count - 1] == 0x0D { c.end -= 1 }
        guard c.i < c.end else { throw FieldError("line", "empty line") }
        let host = c.token()
        guard !host.isEmpty, host.count <= 255 else { throw FieldError("client", "missing client address") }
        guard c.space() else { throw FieldError("line", "truncated after the client address") }
        _ = c.token() // ident
        guard c.space() else { throw FieldError("line", "truncated after the ident field") }
        _ = c.token() // authuser
        guard c.space(), c.peek == UInt8(ascii: "[") else { throw FieldError("time", "missing '[' before the time") }
        c.i += 1
        let tStart = c.i
        while c.i < c.end, c.p[c.i] != UInt8(ascii: "]") { c.i += 1 }
        guard c.i < c.end else { throw FieldError("time", "truncated: no closing ']'") }
        let time: Timestamp
        switch timestamps.parse(UnsafeRawBufferPointer(rebasing: line[tStart..<c.i])) {
        case .success(let t): time = t
        case .failure(let e): throw FieldError("time", e.reason)
        }
        c.i += 1
        guard c.space(), c.peek == UInt8(ascii: "\"") else { throw FieldError("request", "missing quoted request line") }
        guard let request = c.quoted() else { throw FieldError("request", "truncated: no closing quote") }
        let path = try Self.requestPath(request)
        guard c.space() else { throw FieldError("status", "missing status") }
        let status = c.token()
        guard status.count == 3, status.allSatisfy(isDigit) else {
            throw FieldError("status", "not a 3-digit HTTP status: '\(excerpt(status))'")
        }
        guard c.space() else { throw FieldError("bytes", "missing response size") }
        let size = c.token()
        var event = RawEvent()
        event.time = time
        let hostString = ValueDecoding.string(host)
        event.user = hostString
        event.client = hostString
        event.path = path
        if !(size.count == 1 && size[0] == UInt8(ascii: "-")) {
            event.bytes = try ValueDecoding.nonNegativeInteger(size, field: "bytes")
        } else {
            event.bytes = 0
        }
        // Combined format: "referer" "agent".
        if c.space(), c.peek == UInt8(ascii: "\"") {
            guard c.quoted() != nil else { throw FieldError("referer", "truncated: no closing quote") }
            if c.space(), c.peek == UInt8(ascii: "\"") {
                guard let agent = c.quoted() else { throw FieldError("agent", "truncated: no closing quote") }
                event.agent = ValueDecoding.string(agent)
            }
        }
        return event
    }

    /// The path of `METHOD path [PROTOCOL]` (query string kept; the feature rules drop it).
    static func requestPath(_ r: UnsafeRawBufferPointer) throws(FieldError) -> String {
        var parts: [UnsafeRawBufferPointer] = []
        var i = 0
        while i < r.count {
            while i < r.count, r[i] == 0x20 { i += 1 }
            let s = i
            while i < r.count, r[i] != 0x20 { i += 1 }
            if i > s { parts.append(UnsafeRawBufferPointer(rebasing: r[s..<i])) }
        }
        guard parts.count == 2 || parts.count == 3, parts[0].allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else {
            throw FieldError("request", "not 'METHOD path PROTOCOL': '\(excerpt(r))'")
        }
        var path = ValueDecoding.string(parts[1])
        // Absolute-form targets (proxies): keep the path part.
        if path.hasPrefix("http://") || path.hasPrefix("https://") {
            let afterScheme = path.drop(while: { $0 != ":" }).dropFirst(3)
            path = afterScheme.firstIndex(of: "/").map { String(afterScheme[$0...]) } ?? "/"
        }
        guard path.hasPrefix("/") || path == "*" else { throw FieldError("request", "path does not start with '/': '\(excerpt(path))'") }
        return path
    }
}

private struct Cursor {
    let p: UnsafeRawBufferPointer
    var i = 0
    var end: Int

    init(p: UnsafeRawBufferPointer) { self.p = p; self.end = p.count }

    var peek: UInt8? { i < end ? p[i] : nil }

    /// Consumes one space; false at the end of the line.
    mutating func space() -> Bool {
        guard i < end, p[i] == 0x20 else { return false }
        while i < end, p[i] == 0x20 { i += 1 }
        return true
    }

    mutating func token() -> UnsafeRawBufferPointer {
        let s = i
        while i < end, p[i] != 0x20 { i += 1 }
        return UnsafeRawBufferPointer(rebasing: p[s..<i])
    }

    /// The bytes of a `"…"` part (escapes left in place); nil when it is not closed.
    mutating func quoted() -> UnsafeRawBufferPointer? {
        i += 1
        let s = i
        while i < end {
            if p[i] == UInt8(ascii: "\\") { i += 2; continue }
            if p[i] == UInt8(ascii: "\"") {
                let r = UnsafeRawBufferPointer(rebasing: p[s..<i])
                i += 1
                return r
            }
            i += 1
        }
        return nil
    }
}
