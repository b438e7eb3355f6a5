import Foundation
import PrescientCore
import PrescientRuntime
import PrescientSQLite

/// `prescient segments`: (re)segments every profile, stores assignments and the allocation map,
/// prints the segment table and drift, writes JSON.
struct SegmentsCommand: Command {
    let name = "segments"
    let summary = "group users with alike behaviour; print the segment table and write JSON"
    let arguments = ""
    let options: [OptionSpec] = [
        OptionSpec("--k", value: "K", help: "number of segments (default: chosen from the data by silhouette, 2…12)"),
        OptionSpec("--json", value: "FILE", help: "write the segmentation as JSON (default: DATA_DIR/segments.json next to the store)"),
        OptionSpec("--show", help: "print the stored segmentation without re-running"),
        CommonOptions.seed, CommonOptions.store, CommonOptions.config,
    ]
    let discussion = """
    Segments keep their ids when segmentation re-runs on newer data (centroids are matched to the
    previous run's); drift (sizes, centroid shifts, users who moved) is reported. The allocation map
    (segment → share of its activity per region) is stored for the planner.
    """
    let examples = ["prescient segments", "prescient segments --k 5 --json segments.json", "prescient segments --show"]

    func run(_ args: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let config = try CommonOptions.loadConfig(args, context)
        let k = try args.value("--k").map { _ throws(UsageError) in try args.int("--k", default: 5, range: 1...64) }
        let store = try CommonOptions.openExistingStore(args, context)
        let console = context.console
        var segmentation: Segmentation
        if args.has("--show") {
            guard let s = try store.segmentation() else {
                console.err("segments: no segmentation stored in \(store.location) yet (run 'prescient segments')\n")
                return .noInput
            }
            segmentation = s
        } else {
            let started = monotonicSeconds()
            let profiles = try store.allProfiles()
            let previous = try store.segmentation()
            let previousAssignments = try store.assignments()
            let now = try store.newestEventTime() ?? Timestamp(milliseconds: 0)
            var segmenter = Segmenter(k: k, seed: try CommonOptions.seed(args), halfLifeDays: config.profiles.halfLifeDays)
            segmenter.seed = try CommonOptions.seed(args)
            let out = segmenter.run(profiles, previous: previous, previousAssignment: { previousAssignments[$0] }, now: now)
            segmentation = out.segmentation
            var assignments: [(user: String, segment: Int32)] = []
            assignments.reserveCapacity(profiles.count)
            for (i, p) in profiles.enumerated() { if let s = out.assignments[i] { assignments.append((p.user, s)) } }
            try store.saveSegmentation(segmentation, assignments: assignments)
            console.err("segments: \(profiles.count) profiles → \(segmentation.segments.count) segments (\(segmentation.kChoice)) in \(Formatting.seconds(monotonicSeconds() - started))\n")
        }
        console.out(SegmentTable.render(segmentation))
        let jsonPath = args.value("--json") ?? (URL(fileURLWithPath: store.location).deletingLastPathComponent().path + "/segments.json")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(segmentation)
        try FileAccess.write(String(decoding: data, as: UTF8.self) + "\n", to: jsonPath)
        console.err("segments: JSON written to \(jsonPath)\n")
        return .success
    }
}
