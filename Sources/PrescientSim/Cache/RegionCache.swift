/// One region's HTTP cache in the simulation, with nginx `proxy_cache` semantics: an object is
/// fresh for `ttl` seconds after it was fetched (`proxy_cache_valid`); a request for a fresh
/// object is a HIT (it does not extend its life); anything else is a MISS that fetches it from
/// the origin. At `capacity` objects the least recently used one is evicted. A warm fetch is a
/// request nobody waits for: it fetches only what is not fresh.
public struct RegionCache: Sendable {
    public let ttlMillis: Int64
    public let capacity: Int
    /// key → slot; slots form a doubly linked list, most recent at `head`.
    var slots: [String: Int] = [:]
    var keys: [String] = [], expires: [Int64] = [], prev: [Int] = [], next: [Int] = []
    var head = -1, tail = -1
    var free: [Int] = []

    public private(set) var hits = 0, misses = 0, warmFetches = 0

    public init(ttlSeconds: Double, capacity: Int) {
        precondition(capacity > 0)
        ttlMillis = Int64(ttlSeconds * 1000); self.capacity = capacity
    }

    /// A user's request at `now` (ms): true for a HIT.
    @discardableResult
    public mutating func request(_ key: String, now: Int64) -> Bool {
        if let s = slots[key], expires[s] > now {
            hits += 1
            touch(s)
            return true
        }
        misses += 1
        store(key, now: now)
        return false
    }

    /// A warming fetch at `now`: fetches `key` unless a fresh copy is there. True when it fetched.
    @discardableResult
    public mutating func warm(_ key: String, now: Int64) -> Bool {
        if let s = slots[key], expires[s] > now { return false }
        warmFetches += 1
        store(key, now: now)
        return true
    }

    public var count: Int { slots.count }

    mutating func store(_ key: String, now: Int64) {
        if let s = slots[key] { expires[s] = now + ttlMillis; touch(s); return }
        if slots.count >= capacity, tail >= 0 {
            let victim = tail
            unlink(victim)
            slots[keys[victim]] = nil
            free.append(victim)
        }
        let s: Int
        if let f = free.popLast() {
            s = f; keys[s] = key; expires[s] = now + ttlMillis
        } else {
            s = keys.count; keys.append(key); expires.append(now + ttlMillis); prev.append(-1); next.append(-1)
        }
        slots[key] = s
        pushFront(s)
    }

    mutating func touch(_ s: Int) { guard head != s else { return }; unlink(s); pushFront(s) }

    mutating func unlink(_ s: Int) {
        if prev[s] >= 0 { next[prev[s]] = next[s] } else { head = next[s] }
        if next[s] >= 0 { prev[next[s]] = prev[s] } else { tail = prev[s] }
        prev[s] = -1; next[s] = -1
    }

    mutating func pushFront(_ s: Int) {
        prev[s] = -1; next[s] = head
        if head >= 0 { prev[head] = s }
        head = s
        if tail < 0 { tail = s }
    }
}
