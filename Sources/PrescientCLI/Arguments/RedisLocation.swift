import PrescientCore
import PrescientRedis
import PrescientRuntime

/// `redis://HOST:PORT[,HOST:PORT…]/NAME[?wait=N&partitions=P]`: Redis Cluster seed nodes, a
/// name (the store's namespace, or the stream's), and options — `wait`: replicas that must
/// acknowledge each write (`WAIT`), `partitions`: streams a producer spreads users over.
/// `redis-stream://` is the same shape for event streams.
struct RedisLocation {
    var seeds: [String]
    var name: String
    var wait = 0
    var partitions = 8
    /// Whether the URL said how many partitions (else a worker discovers them).
    var partitionsGiven = false

    init(_ url: String) throws(UsageError) {
        guard let schemeEnd = url.range(of: "://") else { throw UsageError("'\(url)': not a redis:// URL") }
        let rest = url[schemeEnd.upperBound...]
        let query = rest.firstIndex(of: "?").map { String(rest[rest.index(after: $0)...]) } ?? ""
        let main = rest.prefix { $0 != "?" }
        guard let slash = main.firstIndex(of: "/") else { throw UsageError("'\(url)': give a name after the nodes (redis://HOST:PORT/NAME)") }
        seeds = main[..<slash].split(separator: ",").map(String.init)
        name = String(main[main.index(after: slash)...])
        guard !seeds.isEmpty, seeds.allSatisfy({ HostPort($0, defaultPort: 6379) != nil }) else { throw UsageError("'\(url)': nodes must be HOST:PORT[,HOST:PORT…]") }
        guard !name.isEmpty else { throw UsageError("'\(url)': the name after the nodes is empty") }
        for pair in query.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2, let v = Int(kv[1]), v >= 0 else { throw UsageError("'\(url)': bad option '\(pair)'") }
            switch kv[0] {
            case "wait": wait = v
            case "partitions":
                guard (1...4096).contains(v) else { throw UsageError("'\(url)': partitions must be 1…4096") }
                partitions = v
                partitionsGiven = true
            default: throw UsageError("'\(url)': unknown option '\(kv[0])' (wait, partitions)")
            }
        }
    }

    func client() -> RedisClusterClient { RedisClusterClient(seeds: seeds, waitReplicas: wait) }

    func openStore() throws -> RedisClusterProfileStore { try RedisClusterProfileStore(client: client(), namespace: name) }
}
