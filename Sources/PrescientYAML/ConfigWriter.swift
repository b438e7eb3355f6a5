import Foundation
import PrescientCore

/// Renders a `PrescientConfig` as YAML that `ConfigLoader` reads back to the same value, with
/// comments giving units — the starting point for a user's own file (`prescient config show`).
public enum ConfigWriter {
    public static func yaml(_ c: PrescientConfig) -> String {
        var y = "# Prescient configuration. Units: time in seconds unless suffixed (90s, 5m, 1h),\n"
        y += "# CPU in millicores, memory in MiB (instances: GiB), network in kbit/s (instances: Gbit/s).\n\n"
        y += "regions:\n"
        for r in c.regions {
            y += "  - name: \(q(r.name))\n    time_zone: \(q(r.timeZone))\n"
            y += "    countries: [\(r.countries.map(q).joined(separator: ", "))]\n"
            y += "    host_suffixes: [\(r.hostSuffixes.map(q).joined(separator: ", "))]\n"
            if r.neighbours.isEmpty { y += "    neighbours: {}\n" } else {
                y += "    neighbours:           # round-trip latency, ms\n"
                for (n, ms) in r.neighbours.sorted(by: { $0.key < $1.key }) { y += "      \(q(n)): \(num(ms))\n" }
            }
        }
        y += "\nfeatures:                 # cost per active user-minute\n"
        for f in c.features {
            y += "  - name: \(q(f.name))\n    paths: [\(f.paths.map(q).joined(separator: ", "))]\n"
            y += "    cost: {cpu_millicores: \(num(f.cost.cpuMillicores)), memory_mib: \(num(f.cost.memoryMiB)), network_kbps: \(num(f.cost.networkKbps))}\n"
        }
        y += "\ninstance_types:\n"
        for t in c.instanceTypes {
            y += "  - name: \(q(t.name))\n    vcpu: \(num(t.vcpu))\n    memory_gib: \(num(t.memoryGiB))\n    network_gbps: \(num(t.networkGbps))\n"
            y += "    price_per_hour: \(num(t.pricePerHour))\n    boot_seconds: \(num(t.bootSeconds))\n"
            y += "    quota: {default: \(t.defaultQuota)\(t.quota.sorted(by: { $0.key < $1.key }).map { ", \(q($0.key)): \($0.value)" }.joined())}\n"
        }
        let s = c.slo
        y += "\nslo:\n  max_utilisation: \(num(s.maxUtilisation))\n  latency_p99_ms: \(num(s.latencyP99Milliseconds))\n"
        y += "  under_provision_penalty: \(num(s.underProvisionPenalty))   # per under-provisioned resource-minute\n"
        y += "  segment_priorities: {\(s.segmentPriorities.sorted { $0.key < $1.key }.map { "\($0.key): \(num($0.value))" }.joined(separator: ", "))}   # segment id: penalty multiplier\n"
        let k = c.scaling
        y += "\nscaling:\n  interval: \(num(k.intervalSeconds))s\n  target_utilisation: \(num(k.targetUtilisation))\n"
        y += "  scale_out_threshold: \(num(k.scaleOutThreshold))\n  scale_in_threshold: \(num(k.scaleInThreshold))\n"
        y += "  safety_factor: \(num(k.safetyFactor))\n  scheduling_buffer: \(num(k.schedulingBufferSeconds))s\n"
        y += "  cooldown: \(num(k.cooldownSeconds))s\n  stabilisation: \(num(k.stabilisationSeconds))s\n  max_step: \(k.maxStep)\n"
        y += "  min_instances: \(k.minInstancesPerRegion)\n  max_instances: \(k.maxInstancesPerRegion)\n"
        y += "  budget_per_hour: \(num(k.budgetPerHour))\n  quantile: \(num(k.quantile))\n  learning_hours: \(num(k.learningHours))\n"
        let i = c.ingest
        y += "\ningest:\n  default_region: \(i.defaultRegion.map(q) ?? "null")\n  feature_depth: \(i.featureDepth)\n"
        y += "  late_bound: \(num(i.lateBoundSeconds))s\n  max_line_bytes: \(i.maxLineBytes)\n  time_zone: \(q(i.naiveTimeZone))\n"
        y += "\nprofiles:\n  half_life_days: \(num(c.profiles.halfLifeDays))\n  churn_after_days: \(num(c.profiles.churnAfterDays))\n"
        y += "  location_half_life_hours: \(num(c.profiles.locationHalfLifeHours))\n"
        y += "\nintegrations:\n"
        if let h = c.integrations.haproxy {
            y += "  haproxy: {socket: \(q(h.socket)), map_file: \(q(h.mapFile)), backend_prefix: \(q(h.backendPrefix)), "
                + "weights_backend: \(h.weightsBackend.map(q) ?? "null"), refresh: \(num(h.refreshSeconds))}\n"
        } else { y += "  haproxy: null\n" }
        if let d = c.integrations.dns {
            y += "  dns:\n    server: \(q(d.server))\n    port: \(d.port)\n    zone: \(q(d.zone))\n    key_name: \(q(d.keyName))\n    ttl: \(d.ttl)\n"
            if let env = d.keySecretEnv { y += "    key_secret_env: \(q(env))\n" }
            if d.keySecret != nil { y += "    # key_secret: not shown (a secret); set it again here or use key_secret_env\n" }
            if !d.addresses.isEmpty {
                y += "    addresses:\n" + d.addresses.sorted(by: { $0.key < $1.key }).map { "      \(q($0.key)): [\($0.value.map(q).joined(separator: ", "))]\n" }.joined()
            }
        } else { y += "  dns: null\n" }
        if c.integrations.caches.isEmpty { y += "  caches: {}\n" } else {
            y += "  caches:\n" + c.integrations.caches.sorted(by: { $0.key < $1.key }).map { "    \(q($0.key)): \(q($0.value))\n" }.joined()
        }
        do {
            let w = c.integrations.warming
            y += "  warming: {interval: \(num(w.intervalSeconds)), rate: \(num(w.ratePerSecond)), items: \(w.items), cache_ttl: \(num(w.cacheTTLSeconds)), half_life_hours: \(num(w.halfLifeHours))}\n"
        }
        let v = c.serve
        y += "\nserve:\n  listen: \(q(v.listen))\n  token: null   # never write a token here; use token_env\n"
        y += "  token_env: \(q(v.tokenEnv))\n  protect_reads: \(v.protectReads)\n  max_body: \(v.maxBodyBytes)\n  max_batch: \(v.maxBatch)\n"
        y += "  queue: \(v.queue)\n  connections: \(v.connections)\n  request_timeout: \(num(v.requestTimeoutSeconds))s\n"
        y += "  log_format: \(v.logFormat)\n  log_level: \(v.logLevel)\n"
        return y
    }

    /// A scalar, double-quoted when plain YAML would read it as something else.
    static func q(_ s: String) -> String {
        let safe = !s.isEmpty && s.allSatisfy { $0.isLetter || $0.isNumber || "-_./".contains($0) }
            && !["null", "true", "false", "yes", "no", "on", "off", "~"].contains(s.lowercased())
            && Double(s) == nil && !s.hasPrefix("-")
        if safe { return s }
        return "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func num(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }
}
