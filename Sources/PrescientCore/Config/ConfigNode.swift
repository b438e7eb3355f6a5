/// A parsed configuration document: YAML's data model (scalars, mappings, sequences) with the
/// line and column each node started at, so validation can point at the mistake.
///
/// Built by the YAML adapter (libyaml) or in tests by hand; decoded by `ConfigDecoder`.
public struct ConfigNode: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        /// A scalar as written; `plain` is false for quoted scalars (so `"1"` stays a string).
        case scalar(String, plain: Bool)
        /// Key–value pairs in document order (duplicates are kept so validation can report them).
        case mapping([(key: ConfigNode, value: ConfigNode)])
        case sequence([ConfigNode])

        public static func == (a: Value, b: Value) -> Bool {
            switch (a, b) {
            case let (.scalar(x, px), .scalar(y, py)): return x == y && px == py
            case let (.sequence(x), .sequence(y)): return x == y
            case let (.mapping(x), .mapping(y)):
                return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
            default: return false
            }
        }
    }

    public var value: Value
    /// 1-based line of the node's first character.
    public var line: Int
    /// 1-based column of the node's first character.
    public var column: Int

    public init(_ value: Value, line: Int = 0, column: Int = 0) {
        self.value = value; self.line = line; self.column = column
    }

    /// True for an explicit null (`~`, `null`, or nothing after the colon).
    public var isNull: Bool {
        if case .scalar(let s, let plain) = value, plain, s.isEmpty || s == "~" || s == "null" || s == "Null" || s == "NULL" { return true }
        return false
    }

    public var kindName: String {
        switch value {
        case .scalar: isNull ? "null" : "a scalar"
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }
}
