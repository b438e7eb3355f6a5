#if canImport(Glibc)
import Glibc
#endif
import PrescientCore
import PrescientRuntime

/// RFC 2136 dynamic updates signed with TSIG (HMAC-SHA256), sent to an authoritative server.
///
/// One `replace` is one UPDATE message (the server applies all of it or none). Over UDP when it
/// fits in 512 bytes, else over TCP (and again over TCP when a UDP answer is truncated). The
/// answer must carry the request's id and, when NOERROR, a TSIG signature that verifies.
/// No answer and SERVFAIL are retried `attempts` times with exponential backoff
/// (`backoff`, 2×, 4×… seconds); REFUSED, NOTAUTH, BADSIG, BADKEY, BADTIME and the rest are not
/// (retrying cannot help) and fail with the server's reason spelled out.
public struct RFC2136Updater: DNSUpdater {
    public let server: String
    public let port: Int
    public let zone: String
    public let key: TSIGKey
    public var timeout: Double = 1
    public var attempts: Int = 4
    public var backoff: Double = 0.1
    /// Seconds since 1970 for the signature (the server rejects more than the fudge, 300 s, off).
    let now: @Sendable () -> UInt64
    let pause: @Sendable (Double) -> Void

    public init(server: String, port: Int, zone: String, key: TSIGKey,
                now: @escaping @Sendable () -> UInt64 = { UInt64(time(nil)) },
                pause: @escaping @Sendable (Double) -> Void = { usleep(UInt32($0 * 1_000_000)) }) {
        self.server = server; self.port = port; self.zone = zone; self.key = key; self.now = now; self.pause = pause
    }

    var peer: String { "dns \(server):\(port) zone \(zone)" }

    public func replace(_ rrsets: [DNSRRset]) throws(RuntimeError) {
        guard !rrsets.isEmpty else { return }
        var updates: [DNSMessage.Record] = []
        do { for s in rrsets { updates += try s.replacement() } } catch { throw RuntimeError(.badInput, "\(peer): \(error.description); nothing sent") }
        var lastFailure = ""
        for attempt in 0..<max(1, attempts) {
            if attempt > 0 { pause(backoff * Double(1 << (attempt - 1))) }
            let id = UInt16.random(in: 0...UInt16.max)
            let signed: (wire: [UInt8], mac: [UInt8])
            do {
                signed = try TSIG.sign(try DNSMessage.update(id: id, zone: zone, updates: updates), key: key, now: now(), mac: HMACSHA256.mac)
            } catch { throw RuntimeError(.badInput, "\(peer): \(error.description); nothing sent") }
            let answer: DNSResponse
            do {
                answer = try exchange(signed.wire, id: id)
            } catch let e as RuntimeError {
                lastFailure = e.message
                continue
            } catch {
                lastFailure = "\(error)"
                continue
            }
            switch answer.rcode {
            case .noError?:
                guard TSIG.verify(answer, key: key, requestMAC: signed.mac, mac: HMACSHA256.mac) else {
                    throw RuntimeError(.io, "\(peer): the answer's TSIG signature does not verify (not from a server holding key \(key.name))")
                }
                return
            case .servFail?:
                lastFailure = "answered SERVFAIL"
                continue
            default:
                let tsig = answer.tsigError.map { ", TSIG \($0)" } ?? ""
                let code = answer.rcode.map { "\($0)" } ?? "rcode \(answer.rawRCode)"
                throw RuntimeError(.configuration, "\(peer): update refused: \(code)\(tsig); key \(key.name)")
            }
        }
        throw RuntimeError(.io, "\(peer): no accepted answer after \(max(1, attempts)) attempts: \(lastFailure)")
    }

    /// Sends the message and reads the answer with the same id (UDP ≤ 512 bytes, else TCP).
    func exchange(_ wire: [UInt8], id: UInt16) throws -> DNSResponse {
        if wire.count <= 512 {
            let udp = try Socket.connect(host: server, port: port, datagram: true, timeout: timeout)
            try udp.send(wire)
            while true {
                let answer = try DNSResponse(try udp.receive(limit: 65_535))
                guard answer.id == id, answer.isResponse else { continue }   // a stray datagram
                if !answer.truncated { return answer }
                break
            }
        }
        let tcp = try Socket.connect(host: server, port: port, timeout: timeout)
        try tcp.send([UInt8(wire.count >> 8), UInt8(wire.count & 0xFF)] + wire)
        let length = try tcp.receive(exactly: 2)
        let answer = try DNSResponse(try tcp.receive(exactly: Int(length[0]) << 8 | Int(length[1])))
        guard answer.id == id else { throw RuntimeError(.io, "\(peer): answer id \(answer.id) does not match the request's \(id)") }
        return answer
    }
}
