import PrescientCore
import Testing

/// The calibration's quantiles are the recorded ratios' and forget what left the window.
@Suite struct LeadErrorCalibrationTests {
    @Test func quantilesAreTheRatiosOwnAndRoundUpToTheBin() {
        var c = LeadErrorCalibration(window: 100)
        #expect(c.quantile(0.5) == nil)
        // Ratios 0.5, 0.51, …, 1.49 (predicted 100, actual 50…149).
        for k in 0..<100 { c.record(actual: Double(50 + k), predicted: 100) }
        #expect(c.count == 100)
        #expect(abs(c.quantile(0.5)! - 1.0) < 1e-9)   // the 50th ratio, 0.99, in bin [0.99, 1.00)
        #expect(abs(c.quantile(0.9)! - 1.4) < 1e-9)
        #expect(abs(c.quantile(1.0)! - 1.5) < 1e-9)
        // Nothing recorded for a zero prediction or a bad actual.
        c.record(actual: 5, predicted: 0)
        c.record(actual: .nan, predicted: 10)
        #expect(c.count == 100)
    }

    @Test func theWindowForgetsTheOldestAndOutliersLandInTheTopBin() {
        var c = LeadErrorCalibration(window: 10)
        for _ in 0..<10 { c.record(actual: 300, predicted: 100) }   // ratio 3
        for _ in 0..<10 { c.record(actual: 100, predicted: 100) }   // ratio 1 pushes them all out
        #expect(abs(c.quantile(1.0)! - 1.01) < 1e-9)
        c.record(actual: 1_000, predicted: 1)                       // beyond maxRatio
        #expect(c.quantile(1.0) == LeadErrorCalibration.maxRatio + LeadErrorCalibration.binWidth)
        #expect(c.count == 10)
    }
}
