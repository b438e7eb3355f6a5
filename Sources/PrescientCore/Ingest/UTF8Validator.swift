/// Validates UTF-8 (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF).
public enum UTF8Validator {
    /// The offset of the first byte that starts an invalid sequence, or nil when all of it is valid.
    public static func firstInvalidOffset(_ p: UnsafeRawBufferPointer) -> Int? {
        let n = p.count
        var i = 0
        while i < n {
            // Fast path: eight ASCII bytes at a time.
            if i + 8 <= n {
                let w = p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if w & 0x8080_8080_8080_8080 == 0 { i += 8; continue }
            }
            let b0 = p[i]
            if b0 < 0x80 { i += 1; continue }
            let len: Int
            var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
            switch b0 {
            case 0xC2...0xDF: len = 2
            case 0xE0: len = 3; lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: len = 3
            case 0xED: len = 3; hi = 0x9F
            case 0xF0: len = 4; lo = 0x90
            case 0xF1...0xF3: len = 4
            case 0xF4: len = 4; hi = 0x8F
            default: return i
            }
            if i + len > n { return i }
            let b1 = p[i + 1]
            if b1 < lo || b1 > hi { return i }
            for k in 2..<len where p[i + k] & 0xC0 != 0x80 { return i }
            i += len
        }
        return nil
    }
}
