import CPrefetch

/// Where each user's profile sits in the ingest sink's array: an open-addressing hash table of
/// 8-byte entries, `(hash tag << 32) | (slot + 1)` (0 = empty), probed linearly.
///
/// Why not `[String: Int]`: a Swift dictionary keeps keys, values and its occupancy bitmap in three
/// arrays, so a lookup in a table far larger than the cache misses three times; here a lookup
/// misses once, on one entry, and the key is confirmed against the profile itself (whose record
/// the update reads anyway). Entries can be prefetched from a hash computed ahead of time, which
/// lets a batch's lookups overlap. At most half the entries are used: 1M users take 16 MiB (the
/// dictionary took ~40 MiB).
///
/// Hashes are Swift's `Hasher` (SipHash with a per-process random seed), so crafted user ids
/// cannot force long probe runs. The table holds slots, not keys: callers pass the test that a
/// slot holds their user, and the rehash on growth asks them for each slot's hash.
struct UserSlotTable {
    private var entries: [UInt64]
    private var mask: Int
    private(set) var count = 0
    /// Entries allocated (a power of two, at least twice `count`).
    var capacity: Int { entries.count }

    init(minimumCapacity: Int = 1024) {
        var size = 16
        while size < minimumCapacity * 2 { size <<= 1 }
        entries = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    /// The table hash of a user id.
    @inline(__always)
    static func hash(_ user: String) -> UInt64 {
        var h = Hasher()
        h.combine(user)
        return UInt64(bitPattern: Int64(h.finalize()))
    }

    /// Asks the CPU to start loading the entry a lookup of `hash` reads first.
    @inline(__always)
    func prefetch(hash: UInt64) {
        entries.withUnsafeBufferPointer { prescient_prefetch($0.baseAddress! + Int(truncatingIfNeeded: hash) & mask) }
    }

    /// The first slot whose entry carries `hash`'s tag, without confirming the key: a hint for
    /// prefetching that slot's record (nil when the entry is empty or another user's).
    @inline(__always)
    func candidate(hash: UInt64) -> Int? {
        let e = entries[Int(truncatingIfNeeded: hash) & mask]
        return e != 0 && e >> 32 == hash >> 32 ? Int(e & 0xFFFF_FFFF) - 1 : nil
    }

    /// The slot of the key with `hash` for which `holds(slot)` is true, or nil.
    @inline(__always)
    func find(hash: UInt64, holds: (Int) -> Bool) -> Int? {
        let tag = hash >> 32
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let e = entries[i]
            if e == 0 { return nil }
            if e >> 32 == tag {
                let slot = Int(e & 0xFFFF_FFFF) - 1
                if holds(slot) { return slot }
            }
            i = (i + 1) & mask
        }
    }

    /// Records `slot` for a key with `hash` that `find` did not find. Growing rehashes every slot
    /// with `hashOf(slot)`.
    mutating func insert(hash: UInt64, slot: Int, hashOf: (Int) -> UInt64) {
        precondition(slot >= 0 && slot < 0xFFFF_FFFF, "UserSlotTable: slot \(slot) out of range")
        if (count + 1) * 2 > entries.count { grow(hashOf: hashOf) }
        place(hash: hash, slot: slot)
        count += 1
    }

    mutating func removeAll(minimumCapacity: Int = 1024) {
        self = UserSlotTable(minimumCapacity: minimumCapacity)
    }

    private mutating func place(hash: UInt64, slot: Int) {
        var i = Int(truncatingIfNeeded: hash) & mask
        while entries[i] != 0 { i = (i + 1) & mask }
        entries[i] = (hash >> 32) << 32 | UInt64(slot + 1)
    }

    private mutating func grow(hashOf: (Int) -> UInt64) {
        let old = entries
        entries = [UInt64](repeating: 0, count: old.count * 2)
        mask = entries.count - 1
        for e in old where e != 0 {
            let slot = Int(e & 0xFFFF_FFFF) - 1
            place(hash: hashOf(slot), slot: slot)
        }
    }
}
