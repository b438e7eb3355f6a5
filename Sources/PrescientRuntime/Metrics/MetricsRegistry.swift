import PrescientCore
import Synchronization

/// Counters, gauges and histograms, rendered in the Prometheus text exposition format (0.0.4).
/// Thread-safe: the HTTP threads count, the control loop sets gauges, a scrape renders.
///
/// A family is declared once (name, help, type, histogram buckets); series are its label sets, in
/// the order first seen. Label values are escaped (`\\`, `\"`, `\n`).
public final class MetricsRegistry: Sendable {
    public enum Kind: String, Sendable { case counter, gauge, histogram }

    struct Family {
        var help: String
        var kind: Kind
        var buckets: [Double]
        /// Rendered label set (`{a="b"}` or "") → value (counter, gauge) or bucket counts + sum + count.
        var order: [String] = []
        var values: [String: Double] = [:]
        var histograms: [String: (counts: [Int], sum: Double, count: Int)] = [:]
    }

    private let families = Mutex<(order: [String], byName: [String: Family])>(([], [:]))

    public init() {}

    /// Declares a family (again is harmless). Histogram `buckets` are upper bounds, ascending.
    public func declare(_ name: String, _ kind: Kind, help: String, buckets: [Double] = []) {
        families.withLock { f in
            guard f.byName[name] == nil else { return }
            f.order.append(name)
            f.byName[name] = Family(help: help, kind: kind, buckets: buckets)
        }
    }

    /// Adds to a counter (or a gauge).
    public func add(_ name: String, _ labels: [(String, String)] = [], _ amount: Double = 1) {
        let key = Self.labelText(labels)
        families.withLock { f in
            guard f.byName[name] != nil else { return }
            if f.byName[name]!.values[key] == nil { f.byName[name]!.order.append(key) }
            f.byName[name]!.values[key, default: 0] += amount
        }
    }

    /// Sets a gauge.
    public func set(_ name: String, _ labels: [(String, String)] = [], _ value: Double) {
        let key = Self.labelText(labels)
        families.withLock { f in
            guard f.byName[name] != nil else { return }
            if f.byName[name]!.values[key] == nil { f.byName[name]!.order.append(key) }
            f.byName[name]!.values[key] = value
        }
    }

    /// Records one observation in a histogram.
    public func observe(_ name: String, _ labels: [(String, String)] = [], _ value: Double) {
        let key = Self.labelText(labels)
        families.withLock { f in
            guard let family = f.byName[name], family.kind == .histogram else { return }
            var h = family.histograms[key] ?? (Array(repeating: 0, count: family.buckets.count), 0, 0)
            if family.histograms[key] == nil { f.byName[name]!.order.append(key) }
            for (i, bound) in family.buckets.enumerated() where value <= bound { h.counts[i] += 1 }
            h.sum += value; h.count += 1
            f.byName[name]!.histograms[key] = h
        }
    }

    /// A counter's or gauge's current value (nil if never set), for tests and the dashboard.
    public func value(_ name: String, _ labels: [(String, String)] = []) -> Double? {
        families.withLock { $0.byName[name]?.values[Self.labelText(labels)] }
    }

    /// The exposition text: `# HELP`, `# TYPE`, then every series.
    public func render() -> String {
        families.withLock { f in
            var out = ""
            for name in f.order {
                let family = f.byName[name]!
                out += "# HELP \(name) \(family.help)\n# TYPE \(name) \(family.kind.rawValue)\n"
                for key in family.order {
                    if family.kind == .histogram, let h = family.histograms[key] {
                        let inner = key.isEmpty ? "" : String(key.dropFirst().dropLast()) + ","
                        for (i, bound) in family.buckets.enumerated() {
                            out += "\(name)_bucket{\(inner)le=\"\(Self.number(bound))\"} \(h.counts[i])\n"
                        }
                        out += "\(name)_bucket{\(inner)le=\"+Inf\"} \(h.count)\n\(name)_sum\(key) \(Self.number(h.sum))\n\(name)_count\(key) \(h.count)\n"
                    } else if let v = family.values[key] {
                        out += "\(name)\(key) \(Self.number(v))\n"
                    }
                }
            }
            return out
        }
    }

    static func labelText(_ labels: [(String, String)]) -> String {
        guard !labels.isEmpty else { return "" }
        return "{" + labels.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",") + "}"
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }

    /// Prometheus floats: integers without a fraction, others in shortest round-trip form.
    static func number(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }
}
