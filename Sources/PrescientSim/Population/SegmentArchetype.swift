#if canImport(Glibc)
import Glibc
#endif
import PrescientCore

/// The ground-truth user segments of the synthetic population: distinct weekly rhythms, device
/// and feature mixes, session lengths. Rhythms are in the user's local time.
public enum SegmentArchetype: Int, Sendable, CaseIterable {
    case commuter, eveningStreamer, weekendHeavy, businessHours, nightOwl

    public var name: String {
        switch self {
        case .commuter: "commuter"
        case .eveningStreamer: "evening_streamer"
        case .weekendHeavy: "weekend_heavy"
        case .businessHours: "business_hours"
        case .nightOwl: "night_owl"
        }
    }

    public var summary: String {
        switch self {
        case .commuter: "weekday peaks 07–09 and 17–19 on phones; news and music"
        case .eveningStreamer: "every evening 19–24, TVs and desktops; video; more when it rains"
        case .weekendHeavy: "Saturday and Sunday daytime on tablets and phones; shopping, video, games"
        case .businessHours: "weekdays 09–17 on desktops; docs, API, search"
        case .nightOwl: "late night 22–03 every day; games, video, music"
        }
    }

    /// Mean sessions per active day at activity level 1.
    var sessionsPerDay: Double {
        switch self {
        case .commuter: 3.2
        case .eveningStreamer: 1.6
        case .weekendHeavy: 1.5
        case .businessHours: 3.6
        case .nightOwl: 1.5
        }
    }

    /// Mean session length, seconds (exponential, clipped to 10 s … 4 h).
    var meanSessionSeconds: Double {
        switch self {
        case .commuter: 14 * 60
        case .eveningStreamer: 55 * 60
        case .weekendHeavy: 32 * 60
        case .businessHours: 22 * 60
        case .nightOwl: 48 * 60
        }
    }

    /// Relative activity of a weekday (0 = Monday … 6 = Sunday).
    func dayWeight(_ weekday: Int) -> Double {
        let weekend = weekday >= 5
        switch self {
        case .commuter: return weekend ? 0.35 : 1.15
        case .eveningStreamer: return weekday == 4 || weekday == 5 ? 1.25 : (weekday == 6 ? 1.1 : 0.9)
        case .weekendHeavy: return weekend ? 2.6 : 0.35
        case .businessHours: return weekend ? 0.06 : 1.38
        case .nightOwl: return weekday == 4 || weekday == 5 ? 1.3 : 0.92
        }
    }

    /// Relative activity of each local hour 0…23 on a weekday or a weekend day (need not sum to 1).
    func hourShape(weekend: Bool) -> [Double] {
        func bumps(_ list: [(center: Double, width: Double, height: Double)], floor: Double) -> [Double] {
            (0..<24).map { h in
                let x = Double(h) + 0.5
                var v = floor
                for b in list {
                    // Circular distance so late-night bumps wrap midnight.
                    let d = min(abs(x - b.center), 24 - abs(x - b.center))
                    v += b.height * exp(-d * d / (2 * b.width * b.width))
                }
                return v
            }
        }
        switch self {
        case .commuter:
            return weekend ? bumps([(11, 3, 0.6), (17, 3, 0.5)], floor: 0.03)
                           : bumps([(7.8, 0.9, 1.0), (17.8, 1.0, 0.9), (12.5, 0.8, 0.3)], floor: 0.02)
        case .eveningStreamer:
            return weekend ? bumps([(21, 2.0, 1.0), (15, 2.5, 0.3)], floor: 0.02)
                           : bumps([(21.2, 1.6, 1.0)], floor: 0.015)
        case .weekendHeavy:
            return bumps([(12, 2.5, 0.8), (17, 2.5, 0.7), (20.5, 1.5, 0.5)], floor: 0.02)
        case .businessHours:
            return weekend ? bumps([(11, 2, 0.5)], floor: 0.02)
                           : bumps([(10.2, 1.4, 1.0), (14.8, 1.5, 0.95)], floor: 0.01)
        case .nightOwl:
            return bumps([(0.8, 1.9, 1.0), (22.5, 1.0, 0.4)], floor: 0.03)
        }
    }

    /// Device mix: (device, weight).
    var devices: [(DeviceClass, Double)] {
        switch self {
        case .commuter: [(.mobile, 0.8), (.tablet, 0.1), (.desktop, 0.1)]
        case .eveningStreamer: [(.tv, 0.35), (.desktop, 0.3), (.tablet, 0.2), (.mobile, 0.15)]
        case .weekendHeavy: [(.tablet, 0.4), (.mobile, 0.4), (.desktop, 0.2)]
        case .businessHours: [(.desktop, 0.85), (.mobile, 0.15)]
        case .nightOwl: [(.desktop, 0.5), (.mobile, 0.35), (.tv, 0.15)]
        }
    }

    /// Feature mix by feature name (names missing from the configuration are ignored).
    var features: [(String, Double)] {
        switch self {
        case .commuter: [("news", 0.4), ("music", 0.35), ("video", 0.1), ("search", 0.1), ("api", 0.05)]
        case .eveningStreamer: [("video", 0.75), ("music", 0.08), ("search", 0.07), ("shopping", 0.1)]
        case .weekendHeavy: [("shopping", 0.4), ("video", 0.3), ("gaming", 0.15), ("search", 0.15)]
        case .businessHours: [("docs", 0.45), ("api", 0.25), ("search", 0.2), ("news", 0.1)]
        case .nightOwl: [("gaming", 0.5), ("video", 0.3), ("music", 0.2)]
        }
    }

    /// Segment proportions in a region: a table for the default region names, and a seeded
    /// variation of the average mix for others.
    static func mix(forRegion name: String, index: Int, seed: UInt64) -> [Double] {
        switch name {
        case "us-east": return [0.24, 0.27, 0.14, 0.25, 0.10]
        case "eu-west": return [0.32, 0.20, 0.20, 0.21, 0.07]
        case "ap-northeast": return [0.36, 0.14, 0.10, 0.26, 0.14]
        case "ap-southeast": return [0.18, 0.30, 0.27, 0.10, 0.15]
        default:
            var rng = SplitMix64(seed: seed).derive(0x5E6_0000 &+ UInt64(index))
            let base = [0.26, 0.23, 0.18, 0.21, 0.12]
            let w = base.map { $0 * (0.5 + rng.nextUnit()) }
            let s = w.reduce(0, +)
            return w.map { $0 / s }
        }
    }
}

