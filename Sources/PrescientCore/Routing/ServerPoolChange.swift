/// One backend server as HAProxy reports it (`show servers state <backend>`) or as Prescient wants it.
public struct BackendServer: Sendable, Equatable {
    public enum Admin: Sendable, Equatable {
        /// Taking traffic (or able to).
        case ready
        /// Finishing its connections, taking no new ones.
        case draining
        /// In maintenance: no traffic at all (a freshly added server starts here).
        case maintenance
    }
    public var name: String
    public var address: String
    public var port: Int
    public var weight: Int
    public var admin: Admin

    public init(name: String, address: String, port: Int, weight: Int, admin: Admin = .ready) {
        self.name = name; self.address = address; self.port = port; self.weight = weight; self.admin = admin
    }

    /// Parses the reply of `show servers state <backend>` (version line, `#` header, one line of
    /// space-separated fields per server: be_id be_name srv_id srv_name srv_addr srv_op_state
    /// srv_admin_state srv_uweight srv_iweight … srv_port at index 18).
    public static func parseState(_ reply: String) throws(HAProxyCommand.InvalidArgument) -> [BackendServer] {
        var out: [BackendServer] = []
        for line in reply.split(separator: "\n") where !line.hasPrefix("#") && line.contains(" ") {
            let f = line.split(separator: " ")
            guard f.count >= 19, let adminBits = Int(f[6]), let weight = Int(f[7]), let port = Int(f[18]) else {
                throw HAProxyCommand.InvalidArgument(description: "show servers state: unexpected line '\(line.prefix(80))'")
            }
            // srv_admin_state bits: 0x01 forced maintenance, 0x02 inherited, 0x04 from a resolver,
            // 0x08 forced drain, 0x10 inherited drain, 0x20 resolver; 0x01|0x02|0x04|0x20 mean no traffic.
            let admin: Admin = adminBits & 0x27 != 0 ? .maintenance : adminBits & 0x18 != 0 ? .draining : .ready
            out.append(BackendServer(name: String(f[3]), address: String(f[4]), port: port, weight: weight, admin: admin))
        }
        return out
    }
}

/// The runtime-API commands that take a backend's servers from what HAProxy has to what the
/// fleet wants (pure). A server that should exist and does not: `add server` (it starts in
/// maintenance) then `enable server`. One in both: its weight set when it differs, re-enabled if
/// it was draining or in maintenance. One no longer wanted: drained first (it finishes its
/// connections); a server already draining at the next sync is disabled and deleted — so a
/// terminated instance gets one sync interval to finish its requests.
public enum ServerPoolChange {
    public static func commands(backend: String, current: [BackendServer], wanted: [BackendServer]) -> [HAProxyCommand] {
        var out: [HAProxyCommand] = []
        let now = Dictionary(current.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for w in wanted {
            guard let c = now[w.name] else {
                out.append(.addServer(backend: backend, server: w.name, address: w.address, port: w.port, weight: w.weight))
                out.append(.enableServer(backend: backend, server: w.name))
                continue
            }
            if c.weight != w.weight { out.append(.setWeight(backend: backend, server: w.name, weight: w.weight)) }
            if c.admin != .ready { out.append(.enableServer(backend: backend, server: w.name)) }
        }
        let keep = Set(wanted.map(\.name))
        for c in current where !keep.contains(c.name) {
            switch c.admin {
            case .ready: out.append(.drainServer(backend: backend, server: c.name))
            case .draining:
                out.append(.disableServer(backend: backend, server: c.name))
                out.append(.deleteServer(backend: backend, server: c.name))
            case .maintenance: out.append(.deleteServer(backend: backend, server: c.name))
            }
        }
        return out
    }
}
