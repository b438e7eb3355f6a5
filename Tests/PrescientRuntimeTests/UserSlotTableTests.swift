@testable import PrescientRuntime
import Testing

@Suite struct UserSlotTableTests {
    /// A table of `users`, slot i holding "user-i", as the ingest sink keeps it.
    static func filled(_ users: [String]) -> UserSlotTable {
        var t = UserSlotTable(minimumCapacity: 4)
        for (slot, u) in users.enumerated() {
            #expect(t.find(hash: UserSlotTable.hash(u), holds: { users[$0] == u }) == nil)
            t.insert(hash: UserSlotTable.hash(u), slot: slot) { UserSlotTable.hash(users[$0]) }
        }
        return t
    }

    @Test func everyInsertedUserIsFoundAtItsSlotAcrossGrowth() {
        let users = (0..<20_000).map { "user-\($0)" }
        let t = Self.filled(users)
        #expect(t.count == 20_000 && t.capacity >= 40_000 && t.capacity.nonzeroBitCount == 1)
        for (slot, u) in users.enumerated() {
            #expect(t.find(hash: UserSlotTable.hash(u), holds: { users[$0] == u }) == slot)
        }
        #expect(t.find(hash: UserSlotTable.hash("stranger"), holds: { users[$0] == "stranger" }) == nil)
    }

    @Test func usersWithTheSameHashAreToldApartByTheKeyCheck() {
        // Every key forced onto one hash: one probe run, resolved only by `holds`.
        let users = ["a", "b", "c", "d", "e"]
        var t = UserSlotTable(minimumCapacity: 2)
        for (slot, _) in users.enumerated() { t.insert(hash: 42, slot: slot) { _ in 42 } }
        for (slot, u) in users.enumerated() { #expect(t.find(hash: 42, holds: { users[$0] == u }) == slot) }
        #expect(t.find(hash: 42, holds: { users[$0] == "z" }) == nil)
        #expect(t.candidate(hash: 42) == 0)
        #expect(t.candidate(hash: 1 << 40 | 42) == nil) // another tag at the same place
    }

    @Test func removeAllForgetsEveryone() {
        let users = (0..<100).map { "u\($0)" }
        var t = Self.filled(users)
        t.removeAll()
        #expect(t.count == 0)
        #expect(t.find(hash: UserSlotTable.hash("u1"), holds: { users[$0] == "u1" }) == nil)
    }
}
