/// Everything Prescient needs to know about the service it scales, validated before anything runs.
///
/// Only the CLI reads files and the environment; the core receives this value. Every section has
/// documented defaults, so `PrescientConfig.default` runs the demo with no file at all.
public struct PrescientConfig: Sendable, Hashable {
    public var regions: [RegionSpec]
    public var features: [FeatureSpec]
    public var instanceTypes: [InstanceTypeSpec]
    public var slo: SLOSpec
    public var scaling: ScalingSpec
    public var ingest: IngestSpec
    public var profiles: ProfileSpec
    public var integrations: IntegrationsSpec
    public var serve: ServeSpec

    public init(regions: [RegionSpec], features: [FeatureSpec], instanceTypes: [InstanceTypeSpec],
                slo: SLOSpec = .init(), scaling: ScalingSpec = .init(), ingest: IngestSpec = .init(),
                profiles: ProfileSpec = .init(), integrations: IntegrationsSpec = .init(), serve: ServeSpec = .init()) {
        self.regions = regions; self.features = features; self.instanceTypes = instanceTypes
        self.slo = slo; self.scaling = scaling; self.ingest = ingest; self.profiles = profiles
        self.integrations = integrations; self.serve = serve
    }

    public var regionNames: [String] { regions.map(\.name) }

    public func region(named name: String) -> RegionSpec? { regions.first { $0.name == name } }

    public func feature(named name: String) -> FeatureSpec? { features.first { $0.name == name } }
}
