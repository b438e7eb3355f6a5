/// Parses event times in the forms users' exports carry, all to UTC.
///
/// Accepted forms:
/// - epoch seconds (`807256800`, `807256800.25`) or milliseconds (`807256800000`): an integer part of
///   12 or more digits (≥ 10^11, i.e. past year 5138 as seconds) is read as milliseconds;
/// - RFC 3339 / ISO 8601: `2026-03-02T08:13:22Z`, `…22.125+02:00`, `…22-0500`, a space instead of `T`,
///   seconds optional (`2010-12-01 08:26`); without an offset the time is local to `naiveZone`;
/// - the access-log form `01/Aug/1995:00:00:01 -0400`.
/// Times before 1970 or from 2100 on are rejected as out of range.
public struct TimestampParser: Sendable {
    /// How times written without an offset are read (UTC unless told otherwise).
    public var naiveZone: any UTCOffsetProvider

    public init(naiveZone: any UTCOffsetProvider = FixedUTCOffset.utc) { self.naiveZone = naiveZone }

    static let minMilliseconds: Int64 = 0
    static let maxMilliseconds: Int64 = 4_102_444_800_000 // 2100-01-01T00:00:00Z

    /// Parses `bytes` or returns why not (the reason only; the caller adds the field name).
    public func parse(_ p: UnsafeRawBufferPointer) -> Result<Timestamp, TimestampError> {
        let n = p.count
        guard n > 0 else { return .failure(.init("empty")) }
        let result: Result<Timestamp, TimestampError>
        if n >= 10 && p[4] == UInt8(ascii: "-") && isDigit(p[0]) {
            result = parseISO(p)
        } else if n >= 20 && p[2] == UInt8(ascii: "/") && p[6] == UInt8(ascii: "/") {
            result = parseAccessLog(p)
        } else if isDigit(p[0]) || p[0] == UInt8(ascii: "-") {
            result = parseEpoch(p)
        } else {
            return .failure(.init("not a timestamp: '\(excerpt(p))' (expected epoch seconds or milliseconds, RFC 3339, or dd/Mon/yyyy:HH:MM:SS ±hhmm)"))
        }
        if case .success(let t) = result, t.milliseconds < Self.minMilliseconds || t.milliseconds >= Self.maxMilliseconds {
            return .failure(.init("out of range: '\(excerpt(p))' (accepted: 1970-01-01 to 2099-12-31)"))
        }
        return result
    }

    public func parse(_ s: String) -> Result<Timestamp, TimestampError> {
        var s = s
        return s.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    private func parseEpoch(_ p: UnsafeRawBufferPointer) -> Result<Timestamp, TimestampError> {
        var i = 0
        var negative = false
        if p[0] == UInt8(ascii: "-") { negative = true; i = 1 }
        var intPart: Int64 = 0
        var digits = 0
        while i < p.count, isDigit(p[i]) {
            if digits >= 16 { return .failure(.init("epoch value too large: '\(excerpt(p))'")) }
            intPart = intPart * 10 + Int64(p[i] &- 48); digits += 1; i += 1
        }
        guard digits > 0 else { return .failure(.init("not a timestamp: '\(excerpt(p))'")) }
        var fracMillis: Int64 = 0
        var fracDigits = 0
        if i < p.count && p[i] == UInt8(ascii: ".") {
            i += 1
            while i < p.count, isDigit(p[i]) {
                if fracDigits < 3 { fracMillis = fracMillis * 10 + Int64(p[i] &- 48) }
                fracDigits += 1; i += 1
            }
            guard fracDigits > 0 else { return .failure(.init("not a timestamp: '\(excerpt(p))'")) }
            var scale = fracDigits
            while scale < 3 { fracMillis *= 10; scale += 1 }
        }
        guard i == p.count else { return .failure(.init("not a timestamp: '\(excerpt(p))'")) }
        let isMillis = digits >= 12
        var ms = isMillis ? intPart : intPart * 1000 + fracMillis
        if negative { ms = -ms }
        return .success(Timestamp(milliseconds: ms))
    }

    private func parseISO(_ p: UnsafeRawBufferPointer) -> Result<Timestamp, TimestampError> {
        func bad() -> TimestampError { TimestampError("not an RFC 3339 time: '\(excerpt(p))'") }
        var i = 0
        func num(_ width: Int) -> Int? {
            guard i + width <= p.count else { return nil }
            var v = 0
            for k in 0..<width {
                let b = p[i + k]
                guard isDigit(b) else { return nil }
                v = v * 10 + Int(b &- 48)
            }
            i += width
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < p.count, p[i] == c else { return false }
            i += 1; return true
        }
        guard let y = num(4), expect(UInt8(ascii: "-")), let mo = num(2), expect(UInt8(ascii: "-")), let d = num(2) else {
            return .failure(bad())
        }
        var civil = CivilTime(year: y, month: mo, day: d)
        if i < p.count {
            guard p[i] == UInt8(ascii: "T") || p[i] == UInt8(ascii: "t") || p[i] == UInt8(ascii: " ") else { return .failure(bad()) }
            i += 1
            guard let h = num(2), expect(UInt8(ascii: ":")), let mi = num(2) else { return .failure(bad()) }
            civil.hour = h; civil.minute = mi
            if i < p.count && p[i] == UInt8(ascii: ":") {
                i += 1
                guard let s = num(2) else { return .failure(bad()) }
                civil.second = s
                if i < p.count && (p[i] == UInt8(ascii: ".") || p[i] == UInt8(ascii: ",")) {
                    i += 1
                    var ms = 0, fd = 0
                    while i < p.count, isDigit(p[i]) {
                        if fd < 3 { ms = ms * 10 + Int(p[i] &- 48) }
                        fd += 1; i += 1
                    }
                    guard fd > 0 else { return .failure(bad()) }
                    var scale = fd
                    while scale < 3 { ms *= 10; scale += 1 }
                    civil.millisecond = ms
                }
            }
        }
        guard civil.isValid else { return .failure(.init("no such date or time: '\(excerpt(p))'")) }
        // Offset: Z, ±HH:MM, ±HHMM, ±HH, or none (naive → naiveZone).
        var offset: Int
        if i == p.count {
            offset = naiveZone.utcOffsetSeconds(atLocal: civil)
        } else if p[i] == UInt8(ascii: "Z") || p[i] == UInt8(ascii: "z") {
            i += 1; offset = 0
        } else if p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") {
            let sign = p[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let oh = num(2) else { return .failure(bad()) }
            var om = 0
            if i < p.count {
                _ = expect(UInt8(ascii: ":"))
                guard let m = num(2) else { return .failure(bad()) }
                om = m
            }
            guard oh <= 23, om <= 59 else { return .failure(.init("bad UTC offset in '\(excerpt(p))'")) }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return .failure(bad())
        }
        guard i == p.count else { return .failure(bad()) }
        return .success(Timestamp(milliseconds: civil.epochMilliseconds(utcOffsetSeconds: offset)))
    }

    private static let months: [UInt32] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        .map { s in s.utf8.reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }

    /// `dd/Mon/yyyy:HH:MM:SS ±hhmm` (the zone may be missing: then naiveZone applies).
    private func parseAccessLog(_ p: UnsafeRawBufferPointer) -> Result<Timestamp, TimestampError> {
        func bad() -> TimestampError { TimestampError("not an access-log time: '\(excerpt(p))' (expected dd/Mon/yyyy:HH:MM:SS +hhmm)") }
        func n(_ at: Int, _ w: Int) -> Int? {
            guard at + w <= p.count else { return nil }
            var v = 0
            for k in at..<(at + w) { guard isDigit(p[k]) else { return nil }; v = v * 10 + Int(p[k] &- 48) }
            return v
        }
        guard p.count >= 20, let d = n(0, 2), let y = n(7, 4), p[11] == UInt8(ascii: ":"), let h = n(12, 2),
              p[14] == UInt8(ascii: ":"), let mi = n(15, 2), p[17] == UInt8(ascii: ":"), let s = n(18, 2) else {
            return .failure(bad())
        }
        let key = UInt32(p[3]) << 16 | UInt32(p[4]) << 8 | UInt32(p[5])
        guard let mIndex = Self.months.firstIndex(of: key) else { return .failure(.init("unknown month in '\(excerpt(p))'")) }
        let civil = CivilTime(year: y, month: mIndex + 1, day: d, hour: h, minute: mi, second: s)
        guard civil.isValid else { return .failure(.init("no such date or time: '\(excerpt(p))'")) }
        var offset: Int
        if p.count == 20 {
            offset = naiveZone.utcOffsetSeconds(atLocal: civil)
        } else {
            guard p.count == 26, p[20] == UInt8(ascii: " "), p[21] == UInt8(ascii: "+") || p[21] == UInt8(ascii: "-"),
                  let oh = n(22, 2), let om = n(24, 2), oh <= 23, om <= 59 else { return .failure(bad()) }
            offset = (p[21] == UInt8(ascii: "-") ? -1 : 1) * (oh * 3600 + om * 60)
        }
        return .success(Timestamp(milliseconds: civil.epochMilliseconds(utcOffsetSeconds: offset)))
    }
}

/// Why a timestamp could not be read.
public struct TimestampError: Error, Sendable, Hashable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
}

@inline(__always) func isDigit(_ b: UInt8) -> Bool { b &- 48 < 10 }
