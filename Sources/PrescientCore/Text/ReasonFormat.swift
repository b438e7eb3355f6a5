/// How numbers read in the reasons decisions carry (planner, routing, warming): one spelling, so
/// every reason a person reads writes a share and an amount the same way.
enum ReasonFormat {
    /// A fraction as a whole percentage: 0.804 → "80 %".
    static func percent(_ fraction: Double) -> String { "\(Int((fraction * 100).rounded())) %" }

    /// A value rounded to tenths: 12.345 → "12.3".
    static func tenths(_ x: Double) -> String { "\(Double(Int((x * 10).rounded())) / 10)" }
}
