import PrescientCore
import PrescientRuntime

/// One connection to one Redis node: commands sent in a pipeline, their replies read in order.
final class RedisConnection {
    let node: String
    let socket: Socket
    var parser = RESPParser()

    init(node: String, timeout: Double) throws(RuntimeError) {
        guard let hp = HostPort(node, defaultPort: 6379) else { throw RuntimeError(.configuration, "redis: '\(node)' is not HOST:PORT") }
        self.node = node
        socket = try Socket.connect(host: hp.host, port: hp.port, timeout: timeout)
    }

    /// Sends every command (already encoded) and returns one reply per command.
    func pipeline(_ commands: [[UInt8]]) throws(RuntimeError) -> [RESPValue] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(commands.reduce(0) { $0 + $1.count })
        for c in commands { bytes += c }
        try socket.send(bytes)
        var replies: [RESPValue] = []
        replies.reserveCapacity(commands.count)
        while replies.count < commands.count {
            do {
                while let v = try parser.next() {
                    replies.append(v)
                    if replies.count == commands.count { break }
                }
            } catch {
                throw RuntimeError(.io, "redis \(node): \(error.description)")
            }
            if replies.count == commands.count { break }
            let chunk = try socket.receive(limit: 1 << 20)
            if chunk.isEmpty { throw RuntimeError(.io, "redis \(node): connection closed after \(replies.count) of \(commands.count) replies") }
            parser.feed(chunk)
        }
        return replies
    }
}
