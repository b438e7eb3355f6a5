/// Fetches content into one region's cache ahead of demand.
///
/// Implementation requirements: keys are fetched in the order given (most wanted first), no
/// faster than `ratePerSecond`, and none is started after `deadline` (the warmer's monotonic
/// clock, seconds); a failed key is reported with its reason and does not stop the others;
/// `warm` returns once every key was fetched, failed or skipped.
public protocol CacheWarmer: Sendable {
    func warm(_ keys: [String], ratePerSecond: Double, deadline: Double) -> WarmReport
}

/// What one warming round did.
public struct WarmReport: Sendable, Equatable {
    /// Keys the cache did not hold fresh and fetched from the origin (a MISS, or no cache status given).
    public var fetched = 0
    /// Keys the cache already held fresh (a HIT).
    public var alreadyCached = 0
    /// Keys that failed, with the reason.
    public var failed: [(key: String, reason: String)] = []
    /// Keys not started because the deadline came first.
    public var skipped = 0

    public init() {}

    public static func == (a: WarmReport, b: WarmReport) -> Bool {
        a.fetched == b.fetched && a.alreadyCached == b.alreadyCached && a.skipped == b.skipped
            && a.failed.elementsEqual(b.failed) { $0.key == $1.key && $0.reason == $1.reason }
    }
}
