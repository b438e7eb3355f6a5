// swift-tools-version:6.0
import PackageDescription

// Dependencies point one way: PrescientCore (pure) ← PrescientRuntime (seams, I/O) ← adapters
// (one target per real system) ← PrescientCLI ← prescient. No outside Swift packages: C libraries
// come from Debian packages as system-library targets.
let package = Package(
    name: "Prescient",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "prescient", targets: ["prescient"]),
        .executable(name: "prescient-bench", targets: ["prescient-bench"]),
        .library(name: "PrescientCore", targets: ["PrescientCore"]),
        .library(name: "PrescientTestKit", targets: ["PrescientTestKit"]),
    ],
    targets: [
        // C libraries from Debian packages.
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CGeoIP", pkgConfig: "geoip", providers: [.apt(["libgeoip-dev", "geoip-database"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CMicroHTTPD", pkgConfig: "libmicrohttpd", providers: [.apt(["libmicrohttpd-dev"])]),

        // A compiler hint the hot profile loop needs (prefetching), which Swift does not expose.
        .target(name: "CPrefetch"),
        // Pure domain logic: no I/O, no wall clock, no globals.
        .target(name: "PrescientCore"),
        // Seams, file readers, logging, clocks.
        .target(name: "PrescientRuntime", dependencies: ["PrescientCore", "CZlib", "CPrefetch"]),
        // Adapters, one per real system.
        .target(name: "PrescientYAML", dependencies: ["PrescientCore", "CYAML"]),
        .target(name: "PrescientGeoIP", dependencies: ["PrescientCore", "CGeoIP"]),
        .target(name: "PrescientSQLite", dependencies: ["PrescientCore", "PrescientRuntime", "CSQLite"]),
        .target(name: "PrescientHTTP", dependencies: ["PrescientCore", "PrescientRuntime", "CMicroHTTPD"]),
        .target(name: "PrescientHAProxy", dependencies: ["PrescientCore", "PrescientRuntime"]),
        .target(name: "PrescientDNS", dependencies: ["PrescientCore", "PrescientRuntime", "CCrypto"]),
        .target(name: "PrescientRedis", dependencies: ["PrescientCore", "PrescientRuntime"]),
        .target(name: "PrescientEtcd", dependencies: ["PrescientRuntime"]),
        // `prescient serve`: the HTTP API, the control loop, metrics.
        .target(name: "PrescientServe", dependencies: ["PrescientCore", "PrescientRuntime", "PrescientSim"]),
        // Synthetic population and (later) the simulated cloud.
        .target(name: "PrescientSim", dependencies: ["PrescientCore"]),
        // Doubles for tests, shipped like swift-log's InMemoryLogging.
        .target(name: "PrescientTestKit", dependencies: ["PrescientCore", "PrescientRuntime"]),
        // Commands: argument parsing and wiring only.
        .target(name: "PrescientCLI", dependencies: [
            "PrescientCore", "PrescientRuntime", "PrescientYAML", "PrescientGeoIP", "PrescientSQLite", "PrescientSim",
            "PrescientHTTP", "PrescientServe", "PrescientHAProxy", "PrescientDNS", "PrescientRedis", "PrescientEtcd",
        ]),
        .executableTarget(name: "prescient", dependencies: ["PrescientCLI"]),
        .executableTarget(name: "prescient-bench", dependencies: [
            "PrescientCore", "PrescientRuntime", "PrescientSQLite", "PrescientSim", "PrescientTestKit", "PrescientHAProxy", "PrescientDNS",
        ]),

        .testTarget(name: "PrescientCoreTests", dependencies: ["PrescientCore", "PrescientTestKit"]),
        .testTarget(name: "PrescientRuntimeTests", dependencies: ["PrescientRuntime", "PrescientTestKit"]),
        .testTarget(name: "PrescientYAMLTests", dependencies: ["PrescientYAML", "PrescientCore"]),
        .testTarget(name: "PrescientGeoIPTests", dependencies: ["PrescientGeoIP", "PrescientCore"]),
        .testTarget(name: "PrescientSQLiteTests", dependencies: ["PrescientSQLite", "PrescientCore", "PrescientRuntime", "PrescientTestKit"]),
        .testTarget(name: "PrescientHTTPTests", dependencies: ["PrescientHTTP", "PrescientRuntime", "PrescientTestKit"]),
        .testTarget(name: "PrescientHAProxyTests", dependencies: ["PrescientHAProxy", "PrescientHTTP", "PrescientCore", "PrescientRuntime", "PrescientTestKit"]),
        .testTarget(name: "PrescientDNSTests", dependencies: ["PrescientDNS", "PrescientCore", "PrescientRuntime", "PrescientTestKit"]),
        .testTarget(name: "PrescientRedisTests", dependencies: ["PrescientRedis", "PrescientCore", "PrescientRuntime", "PrescientTestKit"]),
        .testTarget(name: "PrescientServeTests", dependencies: ["PrescientServe", "PrescientCore", "PrescientRuntime", "PrescientTestKit"]),
        .testTarget(name: "PrescientSimTests", dependencies: ["PrescientSim", "PrescientCore", "PrescientTestKit"]),
        .testTarget(name: "PrescientCLITests", dependencies: ["PrescientCLI", "PrescientCore", "PrescientRuntime", "PrescientSQLite", "PrescientTestKit"]),
    ],
    swiftLanguageModes: [.v6]
)
