/// Why one field of one input record was rejected.
///
/// `field` names the field as the input spells it (a JSON key, a CSV column, or a part of an
/// access-log line such as `request`), so the message points at what the user can see in the file.
public struct FieldError: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var reason: String

    public init(_ field: String, _ reason: String) { self.field = field; self.reason = reason }

    public var description: String { "\(field): \(reason)" }
}

/// A rejected input line: where, which field, and why. Rendered as `file:line: field: reason`.
public struct Rejection: Sendable, Hashable, CustomStringConvertible {
    /// The input's name as the user gave it.
    public var source: String
    /// 1-based line number of the record's first line.
    public var line: Int
    public var error: FieldError

    public init(source: String, line: Int, error: FieldError) {
        self.source = source; self.line = line; self.error = error
    }

    public var description: String { "\(source):\(line): \(error.field): \(error.reason)" }
}

/// Shortens a value for an error message: at most `limit` characters, control bytes escaped.
func excerpt(_ bytes: UnsafeRawBufferPointer, limit: Int = 40) -> String {
    var out = ""
    for (i, b) in bytes.enumerated() {
        if i >= limit { out += "…"; break }
        if b >= 0x20 && b < 0x7F { out.unicodeScalars.append(UnicodeScalar(b)) }
        else { out += "\\x" + String(b, radix: 16, uppercase: true).leftPadded(to: 2) }
    }
    return out
}

func excerpt(_ s: some StringProtocol, limit: Int = 40) -> String {
    s.count <= limit ? String(s) : String(s.prefix(limit)) + "…"
}

extension String {
    /// `self` padded on the left with `c` to at least `n` characters.
    public func leftPadded(to n: Int, with c: Character = "0") -> String {
        count >= n ? self : String(repeating: c, count: n - count) + self
    }
}
