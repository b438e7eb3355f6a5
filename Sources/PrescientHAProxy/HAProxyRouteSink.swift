import PrescientCore
import PrescientRuntime

/// Publishes routes to HAProxy: the user → backend map replaced atomically at runtime
/// (`prepare map` → `add map @version` in payload chunks → `commit map`), the map file rewritten
/// first (temporary file, fsync, rename) so a reload keeps the same table, and each region's
/// server weight set in `weightsBackend` (a backend with one server per region, named after it).
///
/// Every key and value is checked before anything is written or sent: a bad user id changes
/// nothing. A failure after `prepare map` leaves the prepared version uncommitted (readers keep
/// the old table); the next publish prepares a fresh one.
public final class HAProxyRouteSink: RouteSink {
    public let runtime: HAProxyRuntime
    /// The map file as HAProxy's configuration names it (the runtime API's map identifier).
    public let mapFile: String
    public let weightsBackend: String?
    /// Largest payload of one `add map` command, bytes (HAProxy reads a command into one buffer, 16 KB by default).
    public let payloadBytes: Int

    public init(runtime: HAProxyRuntime, mapFile: String, weightsBackend: String?, payloadBytes: Int = 12_000) {
        self.runtime = runtime; self.mapFile = mapFile; self.weightsBackend = weightsBackend; self.payloadBytes = payloadBytes
    }

    public func publish(_ table: RouteTable) throws(RuntimeError) {
        var lines: [String] = []
        lines.reserveCapacity(table.entries.count)
        do {
            for (k, v) in table.entries { lines.append("\(try HAProxyCommand.checked(k, "map key")) \(try HAProxyCommand.checked(v, "map value"))\n") }
        } catch { throw RuntimeError(.badInput, "haproxy map \(mapFile): \(error); nothing changed") }
        try writeMapFile(lines)
        guard case .version(let version) = try runtime.send(.prepareMap(map: mapFile)) else {
            throw RuntimeError(.io, "haproxy \(runtime.socketPath): prepare map answered no version")
        }
        // The codec's payload form, cut into commands of at most `payloadBytes` (an entry is one
        // "key value\n" line, the same bytes as the map file's).
        var chunk: [(key: String, value: String)] = []
        var bytes = 0
        for (entry, line) in zip(table.entries, lines) {
            if bytes + line.utf8.count > payloadBytes && !chunk.isEmpty {
                try runtime.send(.addMapEntries(map: mapFile, version: version, entries: chunk))
                chunk.removeAll(keepingCapacity: true); bytes = 0
            }
            chunk.append((entry.key, entry.backend)); bytes += line.utf8.count
        }
        if !chunk.isEmpty { try runtime.send(.addMapEntries(map: mapFile, version: version, entries: chunk)) }
        try runtime.send(.commitMap(map: mapFile, version: version))
        if let backend = weightsBackend {
            for (region, weight) in table.weights.sorted(by: { $0.key < $1.key }) {
                try runtime.send(.setWeight(backend: backend, server: region, weight: weight))
            }
        }
    }

    /// The map's current entries as HAProxy serves them.
    public func entries() throws(RuntimeError) -> [HAProxyMapEntry] {
        guard case .entries(let e) = try runtime.send(.showMap(map: mapFile)) else { return [] }
        return e
    }

    private func writeMapFile(_ lines: [String]) throws(RuntimeError) {
        let file = try AtomicFileWriter(path: mapFile)
        do {
            try file.write("# user → backend, written by prescient; HAProxy's runtime copy is replaced at the same time\n")
            for l in lines { try file.write(l) }
            try file.commit(sync: true)
        } catch {
            file.abort()
            throw error
        }
    }
}
