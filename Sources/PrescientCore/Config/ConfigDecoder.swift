/// Reads typed values out of a `ConfigNode` tree, collecting every mistake with its line and path
/// instead of stopping at the first one (so `config check` lists them all).
public final class ConfigDecoder {
    public private(set) var issues: [ConfigIssue] = []
    /// Tells whether an IANA time zone name exists (the core reads no tz data; the caller knows).
    public let isKnownTimeZone: (String) -> Bool

    public init(isKnownTimeZone: @escaping (String) -> Bool = { _ in true }) {
        self.isKnownTimeZone = isKnownTimeZone
    }

    public func report(_ node: ConfigNode?, _ path: String, _ message: String) {
        issues.append(ConfigIssue(line: node?.line ?? 0, path: path, message: message))
    }

    /// The pairs of a mapping, after reporting duplicate keys and keys not in `known`.
    public func mapping(_ node: ConfigNode, _ path: String, known: [String]) -> [String: ConfigNode]? {
        guard case .mapping(let pairs) = node.value else {
            if !node.isNull { report(node, path, "expected a mapping, found \(node.kindName)") }
            return node.isNull ? [:] : nil
        }
        var out: [String: ConfigNode] = [:]
        for (k, v) in pairs {
            guard case .scalar(let key, _) = k.value else { report(k, path, "keys must be scalars"); continue }
            let child = path.isEmpty ? key : "\(path).\(key)"
            if out[key] != nil { report(k, child, "duplicate key"); continue }
            if !known.isEmpty && !known.contains(key) {
                let hint = Spelling.closest(key, in: known).map { " (did you mean '\($0)'?)" } ?? ""
                report(k, child, "unknown key\(hint); known keys: \(known.joined(separator: ", "))")
                continue
            }
            out[key] = v
        }
        return out
    }

    /// A mapping with free-form keys (region names, say), keys in document order.
    public func freeMapping(_ node: ConfigNode, _ path: String) -> [(String, ConfigNode)] {
        guard case .mapping(let pairs) = node.value else {
            if !node.isNull { report(node, path, "expected a mapping, found \(node.kindName)") }
            return []
        }
        var seen = Set<String>()
        var out: [(String, ConfigNode)] = []
        for (k, v) in pairs {
            guard case .scalar(let key, _) = k.value else { report(k, path, "keys must be scalars"); continue }
            guard seen.insert(key).inserted else { report(k, "\(path).\(key)", "duplicate key"); continue }
            out.append((key, v))
        }
        return out
    }

    public func sequence(_ node: ConfigNode, _ path: String) -> [ConfigNode] {
        switch node.value {
        case .sequence(let items): return items
        default:
            if !node.isNull { report(node, path, "expected a list, found \(node.kindName)") }
            return []
        }
    }

    public func string(_ node: ConfigNode?, _ path: String, default d: String? = nil, nonEmpty: Bool = true) -> String? {
        guard let node, !node.isNull else {
            if d == nil { report(node, path, "required") }
            return d
        }
        guard case .scalar(let s, _) = node.value else { report(node, path, "expected a string, found \(node.kindName)"); return d }
        if nonEmpty && s.isEmpty { report(node, path, "must not be empty"); return d }
        return s
    }

    public func strings(_ node: ConfigNode?, _ path: String) -> [String] {
        guard let node, !node.isNull else { return [] }
        if case .scalar(let s, _) = node.value { return [s] }
        return sequence(node, path).enumerated().compactMap { i, n in string(n, "\(path)[\(i)]") }
    }

    /// A number within `range`, or the default when absent.
    public func double(_ node: ConfigNode?, _ path: String, default d: Double?, range: ClosedRange<Double>, unit: String = "") -> Double? {
        guard let node, !node.isNull else {
            if d == nil { report(node, path, "required") }
            return d
        }
        guard case .scalar(let s, let plain) = node.value, plain, let v = Double(s.replacingUnderscores), v.isFinite else {
            report(node, path, "expected a number\(unit.isEmpty ? "" : " (\(unit))"), found '\(ConfigDecoder.show(node))'")
            return d
        }
        guard range.contains(v) else {
            report(node, path, "\(s) is out of range \(ConfigDecoder.format(range.lowerBound))…\(ConfigDecoder.format(range.upperBound))\(unit.isEmpty ? "" : " \(unit)")")
            return d
        }
        return v
    }

    public func int(_ node: ConfigNode?, _ path: String, default d: Int?, range: ClosedRange<Int>) -> Int? {
        guard let node, !node.isNull else {
            if d == nil { report(node, path, "required") }
            return d
        }
        guard case .scalar(let s, let plain) = node.value, plain, let v = Int(s.replacingUnderscores) else {
            report(node, path, "expected a whole number, found '\(ConfigDecoder.show(node))'")
            return d
        }
        guard range.contains(v) else { report(node, path, "\(v) is out of range \(range.lowerBound)…\(range.upperBound)"); return d }
        return v
    }

    public func bool(_ node: ConfigNode?, _ path: String, default d: Bool) -> Bool {
        guard let node, !node.isNull else { return d }
        guard case .scalar(let s, true) = node.value else { report(node, path, "expected true or false"); return d }
        switch s.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: report(node, path, "expected true or false, found '\(s)'"); return d
        }
    }

    /// A duration in seconds: a number, or a number with a unit `ms`, `s`, `m`, `h`, `d` (`90s`, `5m`).
    public func seconds(_ node: ConfigNode?, _ path: String, default d: Double, range: ClosedRange<Double>) -> Double {
        guard let node, !node.isNull else { return d }
        guard case .scalar(let s, _) = node.value else { report(node, path, "expected a duration like 90s or 5m"); return d }
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        var value: Double?
        if let v = Double(s) { value = v } else {
            for (u, f) in units where s.hasSuffix(u) {
                if let v = Double(s.dropLast(u.count).trimmingBlanks) { value = v * f; break }
            }
        }
        guard let v = value, v.isFinite else { report(node, path, "expected a duration like 90s or 5m, found '\(s)'"); return d }
        guard range.contains(v) else { report(node, path, "\(s) is out of range \(ConfigDecoder.format(range.lowerBound))…\(ConfigDecoder.format(range.upperBound)) s"); return d }
        return v
    }

    static func show(_ node: ConfigNode) -> String {
        if case .scalar(let s, _) = node.value { return s }
        return node.kindName
    }

    static func format(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }
}

extension StringProtocol {
    var replacingUnderscores: String { String(filter { $0 != "_" }) }
}
