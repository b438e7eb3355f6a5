/// Self-contained charts for HTML pages (reports, the dashboard): inline SVG, no scripts, no network.
public enum SVGChart {
    /// A line chart, `width` × `height` (+ 20 for the label), of series sharing one y scale from 0;
    /// the top of the scale is written in the corner. A non-finite value is a gap in its line.
    public static func lines(_ lines: [(colour: String, values: [Double])], width: Double = 900, height: Double = 220) -> String {
        let top = max(1e-9, lines.flatMap(\.values).filter(\.isFinite).max() ?? 1)
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height) + 20)\" viewBox=\"0 0 \(Int(width)) \(Int(height) + 20)\">"
        s += "<text x=\"4\" y=\"12\" font-size=\"11\">\(Double(Int(top * 10)) / 10)</text><line x1=\"0\" y1=\"\(height)\" x2=\"\(width)\" y2=\"\(height)\" stroke=\"#999\"/>"
        for (colour, values) in lines where values.count > 1 {
            let step = width / Double(values.count - 1)
            var run: [String] = []
            func flush() {
                if run.count > 1 { s += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.2\" points=\"\(run.joined(separator: " "))\"/>" }
                run.removeAll()
            }
            for (i, v) in values.enumerated() {
                guard v.isFinite else { flush(); continue }
                run.append("\(Double(Int(Double(i) * step * 10)) / 10),\(Double(Int((height - v / top * (height - 16)) * 10)) / 10)")
            }
            flush()
        }
        return s + "</svg>"
    }

    /// Text for HTML: `<`, `>`, `&`, `"` escaped.
    public static func escapeHTML(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
