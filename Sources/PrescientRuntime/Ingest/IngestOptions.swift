import PrescientCore

/// How one `ingest` run reads its inputs.
public struct IngestOptions: Sendable {
    /// The input format; nil sniffs it from each file's first line.
    public var format: InputFormat?
    /// Field delimiter for CSV/TSV; nil uses the format's (`,` or tab).
    public var delimiter: UInt8?
    public var mapping: FieldMapping = FieldMapping()
    /// Stop at the first rejected record (what came before it is applied and checkpointed).
    public var strict = false
    /// Rejections tolerated before the run counts as failed (exit 65); nil tolerates any number.
    public var maxRejects: Int? = 0
    /// Rejections printed to the diagnostics stream before the rest are only counted.
    public var printedRejects = 10
    /// Events handed to the sink per batch.
    public var batchSize = 4096
    /// Records between commits (each commit is an acknowledgement and a resume point).
    public var commitEvery = 500_000

    public init() {}
}

/// What an ingest run did. Rendered as the summary line that ends every ingest.
public struct IngestSummary: Sendable, Equatable {
    /// Physical lines read (header included).
    public var lines = 0
    /// Records read (a quoted CSV field may span lines; the header is not a record).
    public var records = 0
    public var accepted = 0
    public var rejected = 0
    /// Rejections per field name, for the summary.
    public var rejectedByField: [String: Int] = [:]
    public var seconds = 0.0
    /// True when `--strict` stopped the run.
    public var stoppedEarly = false
    /// True when more records were rejected than `maxRejects` allows (the exit status says so).
    public var exceededMaxRejects = false
    /// True when the run finished and the sink committed the accepted events.
    public var applied = false
    /// Lines skipped because an earlier run already applied them (resume after a crash).
    public var skippedLines = 0
    /// Re-delivered events the sink had already applied (not errors).
    public var duplicates = 0
    /// Commits made (acknowledged batches).
    public var commits = 0

    public init() {}

    public var summaryLine: String {
        var s = "ingest: read \(records) record\(records == 1 ? "" : "s"), accepted \(accepted), rejected \(rejected)"
        if duplicates > 0 { s += ", duplicates \(duplicates)" }
        if !rejectedByField.isEmpty {
            let parts = rejectedByField.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .map { "\($0.key) \($0.value)" }
            s += " (\(parts.joined(separator: ", ")))"
        }
        let rate = seconds > 0 ? Double(records) / seconds : 0
        s += " in \(Formatting.seconds(seconds)) (\(Formatting.rate(rate)) records/s)"
        if skippedLines > 0 { s += "; resumed after \(skippedLines) line\(skippedLines == 1 ? "" : "s") applied by an earlier run" }
        if stoppedEarly { s += "; stopped at the first rejection (--strict): what came before it is applied" }
        return s
    }
}
