/// Human-readable figures for terminal output.
public enum Formatting {
    /// `0.42 s`, `12.3 s`, `2 min 05 s`.
    public static func seconds(_ s: Double) -> String {
        if s < 10 { return String(format2(s)) + " s" }
        if s < 120 { return String(format1(s)) + " s" }
        let m = Int(s) / 60, r = Int(s) % 60
        return "\(m) min \(r < 10 ? "0" : "")\(r) s"
    }

    /// `950`, `12.4k`, `1.25M`.
    public static func rate(_ r: Double) -> String {
        if r >= 1e6 { return format2(r / 1e6) + "M" }
        if r >= 1e4 { return format1(r / 1e3) + "k" }
        return String(Int(r.rounded()))
    }

    /// `512 B`, `3.2 MiB`, `1.10 GiB`.
    public static func bytes(_ b: Int) -> String {
        let d = Double(b)
        if d >= Double(1 << 30) { return format2(d / Double(1 << 30)) + " GiB" }
        if d >= Double(1 << 20) { return format1(d / Double(1 << 20)) + " MiB" }
        if d >= Double(1 << 10) { return format1(d / Double(1 << 10)) + " KiB" }
        return "\(b) B"
    }

    public static func format1(_ x: Double) -> String { fixed(x, 1) }
    public static func format2(_ x: Double) -> String { fixed(x, 2) }

    /// `x` with exactly `digits` decimals (locale-free).
    public static func fixed(_ x: Double, _ digits: Int) -> String {
        guard x.isFinite else { return "\(x)" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let v = (abs(x) * scale).rounded()
        let whole = Int64(v / scale)
        let frac = Int64(v - Double(whole) * scale)
        var s = (x < 0 && v != 0 ? "-" : "") + String(whole)
        if digits > 0 {
            let f = String(frac)
            s += "." + String(repeating: "0", count: max(0, digits - f.count)) + f
        }
        return s
    }
}
