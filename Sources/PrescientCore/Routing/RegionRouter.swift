/// Which region a user should be sent to now, and why (pure).
///
/// The user's region is where they are now (the profile's recent location), else their usual one
/// (the long region mix), else the first configured region. It is kept while it has room —
/// `headroom` = planned capacity − the next hour's p90 forecast, vCPU — so users stay where their
/// latency is lowest and do not flap; when it is short, the nearest neighbour (config latency)
/// with room takes them; with no room anywhere they stay.
public struct RegionRouter: Sendable {
    public let regions: [RegionSpec]

    public init(regions: [RegionSpec]) { self.regions = regions }

    public struct Route: Sendable, Equatable {
        public var region: String
        public var reason: String
        public init(region: String, reason: String) { self.region = region; self.reason = reason }
    }

    /// `here`: the region the user is in now (`UserProfile.currentRegion`); `usual`: the top of their
    /// long region mix (`UserProfile.usualRegion`). Unknown region names are ignored.
    public func route(here: String?, usual: String?, headroom: [String: Double]) -> Route {
        let known = { (name: String?) in name.flatMap { n in self.regions.contains { $0.name == n } ? n : nil } }
        let (home, why): (String, String)
        if let here = known(here) { (home, why) = (here, "where the user is now") }
        else if let usual = known(usual) { (home, why) = (usual, "the user's usual region") }
        else { (home, why) = (regions[0].name, "no history for the user; the first region") }
        guard let spare = headroom[home] else {
            return Route(region: home, reason: "\(home): \(why) (no capacity figures yet)")
        }
        if spare >= 0 {
            return Route(region: home, reason: "\(home): \(why), \(Self.vcpu(spare)) spare over its next-hour p90")
        }
        let neighbours = (regions.first { $0.name == home }?.neighbours ?? [:]).sorted { $0.value < $1.value || ($0.value == $1.value && $0.key < $1.key) }
        for (name, latency) in neighbours {
            if let room = headroom[name], room > 0 {
                return Route(region: name, reason: "\(name): \(home) (\(why)) is \(Self.vcpu(-spare)) short over its next-hour p90; \(name) is \(Int(latency)) ms away with \(Self.vcpu(room)) spare")
            }
        }
        return Route(region: home, reason: "\(home): \(why); it is \(Self.vcpu(-spare)) short but no neighbour has room")
    }

    static func vcpu(_ x: Double) -> String { "\(Double(Int((x * 10).rounded())) / 10) vCPU" }
}
