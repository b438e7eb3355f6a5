/// Which node serves each hash slot, from a `CLUSTER SLOTS` reply (pure).
///
/// The reply is an array of ranges `[start, end, [host, port, id…], [replica…]…]`; the first
/// address of a range is its master. Nodes are kept as "host:port" (IPv6 hosts in brackets).
public struct ClusterTopology: Sendable, Equatable {
    /// Masters, in first-seen order.
    public private(set) var masters: [String] = []
    /// Replicas of each master (same order as `masters`).
    public private(set) var replicas: [[String]] = []
    /// slot → index into `masters` (−1 for a slot no range covers).
    public private(set) var owner: [Int16]

    public init(masters: [String], replicas: [[String]], owner: [Int16]) {
        self.masters = masters; self.replicas = replicas; self.owner = owner
    }

    public struct FormatError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public init(clusterSlots reply: RESPValue) throws(FormatError) {
        owner = [Int16](repeating: -1, count: ClusterSlot.count)
        guard case .array(let ranges) = reply else { throw FormatError(description: "CLUSTER SLOTS: not an array") }
        for range in ranges {
            guard case .array(let r) = range, r.count >= 3, case .integer(let lo) = r[0], case .integer(let hi) = r[1],
                  0 <= lo, lo <= hi, hi < ClusterSlot.count else {
                throw FormatError(description: "CLUSTER SLOTS: a range is not [start, end, node…] within 0…16383")
            }
            let nodes = try r[2...].map { (n) throws(FormatError) -> String in
                guard case .array(let f) = n, f.count >= 2, let host = f[0].text, case .integer(let port) = f[1] else {
                    throw FormatError(description: "CLUSTER SLOTS: a node is not [host, port, …]")
                }
                return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
            }
            let master = nodes[0]
            var index = masters.firstIndex(of: master)
            if index == nil { masters.append(master); replicas.append([]); index = masters.count - 1 }
            for replica in nodes.dropFirst() where !replicas[index!].contains(replica) { replicas[index!].append(replica) }
            for s in Int(lo)...Int(hi) { owner[s] = Int16(index!) }
        }
    }

    /// The master serving `slot`, if any.
    public func master(for slot: Int) -> String? {
        let i = owner[slot]
        return i >= 0 ? masters[Int(i)] : nil
    }

    /// Whether every slot is served.
    public var isComplete: Bool { !owner.contains(-1) }
}

/// What a Redis error reply asks a cluster client to do (pure).
public enum RedisRedirection: Sendable, Equatable {
    /// `MOVED slot host:port`: the slot lives elsewhere now; refresh the map, send there.
    case moved(slot: Int, node: String)
    /// `ASK slot host:port`: this one command goes to that node, after `ASKING`.
    case ask(slot: Int, node: String)
    /// The cluster is failing over or loading (CLUSTERDOWN, TRYAGAIN, LOADING, MASTERDOWN,
    /// READONLY after a demotion): wait, refresh the map, retry.
    case retry(String)
    /// Any other error: the command's own failure.
    case fail(String)

    public init(error: String) {
        let parts = error.split(separator: " ")
        let head = parts.first.map(String.init) ?? ""
        switch head {
        case "MOVED", "ASK":
            if parts.count == 3, let slot = Int(parts[1]) {
                self = head == "MOVED" ? .moved(slot: slot, node: String(parts[2])) : .ask(slot: slot, node: String(parts[2]))
            } else {
                self = .fail(error)
            }
        case "CLUSTERDOWN", "TRYAGAIN", "LOADING", "MASTERDOWN", "READONLY":
            self = .retry(error)
        default:
            self = .fail(error)
        }
    }
}
