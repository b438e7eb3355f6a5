#if canImport(Glibc)
import Glibc
#endif

/// A blocking socket with deadlines: Unix-domain or TCP/UDP over IPv4/IPv6 (numeric addresses or
/// `localhost`). The thin transport under the pure codecs (HAProxy runtime API, DNS, HTTP HEAD):
/// every wait is bounded by `timeout` seconds, and every failure is a `RuntimeError(.io)` that
/// names the peer and the system's reason.
public final class Socket {
    public let peer: String
    let fd: Int32
    /// Seconds any single wait (connect, send, receive) may take.
    public var timeout: Double

    init(fd: Int32, peer: String, timeout: Double) { self.fd = fd; self.peer = peer; self.timeout = timeout }
    deinit { close(fd) }

    static func failure(_ peer: String, _ what: String, _ code: Int32 = errno) -> RuntimeError {
        RuntimeError(.io, "\(peer): \(what): \(String(cString: strerror(code)))")
    }

    /// Connects to a Unix-domain stream socket at `path`.
    public static func unix(_ path: String, timeout: Double = 5) throws(RuntimeError) -> Socket {
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw failure(path, "socket") }
        let s = Socket(fd: fd, peer: path, timeout: timeout)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else { throw RuntimeError(.configuration, "\(path): socket path too long") }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in for (i, b) in bytes.enumerated() { raw[i] = b } }
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        guard rc == 0 else { throw failure(path, "connect") }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        return s
    }

    /// Connects over TCP (`datagram: false`) or UDP to `host` (a numeric IPv4/IPv6 address or
    /// `localhost`) and `port`, waiting at most `timeout` seconds for the connection.
    public static func connect(host: String, port: Int, datagram: Bool = false, timeout: Double = 5) throws(RuntimeError) -> Socket {
        let peer = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        let name = host == "localhost" ? "127.0.0.1" : host
        var storage = sockaddr_storage()
        let length: socklen_t
        let family: Int32
        if name.contains(":") {
            var a = sockaddr_in6()
            a.sin6_family = sa_family_t(AF_INET6); a.sin6_port = UInt16(port).bigEndian
            guard inet_pton(AF_INET6, name, &a.sin6_addr) == 1 else { throw RuntimeError(.configuration, "\(peer): not a numeric IPv6 address") }
            withUnsafeMutableBytes(of: &storage) { dst in withUnsafeBytes(of: a) { dst.copyMemory(from: $0) } }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size); family = AF_INET6
        } else {
            var a = sockaddr_in()
            a.sin_family = sa_family_t(AF_INET); a.sin_port = UInt16(port).bigEndian
            guard inet_pton(AF_INET, name, &a.sin_addr) == 1 else { throw RuntimeError(.configuration, "\(peer): not a numeric IPv4 address") }
            withUnsafeMutableBytes(of: &storage) { dst in withUnsafeBytes(of: a) { dst.copyMemory(from: $0) } }
            length = socklen_t(MemoryLayout<sockaddr_in>.size); family = AF_INET
        }
        let type = datagram ? Int32(SOCK_DGRAM.rawValue) : Int32(SOCK_STREAM.rawValue)
        let fd = Glibc.socket(family, type | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw failure(peer, "socket") }
        let s = Socket(fd: fd, peer: peer, timeout: timeout)
        let rc = withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, length) } }
        if rc != 0 {
            guard errno == EINPROGRESS else { throw failure(peer, "connect") }
            try s.wait(for: Int16(POLLOUT), "connect")
            var error: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size)
            guard error == 0 else { throw failure(peer, "connect", error) }
        }
        if !datagram {
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        return s
    }

    func wait(for events: Int16, _ what: String) throws(RuntimeError) {
        var p = pollfd(fd: fd, events: events, revents: 0)
        while true {
            let rc = poll(&p, 1, Int32(timeout * 1000))
            if rc > 0 { return }
            if rc == 0 { throw RuntimeError(.io, "\(peer): \(what): no answer within \(timeout) s") }
            if errno != EINTR { throw Self.failure(peer, what) }
        }
    }

    /// Sends every byte (a datagram is one `send`).
    public func send(_ bytes: [UInt8]) throws(RuntimeError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if n >= 0 { offset += n; continue }
            if errno == EAGAIN || errno == EINTR { try wait(for: Int16(POLLOUT), "send"); continue }
            throw Self.failure(peer, "send")
        }
    }

    public func send(_ text: String) throws(RuntimeError) { try send(Array(text.utf8)) }

    /// Receives what is there (at most `limit` bytes), waiting for something; empty at EOF.
    public func receive(limit: Int = 65_536) throws(RuntimeError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: limit)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, limit, 0) }
            if n >= 0 { return Array(buffer[..<n]) }
            if errno == EAGAIN || errno == EINTR { try wait(for: Int16(POLLIN), "receive"); continue }
            throw Self.failure(peer, "receive")
        }
    }

    /// Receives exactly `count` bytes (a stream), failing at an early EOF.
    public func receive(exactly count: Int) throws(RuntimeError) -> [UInt8] {
        var out: [UInt8] = []
        while out.count < count {
            let part = try receive(limit: count - out.count)
            if part.isEmpty { throw RuntimeError(.io, "\(peer): closed after \(out.count) of \(count) bytes") }
            out += part
        }
        return out
    }

    /// Reads until the peer closes (the HAProxy runtime API's reply), at most `limit` bytes.
    public func receiveToEOF(limit: Int = 64 << 20) throws(RuntimeError) -> [UInt8] {
        var out: [UInt8] = []
        while true {
            let part = try receive()
            if part.isEmpty { return out }
            out += part
            if out.count > limit { throw RuntimeError(.io, "\(peer): reply longer than \(limit) bytes") }
        }
    }

    /// Stops sending (the peer sees EOF) while still receiving.
    public func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }
}
