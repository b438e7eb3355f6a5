#if canImport(Glibc)
import Glibc
#endif
import Foundation
import PrescientRuntime
import Synchronization

/// One planner at a time, through etcd's election API: grant a lease of `ttl` seconds, keep it
/// alive every ttl/3, campaign (blocks until elected), and lead until the lease is lost.
///
/// `mayAct(now:)` is true only while elected and before (time the last accepted keepalive was
/// *sent*) + ttl − `margin`: etcd expires the lease no earlier than ttl after it *received* that
/// keepalive, and only then can another campaign win, so two instances never act in the same
/// interval. A keepalive answered with TTL 0 or failing past that point ends the leadership;
/// the instance then campaigns again with a new lease. `stop()` resigns (the next candidate
/// leads at once) and revokes the lease.
public final class EtcdLeaderElection: Leadership, @unchecked Sendable {
    public let client: EtcdClient
    public let name: String
    public let instance: String
    public let ttl: Int
    public let margin: Double
    let monotonic: @Sendable () -> Double
    let log: StructuredLog
    let onChange: @Sendable (Bool) -> Void

    struct State {
        var lease: String?
        var leaderKey: [String: String]?
        /// Monotonic time the last accepted keepalive (or the grant) was sent.
        var renewedAt = -Double.infinity
        var elected = false
        var stopping = false
    }
    private let state = Mutex(State())

    public init(client: EtcdClient, name: String = "prescient-planner", instance: String, ttl: Int, margin: Double = 1,
                log: StructuredLog, monotonic: @escaping @Sendable () -> Double = { monotonicSeconds() },
                onChange: @escaping @Sendable (Bool) -> Void = { _ in }) {
        self.client = client; self.name = name; self.instance = instance; self.ttl = max(2, ttl); self.margin = margin
        self.log = log; self.monotonic = monotonic; self.onChange = onChange
    }

    public func mayAct(now: Double) -> Bool {
        state.withLock { $0.elected && !$0.stopping && now < $0.renewedAt + Double(ttl) - margin }
    }

    /// Runs the campaign and keepalive loops until `stop()`; call on a thread of its own.
    public func run() {
        Thread.detachNewThread { self.keepAliveLoop() }
        while !state.withLock({ $0.stopping }) {
            do {
                let sent = monotonic()
                let lease = try client.grant(ttl: ttl)
                state.withLock { $0.lease = lease; $0.renewedAt = sent; $0.elected = false; $0.leaderKey = nil }
                log.info("campaigning for leadership", [("election", name), ("instance", instance), ("lease_ttl_s", "\(ttl)")])
                let key = try client.campaign(name, value: instance, lease: lease, timeout: 24 * 3600).mapValues { "\($0)" }
                let wasStopping = state.withLock { s -> Bool in
                    guard s.lease == lease else { return true }
                    s.leaderKey = key
                    s.elected = true
                    return s.stopping
                }
                if wasStopping { continue }
                log.info("leadership acquired", [("election", name), ("instance", instance)])
                onChange(true)
                // Lead until the keepalive loop loses the lease.
                while state.withLock({ $0.elected && !$0.stopping && $0.lease == lease }) { usleep(50_000) }
                if !state.withLock({ $0.stopping }) {
                    log.warn("leadership lost; campaigning again", [("election", name), ("instance", instance)])
                    onChange(false)
                }
            } catch {
                log.warn("election: etcd unavailable; retrying", [("error", error.message)])
                state.withLock { $0.elected = false; $0.lease = nil }
                usleep(500_000)
            }
        }
    }

    func keepAliveLoop() {
        while !state.withLock({ $0.stopping }) {
            usleep(UInt32(Double(ttl) / 3 * 1_000_000))
            guard let lease = state.withLock({ $0.lease }) else { continue }
            let sent = monotonic()
            do {
                let left = try client.keepAlive(lease)
                state.withLock { s in
                    guard s.lease == lease else { return }
                    if left > 0 { s.renewedAt = sent } else { s.elected = false; s.lease = nil }
                }
                if left == 0 { log.warn("election: lease expired", [("instance", instance)]) }
            } catch {
                // Keep trying; leadership ends by itself at renewedAt + ttl − margin.
                log.warn("election: keepalive failed", [("error", error.message)])
                if monotonic() > state.withLock({ $0.renewedAt }) + Double(ttl) {
                    state.withLock { s in if s.lease == lease { s.elected = false; s.lease = nil } }
                }
            }
        }
    }

    /// Resigns (if leading) and revokes the lease: another candidate leads at once.
    public func stop() {
        let (lease, key, elected) = state.withLock { s -> (String?, [String: String]?, Bool) in
            s.stopping = true
            return (s.lease, s.leaderKey, s.elected)
        }
        if elected, let key { try? client.resign(key) }
        if let lease { try? client.revoke(lease) }
        if elected { log.info("leadership resigned", [("election", name), ("instance", instance)]); onChange(false) }
    }
}
