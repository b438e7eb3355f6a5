import PrescientCore

/// Where routing decisions go: a load balancer's table of user → backend and its region weights.
///
/// Implementation requirements: `publish` replaces the whole table so that a reader sees either
/// the old or the new one, never a mix; it either applies everything or throws having changed
/// nothing a reader can see (a retry next step then converges); it is safe to call from one
/// thread at a time (the control loop's actuation thread).
public protocol RouteSink: Sendable {
    /// Replaces the user → backend table and sets each region's weight.
    func publish(_ table: RouteTable) throws(RuntimeError)
}

/// What a `RouteSink` publishes.
public struct RouteTable: Sendable, Equatable {
    /// Map key (user id) → backend name, sorted by key.
    public var entries: [(key: String, backend: String)]
    /// Region name → load-balancer weight (0…256).
    public var weights: [String: Int]

    public init(entries: [(key: String, backend: String)], weights: [String: Int]) {
        self.entries = entries; self.weights = weights
    }

    public static func == (a: RouteTable, b: RouteTable) -> Bool {
        a.weights == b.weights && a.entries.elementsEqual(b.entries) { $0.key == $1.key && $0.backend == $1.backend }
    }

    /// Every user routed by `plan` from their home region: backend = `prefix` + region name.
    public static func make(plan: RoutingPlan, users: [(user: String, home: Int)], backendPrefix: String) -> RouteTable {
        let backends = plan.regions.map { backendPrefix + $0 }
        var entries: [(key: String, backend: String)] = []
        entries.reserveCapacity(users.count)
        for (user, home) in users { entries.append((user, backends[plan.target(home: home, bucket: RoutingPlan.bucket(user))])) }
        entries.sort { $0.key < $1.key }
        return RouteTable(entries: entries, weights: Dictionary(uniqueKeysWithValues: zip(plan.regions, plan.weights())))
    }
}
