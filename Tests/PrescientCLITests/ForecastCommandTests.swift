import Foundation
import PrescientCore
import PrescientTestKit
import Testing

/// `prescient forecast --series` and `prescient backtest` on a small long-format table.
@Suite struct ForecastCommandTests {
    /// Two series of four weeks of hourly data, one with a gap; times in pandas' layout.
    static func table() -> String {
        var text = "unique_id,ds,y\n"
        for id in ["east", "west"] {
            for t in 0..<(24 * 28) {
                let c = CivilTime(epochMilliseconds: Int64(1_772_409_600 + t * 3600) * 1000)   // from Mon 2026-03-02
                let hour = t % 24, day = (t / 24) % 7
                let y = id == "east" && t == 100 ? "" : "\(Double((day >= 5 ? 20 : 50) + hour * (id == "east" ? 2 : 3)))"
                text += "\(id),\(c.year)-0\(c.month)-\(c.day < 10 ? "0" : "")\(c.day) \(hour < 10 ? "0" : "")\(hour):00:00,\(y)\n"
            }
        }
        return text
    }

    @Test func forecastWritesStatsforecastsLayout() throws {
        let input = TestFiles.write(Self.table(), name: "series.csv")
        let out = TestFiles.scratchDirectory("fc") + "/forecast.csv"
        let r = prescient("forecast", "--series", input, "--horizon", "24", "--level", "80", "90", "--out", out)
        #expect(r.status == 0, "\(r.err)")
        let lines = TestFiles.read(out).split(separator: "\n")
        #expect(lines[0] == "unique_id,ds,Prescient,Prescient-lo-80,Prescient-hi-80,Prescient-lo-90,Prescient-hi-90")
        #expect(lines.count == 1 + 2 * 24)
        #expect(lines[1].hasPrefix("east,2026-03-30 00:00:00,"))
        let cells = lines[1 + 12].split(separator: ",").dropFirst(2).map { Double($0)! }
        #expect(abs(cells[0] - 74) < 3)                       // Monday noon, east: 50 + 2·12
        #expect(cells[3] <= cells[1] && cells[1] <= cells[0] && cells[0] <= cells[2] && cells[2] <= cells[4])
        #expect(r.err.contains("forecast: east: 24-step cycle; 168-step cycle"))
    }

    @Test func reconcileMakesEachRegionTheSumOfItsSegments() throws {
        // eu/cpu is not the exact sum of its segments' history (a noisy meter), so base forecasts disagree.
        var text = "unique_id,ds,y\n"
        var rng = SplitMix64(seed: 9)
        for t in 0..<(24 * 28) {
            let c = CivilTime(epochMilliseconds: Int64(1_772_409_600 + t * 3600) * 1000)
            let ds = "\(c.year)-0\(c.month)-\(c.day < 10 ? "0" : "")\(c.day) \(c.hour < 10 ? "0" : "")\(c.hour):00:00"
            let a = 10 + Double(c.hour), b = 30 - Double(c.hour) / 2
            text += "eu/cpu,\(ds),\(a + b + 8 * rng.nextGaussian())\neu/cpu/segment-1,\(ds),\(a)\neu/cpu/segment-2,\(ds),\(b + rng.nextGaussian())\n"
        }
        let input = TestFiles.write(text, name: "hierarchy.csv")
        let r = prescient("forecast", "--series", input, "--horizon", "24", "--reconcile")
        #expect(r.status == 0, "\(r.err)")
        var p50: [String: [Double]] = [:]
        for line in r.out.split(separator: "\n").dropFirst() {
            let cells = line.split(separator: ",")
            p50[String(cells[0]), default: []].append(Double(cells[2])!)
        }
        let total = try #require(p50["eu/cpu"]), one = try #require(p50["eu/cpu/segment-1"]), two = try #require(p50["eu/cpu/segment-2"])
        for h in 0..<24 { #expect(abs(total[h] - one[h] - two[h]) < 1e-6 * total[h], "step \(h)") }
        #expect(r.err.contains("eu/cpu: ") && r.err.contains("reconciled: equals the sum of its 2 children (MinT)"))
        // Without a hierarchy the flag says why it cannot act.
        let flat = prescient("forecast", "--series", TestFiles.write(Self.table(), name: "flat.csv"), "--horizon", "24", "--reconcile")
        #expect(flat.status == 64 && flat.err.contains("no hierarchy in the ids"))
    }

    @Test func backtestWritesCrossValidationRowsAndAMetricsTable() throws {
        let input = TestFiles.write(Self.table(), name: "series.csv")
        let out = TestFiles.scratchDirectory("bt") + "/cv.csv"
        let r = prescient("backtest", "--series", input, "--horizon", "24", "--windows", "3", "--models", "Prescient,SeasonalNaive168", "--out", out)
        #expect(r.status == 0, "\(r.err)")
        let lines = TestFiles.read(out).split(separator: "\n")
        #expect(lines[0] == "unique_id,ds,cutoff,y,Prescient,Prescient-lo-80,Prescient-hi-80,Prescient-lo-98,Prescient-hi-98,SeasonalNaive168,SeasonalNaive168-lo-80,SeasonalNaive168-hi-80,SeasonalNaive168-lo-98,SeasonalNaive168-hi-98")
        #expect(lines.count == 1 + 2 * 3 * 24)
        #expect(lines[1].hasPrefix("east,2026-03-27 00:00:00,2026-03-26 23:00:00,"))
        #expect(r.out.contains("model") && r.out.contains("MASE") && r.out.contains("above p90"))
        // A noiseless weekly pattern: the weekly seasonal naive is exact.
        let sn = try #require(r.out.split(separator: "\n").first { $0.hasPrefix("SeasonalNaive168") })
        #expect(sn.contains(" 0.000 "))
    }

    /// A saved LSTM is loaded by the command and forecasts every series in the LSTM column.
    @Test func forecastWithASavedLSTM() throws {
        var settings = LSTMForecaster.Settings()
        settings.window = 12; settings.hidden = 4; settings.epochs = 1; settings.stride = 48
        let tiny = LSTMForecaster.train([LSTMForecaster.Series(input: ForecastInput(values: (0..<400).map { Double($0 % 24) }))], settings: settings).model
        let weights = TestFiles.write(LSTMCodec.encode(tiny), name: "lstm.txt")
        let input = TestFiles.write(Self.table(), name: "series.csv")
        let r = prescient("forecast", "--series", input, "--horizon", "24", "--models", "Prescient,LSTM", "--load-model", weights)
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.hasPrefix("unique_id,ds,Prescient,Prescient-lo-80,Prescient-hi-80,Prescient-lo-98,Prescient-hi-98,LSTM,LSTM-lo-80,"))
        #expect(r.out.split(separator: "\n").count == 1 + 2 * 24)
        let bad = TestFiles.write("prescient-lstm 1\nwindow x\n", name: "bad-lstm.txt")
        let b = prescient("forecast", "--series", input, "--horizon", "24", "--models", "LSTM", "--load-model", bad)
        #expect(b.status == 65 && b.err.contains("bad-lstm.txt: line"), "\(b.err)")
    }

    @Test(arguments: [
        (["forecast", "--series", "S", "--horizon", "24", "--models", "Profet"], 64, "--models: unknown model 'Profet'"),
        (["forecast", "--series", "S"], 64, "--horizon is required"),
        (["forecast", "--series", "S", "--horizon", "24", "--level", "120"], 64, "--level: '120' is not a percentage"),
        (["forecast", "--series", "S", "--horizon", "24", "--freq", "often"], 64, "--freq: 'often' is not a frequency"),
        (["forecast", "--series", "BAD", "--horizon", "24"], 65, "bad.csv:3: y: not a number: 'many'"),
        (["forecast", "--series", "/nonexistent/x.csv", "--horizon", "24"], 66, "/nonexistent/x.csv"),
        (["backtest", "--series", "S", "--horizon", "24", "--windows", "100"], 65, "no series is long enough for 100 windows"),
        (["forecast", "--series", "S", "--horizon", "2", "--holidays", "HOL"], 65, "hol.csv:2: ds: not a date"),
    ])
    func mistakesAreNamed(_ args: [String], _ status: Int, _ message: String) {
        let good = TestFiles.write(Self.table(), name: "series.csv")
        let bad = TestFiles.write("unique_id,ds,y\na,2026-03-02 00:00:00,1\na,2026-03-02 01:00:00,many\n", name: "bad.csv")
        let hol = TestFiles.write("ds,holiday\nsoon,x\n", name: "hol.csv")
        let r = prescient(args.map { $0 == "S" ? good : $0 == "BAD" ? bad : $0 == "HOL" ? hol : $0 })
        #expect(Int(r.status) == status, "\(r.err)")
        #expect(r.err.contains(message), "\(r.err.prefix(400))")
    }
}
