/// The models Prescient offers by name (`--models`), and its default.
public enum ForecastModels {
    /// Names accepted by `named(_:)`, the default first.
    public static let names = ["Prescient", "MSETS", "SeasonalNaive24", "SeasonalNaive168", "Combined"]
    /// Models that must be trained across the series first (`LSTMForecaster.train`).
    public static let trained = ["LSTM"]

    /// The default model: the column `Prescient`.
    public static func `default`() -> any Forecaster { MultiSeasonalETS(naiveBlend: true, name: "Prescient") }

    public static func named(_ name: String) -> (any Forecaster)? {
        switch name.lowercased() {
        case "prescient": return `default`()
        case "msets": return MultiSeasonalETS()
        case "seasonalnaive24": return SeasonalNaive(season: 24, name: "SeasonalNaive24")
        case "seasonalnaive168": return SeasonalNaive(season: 168, name: "SeasonalNaive168")
        // MSETS and the two naive forecasts weighted per series by a 3-origin rolling backtest.
        case "combined": return Combiner(members: [MultiSeasonalETS(), SeasonalNaive(season: 168, name: "SeasonalNaive168"), SeasonalNaive(season: 24, name: "SeasonalNaive24")], windows: 3, name: "Combined")
        default: return nil
        }
    }

    /// Every model, the default first.
    public static func all() -> [any Forecaster] { names.compactMap(named) }
}
