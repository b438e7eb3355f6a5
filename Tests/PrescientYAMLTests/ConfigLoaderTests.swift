import PrescientCore
import PrescientYAML
import Testing

@Suite struct ConfigLoaderTests {
    @Test func emptyDocumentGivesTheDefaults() throws {
        #expect(try ConfigLoader.load(text: "") == .default)
        #expect(try ConfigLoader.load(text: "# nothing but a comment\n") == .default)
        #expect(try ConfigLoader.load(path: nil) == .default)
    }

    @Test func defaultsRoundTripThroughShow() throws {
        let yaml = ConfigWriter.yaml(.default)
        #expect(try ConfigLoader.load(text: yaml) == .default)
    }

    @Test func aCustomConfigRoundTrips() throws {
        var c = PrescientConfig.default
        c.regions = [RegionSpec(name: "north", timeZone: "Europe/Oslo", countries: ["NO", "SE"], hostSuffixes: [".no"],
                                neighbours: ["south": 18.5]),
                     RegionSpec(name: "south", timeZone: "Europe/Madrid", countries: ["ES"], neighbours: ["north": 18.5])]
        c.instanceTypes[0].quota = ["north": 3]
        c.ingest.defaultRegion = "south"
        c.scaling.intervalSeconds = 30
        c.integrations.haproxy = HAProxySpec(socket: "/run/haproxy.sock", mapFile: "/etc/haproxy/users.map")
        c.integrations.caches = ["north": "http://127.0.0.1:8080"]
        #expect(try ConfigLoader.load(text: ConfigWriter.yaml(c)) == c)
    }

    @Test func readsUnitsAnchorsAndFlowStyle() throws {
        let yaml = """
        scaling:
          interval: 2m
          cooldown: 90s
          stabilisation: 0.5h
        instance_types:
          - &base {name: a, vcpu: 2, memory_gib: 4, price_per_hour: 0.1, boot_seconds: 45s}
          - {name: b, vcpu: 8, memory_gib: 32, price_per_hour: 0.4, quota: 12}
        """
        let c = try ConfigLoader.load(text: yaml)
        #expect(c.scaling.intervalSeconds == 120 && c.scaling.cooldownSeconds == 90 && c.scaling.stabilisationSeconds == 1800)
        #expect(c.instanceTypes.map(\.name) == ["a", "b"])
        #expect(c.instanceTypes[0].bootSeconds == 45 && c.instanceTypes[1].bootSeconds == 90 && c.instanceTypes[1].defaultQuota == 12)
    }

    @Test func everyMistakeIsListedWithLineAndKey() {
        let yaml = """
        regions:
          - name: eu-west
            time_zone: Europe/Lndon
            countries: [GB, FRA]
            neighbours: {us-east: 70, nowhere: 10}
          - name: us-east
            time_zone: America/New_York
            countries: [US, GB]
          - name: eu-west
            time_zone: UTC
        features:
          - name: video
            paths: [video]
            cost: {cpu_millicores: -1, memory_mib: lots}
        scaling:
          scale_in_threshold: 1.2
          scale_out_threshold: 0.8
          cooldwn: 30s
        ingest:
          default_region: mars
        """
        do {
            _ = try ConfigLoader.load(text: yaml, source: "p.yaml")
            Issue.record("accepted")
        } catch {
            #expect(error.issues.map(\.description) == [
                "p.yaml:3: regions[0].time_zone: unknown time zone 'Europe/Lndon' (use an IANA name such as Europe/London)",
                "p.yaml:4: regions[0].countries[1]: 'FRA' is not an ISO 3166 alpha-2 code",
                "p.yaml:13: features[0].paths[0]: 'video' must start with '/'",
                "p.yaml:14: features[0].cost.cpu_millicores: -1 is out of range 0…1000000 millicores",
                "p.yaml:14: features[0].cost.memory_mib: expected a number (MiB), found 'lots'",
                "p.yaml:18: scaling.cooldwn: unknown key (did you mean 'cooldown'?); known keys: interval, target_utilisation, scale_out_threshold, scale_in_threshold, safety_factor, scheduling_buffer, cooldown, stabilisation, max_step, min_instances, max_instances, budget_per_hour, quantile, learning_hours",
                "p.yaml:16: scaling.scale_in_threshold: 1.2 is out of range 0…0.99",
                "p.yaml:2: regions[0].neighbours.nowhere: unknown region 'nowhere' (regions: eu-west, us-east, eu-west)",
                "p.yaml:6: regions[1].countries: country GB is already served by region 'eu-west'",
                "p.yaml:9: regions[2].name: duplicate region 'eu-west'",
                "p.yaml:20: ingest.default_region: unknown region 'mars' (regions: eu-west, us-east, eu-west)",
            ])
        }
    }

    @Test(arguments: [
        ("regions: [\n  - name: a\n", "p.yaml:2: (document): YAML syntax: while parsing a flow node, did not find expected node content (column 3)"),
        ("a: 1\n---\nb: 2\n", "p.yaml:2: (document): more than one YAML document; a configuration is one document"),
        ("regions: {name: a}\n", "p.yaml:1: regions: expected a list, found a mapping"),
        ("- 1\n- 2\n", "p.yaml:1: (document): expected a mapping, found a list"),
        ("slo:\n  max_utilisation: \"0.9\"\n", "p.yaml:2: slo.max_utilisation: expected a number, found '0.9'"),
        ("scaling:\n  max_step: 2.5\n", "p.yaml:2: scaling.max_step: expected a whole number, found '2.5'"),
        ("scaling: {interval: soon}\n", "p.yaml:1: scaling.interval: expected a duration like 90s or 5m, found 'soon'"),
        ("instance_types: []\n", "p.yaml:1: instance_types: at least one instance type is required"),
        ("profiles: {half_life_days: 14, half_life_days: 7}\n", "p.yaml:1: profiles.half_life_days: duplicate key"),
        ("regoins: []\n", "p.yaml:1: regoins: unknown key (did you mean 'regions'?); known keys: regions, features, instance_types, slo, scaling, ingest, profiles, integrations, serve"),
    ])
    func syntaxAndTypeErrors(_ yaml: String, _ message: String) {
        do {
            _ = try ConfigLoader.load(text: yaml, source: "p.yaml")
            Issue.record("accepted")
        } catch {
            #expect(error.issues.first?.description == message)
        }
    }
}
