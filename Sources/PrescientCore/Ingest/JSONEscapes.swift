/// JSON string escapes (RFC 8259 §7), both ways.
public enum JSONEscapes {
    /// Decodes the escapes of a JSON string body (without its quotes).
    static func unescape(_ p: UnsafeRawBufferPointer, field: String) throws(FieldError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(p.count)
        var i = 0
        func hex4(_ at: Int) throws(FieldError) -> UInt32 {
            guard at + 4 <= p.count else { throw FieldError(field, "truncated \\u escape") }
            var v: UInt32 = 0
            for k in at..<(at + 4) {
                let b = p[k]
                let d: UInt32
                switch b {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(b - 48)
                case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(b - 87)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(b - 55)
                default: throw FieldError(field, "bad \\u escape")
                }
                v = v << 4 | d
            }
            return v
        }
        while i < p.count {
            let b = p[i]
            guard b == UInt8(ascii: "\\") else { out.append(b); i += 1; continue }
            guard i + 1 < p.count else { throw FieldError(field, "truncated escape") }
            let e = p[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4(i)
                i += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    guard i + 6 <= p.count, p[i] == UInt8(ascii: "\\"), p[i + 1] == UInt8(ascii: "u") else {
                        throw FieldError(field, "unpaired surrogate in \\u escape")
                    }
                    let low = try hex4(i + 2)
                    guard (0xDC00...0xDFFF).contains(low) else { throw FieldError(field, "unpaired surrogate in \\u escape") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw FieldError(field, "unpaired surrogate in \\u escape")
                }
                guard let u = UnicodeScalar(scalar) else { throw FieldError(field, "bad \\u escape") }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default: throw FieldError(field, "unknown escape '\\\(UnicodeScalar(e))'")
            }
        }
        return out
    }

    /// Appends `s` as a JSON string literal (with quotes) to `out`.
    public static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        out.append(0x22)
        for b in s.utf8 {
            switch b {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)]])
            default: out.append(b)
            }
        }
        out.append(0x22)
    }
}
