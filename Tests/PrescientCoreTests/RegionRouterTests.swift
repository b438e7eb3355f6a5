import PrescientCore
import Testing

@Suite struct RegionRouterTests {
    let router = RegionRouter(regions: PrescientConfig.default.regions)

    @Test func staysWhereTheUserIsWhileThereIsRoom() {
        let r = router.route(here: "eu-west", usual: "us-east",
                             headroom: ["eu-west": 3, "us-east": 10])
        #expect(r == .init(region: "eu-west", reason: "eu-west: where the user is now, 3.0 vCPU spare over its next-hour p90"))
        let usual = router.route(here: nil, usual: "ap-southeast", headroom: [:])
        #expect(usual.region == "ap-southeast" && usual.reason.contains("usual region (no capacity figures yet)"))
        #expect(router.route(here: "mars", usual: nil, headroom: [:]).region == "us-east")
    }

    @Test func aShortRegionSendsToTheNearestNeighbourWithRoom() {
        // eu-west's neighbours: us-east 75 ms, ap-southeast 160 ms, ap-northeast 220 ms.
        let r = router.route(here: "eu-west", usual: nil, headroom: ["eu-west": -2, "us-east": 0, "ap-southeast": 5, "ap-northeast": 9])
        #expect(r.region == "ap-southeast")
        #expect(r.reason == "ap-southeast: eu-west (where the user is now) is 2.0 vCPU short over its next-hour p90; ap-southeast is 160 ms away with 5.0 vCPU spare")
        let none = router.route(here: "eu-west", usual: nil, headroom: ["eu-west": -2, "us-east": -1])
        #expect(none.region == "eu-west" && none.reason.hasSuffix("no neighbour has room"))
    }
}
