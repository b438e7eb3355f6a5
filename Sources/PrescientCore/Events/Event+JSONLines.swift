extension Event {
    /// Appends this event as one canonical JSON Lines record (with its trailing newline):
    /// `{"ts":"2026-03-02T08:13:22.125Z","user":…,"region":…,"feature":…,"device":…,"duration_s":…,"bytes":…}`
    /// plus `cpu_ms`, `mem_mb`, `id` and `path` when present. Readable back by `JSONLineParser` with no map.
    public func appendJSONLine(to out: inout [UInt8]) {
        out.append(contentsOf: #"{"ts":""#.utf8)
        time.appendRFC3339(to: &out)
        out.append(contentsOf: #"","user":"#.utf8)
        JSONEscapes.appendQuoted(user, to: &out)
        out.append(contentsOf: #","region":"#.utf8)
        JSONEscapes.appendQuoted(region, to: &out)
        out.append(contentsOf: #","feature":"#.utf8)
        JSONEscapes.appendQuoted(feature, to: &out)
        out.append(contentsOf: #","device":""#.utf8)
        out.append(contentsOf: device.rawValue.utf8)
        out.append(contentsOf: #"","duration_s":"#.utf8)
        NumberFormatting.appendDecimal(durationSeconds, fractionDigits: 3, to: &out)
        out.append(contentsOf: #","bytes":"#.utf8)
        NumberFormatting.appendInteger(bytes, to: &out)
        if let c = resources.cpuMilliseconds {
            out.append(contentsOf: #","cpu_ms":"#.utf8)
            NumberFormatting.appendDecimal(c, fractionDigits: 3, to: &out)
        }
        if let m = resources.memoryMiB {
            out.append(contentsOf: #","mem_mb":"#.utf8)
            NumberFormatting.appendDecimal(m, fractionDigits: 3, to: &out)
        }
        if let id {
            out.append(contentsOf: #","id":"#.utf8)
            JSONEscapes.appendQuoted(id, to: &out)
        }
        if let path {
            out.append(contentsOf: #","path":"#.utf8)
            JSONEscapes.appendQuoted(path, to: &out)
        }
        out.append(contentsOf: "}\n".utf8)
    }
}

/// Fast, locale-free number formatting into byte buffers.
public enum NumberFormatting {
    public static func appendInteger(_ v: Int64, to out: inout [UInt8]) {
        if v < 0 { out.append(UInt8(ascii: "-")) }
        var x = v.magnitude
        if x == 0 { out.append(48); return }
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                  UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &tmp) { buf in
            while x > 0 { buf[n] = UInt8(48 + x % 10); x /= 10; n += 1 }
            for i in stride(from: n - 1, through: 0, by: -1) { out.append(buf[i]) }
        }
    }

    /// Appends `v` rounded to `fractionDigits` decimals, trailing zeros (and a bare point) removed.
    public static func appendDecimal(_ v: Double, fractionDigits: Int, to out: inout [UInt8]) {
        guard v.isFinite else { out.append(contentsOf: "0".utf8); return }
        var scale: Int64 = 1
        for _ in 0..<fractionDigits { scale *= 10 }
        let scaled = (v.magnitude * Double(scale)).rounded()
        guard scaled < 9e18 else { out.append(contentsOf: String(v).utf8); return }
        let s = Int64(scaled)
        if v < 0 && s != 0 { out.append(UInt8(ascii: "-")) }
        appendInteger(s / scale, to: &out)
        var frac = s % scale
        if frac == 0 { return }
        var digits = fractionDigits
        while frac % 10 == 0 { frac /= 10; digits -= 1 }
        out.append(UInt8(ascii: "."))
        var div: Int64 = 1
        for _ in 1..<digits where digits > 1 { div *= 10 }
        while div > 0 { out.append(UInt8(48 + (frac / div) % 10)); div /= 10 }
    }
}

extension Timestamp {
    /// Appends `YYYY-MM-DDTHH:MM:SSZ`, or `…SS.mmmZ` when there are milliseconds.
    public func appendRFC3339(to out: inout [UInt8]) {
        let c = civil
        func two(_ v: Int) { out.append(UInt8(48 + v / 10)); out.append(UInt8(48 + v % 10)) }
        two(c.year / 100); two(c.year % 100)
        out.append(UInt8(ascii: "-")); two(c.month)
        out.append(UInt8(ascii: "-")); two(c.day)
        out.append(UInt8(ascii: "T")); two(c.hour)
        out.append(UInt8(ascii: ":")); two(c.minute)
        out.append(UInt8(ascii: ":")); two(c.second)
        if c.millisecond != 0 {
            out.append(UInt8(ascii: "."))
            out.append(UInt8(48 + c.millisecond / 100)); two(c.millisecond % 100)
        }
        out.append(UInt8(ascii: "Z"))
    }

    /// RFC 3339 text in UTC.
    public var rfc3339: String {
        var out: [UInt8] = []
        appendRFC3339(to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
