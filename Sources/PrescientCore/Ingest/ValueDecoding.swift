/// Typed values from the bytes of one field. Shared by the JSON Lines and delimited parsers.
enum ValueDecoding {
    /// A `String` from bytes already known to be valid UTF-8.
    @inline(__always)
    static func string(_ p: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: p.count) { buf in
            _ = buf.initialize(from: p)
            return p.count
        }
    }

    /// An integer ≥ 0 (digits only, optional surrounding spaces; `-` means absent in access logs).
    static func nonNegativeInteger(_ p: UnsafeRawBufferPointer, field: String) throws(FieldError) -> Int64 {
        let t = trimmed(p)
        guard !t.isEmpty else { throw FieldError(field, "empty (expected a whole number ≥ 0)") }
        var v: Int64 = 0
        var i = 0
        while i < t.count, isDigit(t[i]) {
            guard v < 922_337_203_685_477_580 else { throw FieldError(field, "number too large: '\(excerpt(t))'") }
            v = v * 10 + Int64(t[i] &- 48); i += 1
        }
        if i == t.count { return v }
        // Allow an exact decimal like 1024.0 (CSV exports from pandas write floats).
        if let d = try? double(t, field: field), d >= 0, d.rounded() == d, d < 9.2e18 { return Int64(d) }
        if t[0] == UInt8(ascii: "-") { throw FieldError(field, "negative: '\(excerpt(t))' (expected a whole number ≥ 0)") }
        throw FieldError(field, "not a whole number: '\(excerpt(t))'")
    }

    /// A finite double (JSON number syntax, also `1.`, `.5`, surrounding spaces).
    static func double(_ p: UnsafeRawBufferPointer, field: String) throws(FieldError) -> Double {
        let t = trimmed(p)
        guard !t.isEmpty else { throw FieldError(field, "empty (expected a number)") }
        // Fast path (Clinger): ≤ 15 significant digits, no exponent → exact division by a power of ten.
        var i = 0
        var negative = false
        if t[0] == UInt8(ascii: "-") { negative = true; i = 1 } else if t[0] == UInt8(ascii: "+") { i = 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var fraction = 0
        var sawDot = false
        var fast = true
        while i < t.count {
            let b = t[i]
            if isDigit(b) {
                if digits < 15 { mantissa = mantissa * 10 + UInt64(b &- 48); digits += 1; if sawDot { fraction += 1 } }
                else { fast = false; break }
            } else if b == UInt8(ascii: "."), !sawDot { sawDot = true }
            else { fast = false; break }
            i += 1
        }
        if fast && digits > 0 {
            let v = Double(mantissa) / powersOfTen[fraction]
            return negative ? -v : v
        }
        guard let v = Double(string(t)), v.isFinite else {
            throw FieldError(field, "not a number: '\(excerpt(t))'")
        }
        return v
    }

    private static let powersOfTen: [Double] = (0...22).map { e in (0..<e).reduce(1.0) { acc, _ in acc * 10 } }

    @inline(__always)
    static func trimmed(_ p: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var lo = 0, hi = p.count
        while lo < hi, p[lo] == 0x20 || p[lo] == 0x09 { lo += 1 }
        while hi > lo, p[hi - 1] == 0x20 || p[hi - 1] == 0x09 || p[hi - 1] == 0x0D { hi -= 1 }
        return UnsafeRawBufferPointer(rebasing: p[lo..<hi])
    }
}

extension ValueDecoding {
    /// Runs `body` on the bytes of `array`, keeping the typed error (Array's own method erases it).
    @inline(__always)
    static func withBytes<T>(_ array: [UInt8], _ body: (UnsafeRawBufferPointer) throws(FieldError) -> T) throws(FieldError) -> T {
        let result: Result<T, FieldError> = array.withUnsafeBytes { p in
            do throws(FieldError) { return .success(try body(p)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    static func string(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}
