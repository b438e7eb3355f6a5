import Foundation
import PrescientCore
import Testing

@Suite struct LSTMTests {
    static func randomExample(_ rng: inout SplitMix64, inputs: Int, steps: Int, skips: Int, outputs: Int) -> LSTMNetwork.Example {
        LSTMNetwork.Example(sequence: (0..<(inputs * steps)).map { _ in rng.nextGaussian() },
                            skip: (0..<skips).map { _ in rng.nextGaussian() },
                            target: (0..<outputs).map { _ in 3 * rng.nextGaussian() })
    }

    /// Backpropagation through time against central finite differences, every parameter.
    @Test func gradientMatchesFiniteDifferences() {
        var rng = SplitMix64(seed: 3)
        var net = LSTMNetwork(inputs: 3, hidden: 4, skips: 2, outputs: 4, seed: 9)
        // Larger head weights than the initialisation, so every path carries gradient.
        for k in net.parameters.indices { net.parameters[k] += 0.3 * rng.nextGaussian() }
        let levels = [0.1, 0.5, 0.9, 0.99]
        let e = Self.randomExample(&rng, inputs: 3, steps: 5, skips: 2, outputs: 4)
        var grad = [Double](repeating: 0, count: net.parameters.count)
        net.gradient(e, levels: levels, into: &grad)
        var worst = 0.0
        for k in net.parameters.indices {
            var plus = net, minus = net
            let eps = 1e-6
            plus.parameters[k] += eps; minus.parameters[k] -= eps
            let numeric = (plus.loss(e, levels: levels) - minus.loss(e, levels: levels)) / (2 * eps)
            let err = abs(numeric - grad[k]) / max(1e-6, abs(numeric) + abs(grad[k]))
            if abs(numeric - grad[k]) > 1e-7 { worst = max(worst, err) }
        }
        #expect(worst < 1e-4, "largest relative gradient error \(worst)")
    }

    static func seasonalSeries(seed: UInt64, weeks: Int, scale: Double) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0..<(weeks * 168)).map { t in
            let hour = Double(t % 24), weekend = (t / 24) % 7 >= 5
            let level = scale * (1.2 + _sin(2 * Double.pi * (hour - 8) / 24)) * (weekend ? 0.4 : 1)
            return max(0, level * (1 + 0.1 * rng.nextGaussian()))
        }
    }

    @Test func trainsDeterministicallyLearnsAndRoundTrips() throws {
        var s = LSTMForecaster.Settings()
        s.window = 24; s.hidden = 8; s.epochs = 4; s.stride = 12; s.seed = 4
        let series = (0..<3).map { LSTMForecaster.Series(input: ForecastInput(values: Self.seasonalSeries(seed: UInt64($0), weeks: 4, scale: [50.0, 400, 3000][$0]))) }
        let a = LSTMForecaster.train(series, settings: s)
        let b = LSTMForecaster.train(series, settings: s)
        #expect(a.model.network == b.model.network)
        #expect(a.losses.last! < a.losses.first!, "losses \(a.losses)")
        // A held-out series of another size: the global model forecasts its shape.
        let history = Self.seasonalSeries(seed: 77, weeks: 3, scale: 120)
        let f = a.model.forecast(ForecastInput(values: history), horizon: 24, quantiles: [0.1, 0.9])
        let actual = Array(Self.seasonalSeries(seed: 77, weeks: 4, scale: 120)[(3 * 168)..<(3 * 168 + 24)])
        let mean = history.reduce(0, +) / Double(history.count)
        let flat = [Double](repeating: mean, count: 24)
        let lstm = try #require(ForecastMetrics.mae(actual: actual, forecast: f.mean))
        let naive = try #require(ForecastMetrics.mae(actual: actual, forecast: flat))
        #expect(lstm < naive, "LSTM MAE \(lstm) vs flat mean \(naive)")
        #expect(zip(f.quantiles[0.1]!, f.quantiles[0.9]!).allSatisfy { $0 <= $1 })
        // Saved and loaded: the same forecasts, bit for bit.
        let text = LSTMCodec.encode(a.model)
        let loaded = try LSTMCodec.decode(text)
        #expect(loaded.network == a.model.network && loaded.settings == a.model.settings)
        #expect(loaded.forecast(ForecastInput(values: history), horizon: 24, quantiles: [0.9]) == a.model.forecast(ForecastInput(values: history), horizon: 24, quantiles: [0.9]))
        #expect(throws: LSTMCodec.Failure(line: 1, reason: "not a Prescient LSTM file (expected 'prescient-lstm 1')")) { try LSTMCodec.decode("hello\n") }
        let broken = text.replacingFirst("parameters ", with: "parameters 1")
        #expect(throws: (any Error).self) { try LSTMCodec.decode(broken) }
    }
}

extension String {
    func replacingFirst(_ a: String, with b: String) -> String {
        guard let r = range(of: a) else { return self }
        return replacingCharacters(in: r, with: b)
    }
}
