import PrescientCore
import Testing

@Suite struct RoutingPlanTests {
    let regions = PrescientConfig.default.regions  // us-east, eu-west, ap-northeast, ap-southeast
    let users = (0..<20_000).map { "u\($0)" }

    func served(_ plan: RoutingPlan, home: Int) -> [Int] {
        var count = [Int](repeating: 0, count: regions.count)
        for u in users { count[plan.target(home: home, bucket: RoutingPlan.bucket(u))] += 1 }
        return count
    }

    @Test func regionsWithRoomKeepEveryUser() {
        let plan = RoutingPlan.make(regions: regions, demand: [10, 5, 3, 3], capacity: [12, 6, 4, 4])
        for r in regions.indices { #expect(served(plan, home: r)[r] == users.count) }
        #expect(plan.reasons[0] == "us-east: serves all of its users; 2.0 vCPU spare over its next-hour p90")
        let route = plan.route(user: "u1", here: "eu-west", usual: "us-east")
        #expect(route.region == "eu-west" && route.reason.hasPrefix("eu-west (where the user is now): eu-west: serves all"))
    }

    @Test func aShortRegionSendsItsExcessToNeighboursInLatencyOrder() {
        // eu-west: 10 vCPU forecast, 6 planned → keeps 60 %; us-east (75 ms) has 1 spare → 10 %;
        // ap-southeast (160 ms) has 2 spare → 20 %; ap-northeast (220 ms) the last 1 → 10 %.
        let plan = RoutingPlan.make(regions: regions, demand: [9, 10, 3, 2], capacity: [10, 6, 4, 4])
        let row = plan.shares[1]
        #expect(abs(row[1] - 0.6) < 1e-9 && abs(row[0] - 0.1) < 1e-9 && abs(row[3] - 0.2) < 1e-9 && abs(row[2] - 0.1) < 1e-9)
        #expect(plan.reasons[1] == "eu-west: 4.0 vCPU short over its next-hour p90; keeps 60 %, sends 10 % to us-east (75 ms), 20 % to ap-southeast (160 ms), 10 % to ap-northeast (220 ms)")
        let counts = served(plan, home: 1).map { Double($0) / Double(users.count) }
        for (got, want) in zip(counts, [0.1, 0.6, 0.1, 0.2]) { #expect(abs(got - want) < 0.02) }
        // Neighbours absorb the moved demand without going short themselves.
        let moved = (0..<4).map { t in (0..<4).reduce(0.0) { $0 + plan.demand[$1] * plan.shares[$1][t] } }
        for t in [0, 2, 3] { #expect(moved[t] <= plan.capacity[t] + 1e-9) }
    }

    @Test func theMostOverloadedRegionIsServedFirstAndUnplacedExcessStaysHome() {
        // Both short; ap-northeast is 50 % short, ap-southeast 25 %; only us-east has 2 spare.
        let plan = RoutingPlan.make(regions: regions, demand: [8, 5, 8, 8], capacity: [10, 5, 4, 6])
        #expect(abs(plan.shares[2][0] - 0.25) < 1e-9)     // ap-northeast's 2 of 4 excess to us-east (160 ms)
        #expect(abs(plan.shares[2][2] - 0.75) < 1e-9)
        #expect(plan.shares[3][3] == 1)                   // nothing left for ap-southeast
        #expect(plan.reasons[3] == "ap-southeast: 2.0 vCPU short over its next-hour p90; no neighbour has room, all stay")
        #expect(plan.reasons[2].hasSuffix("; 2.0 vCPU nobody has room for"))
    }

    @Test func growthMovesOnlyTheTopOfTheBucketRangeAndTheSameUsersReturnFirst() {
        let small = RoutingPlan.make(regions: regions, demand: [5, 10, 3, 3], capacity: [20, 9, 4, 4])
        let large = RoutingPlan.make(regions: regions, demand: [5, 10, 3, 3], capacity: [20, 7, 4, 4])
        let movedSmall = Set(users.filter { small.target(home: 1, bucket: RoutingPlan.bucket($0)) != 1 })
        let movedLarge = Set(users.filter { large.target(home: 1, bucket: RoutingPlan.bucket($0)) != 1 })
        #expect(!movedSmall.isEmpty && movedSmall.isSubset(of: movedLarge))
    }

    @Test func smallChangesKeepThePreviousSplitAndADivertingRegionNeedsAMarginToTakeUsersBack() {
        let first = RoutingPlan.make(regions: regions, demand: [5, 10, 3, 3], capacity: [20, 8, 4, 4])
        let nudged = RoutingPlan.make(regions: regions, demand: [5, 10.3, 3, 3], capacity: [20, 8, 4, 4], previous: first)
        #expect(nudged.shares[1] == first.shares[1])
        #expect(nudged.reasons[1].hasSuffix("(kept the previous split: no share moved by more than 5 %)"))
        // Capacity back to exactly the forecast: without the margin it would take every user back.
        let even = RoutingPlan.make(regions: regions, demand: [5, 10, 3, 3], capacity: [20, 10, 4, 4], previous: first)
        #expect(even.shares[1][1] < 1)
        let clear = RoutingPlan.make(regions: regions, demand: [5, 10, 3, 3], capacity: [20, 10.6, 4, 4], previous: first)
        #expect(clear.shares[1][1] == 1)
    }

    @Test func homeFallsBackFromHereToUsualToSegmentToFirst() {
        let plan = RoutingPlan(regions: regions)
        #expect(plan.home(here: "eu-west", usual: "us-east").index == 1)
        #expect(plan.home(here: "mars", usual: "ap-southeast").index == 3)
        #expect(plan.home(here: nil, usual: nil, segmentRegion: "ap-northeast") == (2, "their segment's top region"))
        #expect(plan.home(here: nil, usual: nil).index == 0)
    }

    @Test func weightsFollowTheDemandThePlanSendsToEachRegion() {
        #expect(RoutingPlan(regions: regions).weights() == [1, 1, 1, 1])
        let plan = RoutingPlan.make(regions: regions, demand: [8, 4, 2, 0], capacity: [10, 4, 4, 4])
        #expect(plan.weights() == [256, 128, 64, 0])
    }
}
