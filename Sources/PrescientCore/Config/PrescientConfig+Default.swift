extension PrescientConfig {
    /// Four regions that cover every country GeoIP knows (by continent; the Middle East and Africa
    /// with eu-west, Oceania with ap-southeast), eight features of distinct cost, four
    /// instance types. Prices and boot times are of the order of public cloud on-demand figures.
    public static let `default` = PrescientConfig(
        regions: [
            RegionSpec(
                name: "us-east", timeZone: "America/New_York",
                countries: ["AG", "AI", "AW", "BB", "BL", "BM", "BQ", "BS", "BZ", "CA", "CR", "CU", "CW", "DM", "DO", "GD",
                            "GL", "GP", "GT", "HN", "HT", "JM", "KN", "KY", "LC", "MF", "MQ", "MS", "MX", "NI", "PA", "PM",
                            "PR", "SV", "SX", "TC", "TT", "US", "VC", "VG", "VI", "AR", "BO", "BR", "CL", "CO", "EC", "FK",
                            "GF", "GY", "PE", "PY", "SR", "UY", "VE", "AQ", "BV", "GS", "HM", "TF"],
                hostSuffixes: [".com", ".edu", ".gov", ".mil", ".net", ".org", ".us"],
                neighbours: ["eu-west": 75, "ap-northeast": 160, "ap-southeast": 220]),
            RegionSpec(
                name: "eu-west", timeZone: "Europe/London",
                countries: ["AD", "AL", "AT", "AX", "BA", "BE", "BG", "BY", "CH", "CZ", "DE", "DK", "EE", "ES", "EU", "FI",
                            "FO", "FR", "GB", "GG", "GI", "GR", "HR", "HU", "IE", "IM", "IS", "IT", "JE", "LI", "LT", "LU",
                            "LV", "MC", "MD", "ME", "MK", "MT", "NL", "NO", "PL", "PT", "RO", "RS", "RU", "SE", "SI", "SJ",
                            "SK", "SM", "TR", "UA", "VA", "AO", "BF", "BI", "BJ", "BW", "CD", "CF", "CG", "CI", "CM", "CV",
                            "DJ", "DZ", "EG", "EH", "ER", "ET", "GA", "GH", "GM", "GN", "GQ", "GW", "KE", "KM", "LR", "LS",
                            "LY", "MA", "MG", "ML", "MR", "MU", "MW", "MZ", "NA", "NE", "NG", "RE", "RW", "SC", "SD", "SH",
                            "SL", "SN", "SO", "SS", "ST", "SZ", "TD", "TG", "TN", "TZ", "UG", "YT", "ZA", "ZM", "ZW", "AE",
                            "AF", "AM", "AZ", "BH", "CY", "GE", "IL", "IQ", "IR", "JO", "KW", "LB", "OM", "PS", "QA", "SA",
                            "SY", "YE", "KZ", "KG", "TJ", "TM", "UZ"],
                neighbours: ["us-east": 75, "ap-southeast": 160, "ap-northeast": 220]),
            RegionSpec(
                name: "ap-northeast", timeZone: "Asia/Tokyo",
                countries: ["CN", "HK", "JP", "KP", "KR", "MN", "MO", "TW"],
                neighbours: ["ap-southeast": 70, "us-east": 160, "eu-west": 220]),
            RegionSpec(
                name: "ap-southeast", timeZone: "Asia/Singapore",
                countries: ["AP", "BD", "BN", "BT", "CC", "CX", "ID", "IN", "IO", "KH", "LA", "LK", "MM", "MV", "MY", "NP",
                            "PH", "PK", "SG", "TH", "TL", "VN", "AS", "AU", "CK", "FJ", "FM", "GU", "KI", "MH", "MP", "NC",
                            "NF", "NR", "NU", "NZ", "PF", "PG", "PN", "PW", "SB", "TK", "TO", "TV", "UM", "VU", "WF", "WS"],
                neighbours: ["ap-northeast": 70, "eu-west": 160, "us-east": 220]),
        ],
        features: [
            FeatureSpec(name: "video", paths: ["/video", "/watch", "/stream"],
                        cost: FeatureCost(cpuMillicores: 120, memoryMiB: 96, networkKbps: 4500)),
            FeatureSpec(name: "music", paths: ["/music", "/audio", "/listen"],
                        cost: FeatureCost(cpuMillicores: 25, memoryMiB: 24, networkKbps: 320)),
            FeatureSpec(name: "news", paths: ["/news", "/articles"],
                        cost: FeatureCost(cpuMillicores: 15, memoryMiB: 16, networkKbps: 120)),
            FeatureSpec(name: "search", paths: ["/search", "/api/search"],
                        cost: FeatureCost(cpuMillicores: 180, memoryMiB: 48, networkKbps: 60)),
            FeatureSpec(name: "shopping", paths: ["/shop", "/cart", "/checkout"],
                        cost: FeatureCost(cpuMillicores: 90, memoryMiB: 64, networkKbps: 200)),
            FeatureSpec(name: "docs", paths: ["/docs", "/edit"],
                        cost: FeatureCost(cpuMillicores: 60, memoryMiB: 128, networkKbps: 150)),
            FeatureSpec(name: "gaming", paths: ["/game", "/play"],
                        cost: FeatureCost(cpuMillicores: 250, memoryMiB: 256, networkKbps: 900)),
            FeatureSpec(name: "api", paths: ["/api"],
                        cost: FeatureCost(cpuMillicores: 40, memoryMiB: 20, networkKbps: 80)),
        ],
        instanceTypes: [
            InstanceTypeSpec(name: "c-large", vcpu: 2, memoryGiB: 4, networkGbps: 10, pricePerHour: 0.085, bootSeconds: 60),
            InstanceTypeSpec(name: "m-xlarge", vcpu: 4, memoryGiB: 16, networkGbps: 10, pricePerHour: 0.192, bootSeconds: 90),
            InstanceTypeSpec(name: "r-xlarge", vcpu: 4, memoryGiB: 32, networkGbps: 10, pricePerHour: 0.252, bootSeconds: 120),
            InstanceTypeSpec(name: "n-xlarge", vcpu: 4, memoryGiB: 16, networkGbps: 25, pricePerHour: 0.238, bootSeconds: 90),
        ]
    )
}
