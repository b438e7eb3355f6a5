/// Calibrates a point forecast into quantiles by its own recent errors (split-conformal style):
/// every minute, the ratio `actual / predicted` of a minute forecast `lead` minutes before is
/// recorded; the level-p forecast of a coming minute is `predicted × Q_p`, Q_p the empirical
/// p-quantile of the last `window` ratios.
///
/// One measured distribution carries both the forecast's error at the lead the planner acts on and
/// the minute-to-minute bursts around it, so no normal assumption and no separate burst factor:
/// what the forecast missed at this lead last week is what it is expected to miss now.
///
/// Ratios are kept in a histogram of `binWidth`-wide bins over [0, `maxRatio`) (an overflow bin
/// above) with a ring of the last `window` bins, so recording and reading a quantile cost O(bins),
/// not a sort.
public struct LeadErrorCalibration: Sendable {
    /// Ratios remembered (minutes): a week, so every hour of the week is in it.
    public let window: Int
    public static let binWidth = 0.01
    public static let maxRatio = 4.0
    static let bins = Int(maxRatio / binWidth)
    private var counts: [Int32]
    private var ring: [UInt16]
    private var next = 0
    public private(set) var count = 0

    public init(window: Int = 7 * 1440) {
        self.window = window
        counts = [Int32](repeating: 0, count: Self.bins + 1)
        ring = [UInt16](repeating: 0, count: window)
    }

    /// Records one minute: what happened against what was predicted for it. A prediction of 0
    /// carries no ratio and is skipped.
    public mutating func record(actual: Double, predicted: Double) {
        guard predicted > 0, actual >= 0, actual.isFinite else { return }
        let bin = UInt16(min(Double(Self.bins), (actual / predicted / Self.binWidth).rounded(.down)))
        if count == window { counts[Int(ring[next])] -= 1 } else { count += 1 }
        ring[next] = bin
        counts[Int(bin)] += 1
        next = (next + 1) % window
    }

    /// The empirical p-quantile of the recorded ratios (the upper edge of the bin it falls in, so
    /// a level is never understated by the binning); nil with nothing recorded.
    public func quantile(_ p: Double) -> Double? {
        guard count > 0 else { return nil }
        let rank = Int((p * Double(count)).rounded(.up))
        var seen = 0
        for (bin, c) in counts.enumerated() {
            seen += Int(c)
            if seen >= max(1, rank) { return Double(bin + 1) * Self.binWidth }
        }
        return Self.maxRatio
    }
}
