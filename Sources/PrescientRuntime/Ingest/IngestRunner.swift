import PrescientCore

/// Reads input files record by record, turns each into an `Event` or a `Rejection`, and hands
/// accepted events to an `EventSink` in batches, committing every `commitEvery` records.
///
/// Every rejection is counted and reported through `onReject` as `file:line: field: reason`; a bad
/// record never reaches the sink, a good one is never held back by a bad neighbour. A commit
/// records how far into the file it reaches, so a run killed at any point and started again skips
/// what was committed and applies the rest exactly once. With `strict`, the first rejection stops
/// the run after committing what came before it. Exceeding `maxRejects` fails the run (exit 65)
/// but does not undo the good records.
public final class IngestRunner {
    public let options: IngestOptions
    private var normalizer: EventNormalizer
    private let timestamps: TimestampParser
    private let maxLineBytes: Int
    public private(set) var summary = IngestSummary()
    /// Called for every rejection, with the offending record's bytes (possibly empty).
    public var onReject: (Rejection, UnsafeRawBufferPointer) -> Void = { _, _ in }
    /// Called after each batch with (bytes consumed of the current file, its size if known).
    public var onProgress: (Int, Int?, IngestSummary) -> Void = { _, _, _ in }

    public init(config: PrescientConfig, options: IngestOptions, countries: any CountryLookup = NoCountryLookup(),
                naiveZone: any UTCOffsetProvider = FixedUTCOffset.utc) {
        self.options = options
        self.normalizer = EventNormalizer(config: config, countries: countries)
        self.timestamps = TimestampParser(naiveZone: naiveZone)
        self.maxLineBytes = config.ingest.maxLineBytes
    }

    /// Ingests `paths` in order into `sink`. Returns this run's summary (each run starts from zero:
    /// a reused runner neither reports nor limits rejections by an earlier run's); the caller
    /// decides the exit code.
    @discardableResult
    public func run(paths: [String], into sink: EventSink, now: () -> Double = monotonicSeconds) throws(RuntimeError) -> IngestSummary {
        summary = IngestSummary()
        let started = now()
        do throws(RuntimeError) {
            for path in paths {
                var file = FileIngest(path: path, runner: self, sink: sink)
                let completed = try file.run()
                if !completed { break }
            }
            try sink.finish()
            summary.applied = true
        } catch {
            sink.abort()
            summary.seconds = now() - started
            throw error
        }
        if let limit = options.maxRejects, summary.rejected > limit { summary.exceededMaxRejects = true }
        summary.seconds = now() - started
        return summary
    }

    private enum Parser {
        case json(JSONLineParser)
        case delimited(DelimitedParser)
        case accessLog(AccessLogParser)

        var labels: FieldLabels {
            switch self {
            case .json(let p): p.labels
            case .delimited(let p): p.labels
            case .accessLog: AccessLogParser.labels
            }
        }

        func parse(_ bytes: UnsafeRawBufferPointer) -> Result<RawEvent, FieldError> {
            switch self {
            case .json(let p): Result { () throws(FieldError) in try p.parse(bytes) }
            case .delimited(let p): Result { () throws(FieldError) in try p.parse(bytes) }
            case .accessLog(let p): Result { () throws(FieldError) in try p.parse(bytes) }
            }
        }
    }

    /// The ingest of one file: its reader, parser, pending batch and checkpoint state.
    private struct FileIngest {
        let path: String
        let runner: IngestRunner
        let sink: EventSink
        let worker: SinkWorker
        var parser: Parser?
        var identity: SourceIdentity?
        var resumeLine = 0
        var batch: [Event] = []
        var batchLines: [Int] = []
        var sinceCommit = 0
        /// Last physical line whose records are all decided (accepted into the batch or rejected).
        var decidedLine = 0
        var pending: [UInt8] = []
        var pendingLine = 0

        init(path: String, runner: IngestRunner, sink: EventSink) {
            self.path = path; self.runner = runner; self.sink = sink
            worker = SinkWorker(sink: sink)
        }

        var options: IngestOptions { runner.options }

        /// Returns false when `--strict` stopped the run.
        mutating func run() throws(RuntimeError) -> Bool {
            let source = try InputFile.open(path)
            let reader = LineReader(source: source, maxLineBytes: runner.maxLineBytes)
            batch.reserveCapacity(options.batchSize)
            while let line = try reader.next() {
                runner.summary.lines += 1
                let lineNo = reader.lineNumber
                if identity == nil && path != "-", case .text(let first) = line {
                    identity = SourceIdentity(path: AbsolutePath.of(path), fingerprint: Self.fingerprint(first))
                    resumeLine = try sink.resumeLine(for: identity!)
                }
                // Resume: skip what an earlier run committed (a CSV/TSV header is still read).
                if lineNo <= resumeLine && !(lineNo == 1 && isHeaderFormat(line)) {
                    runner.summary.skippedLines += 1
                    decidedLine = lineNo
                    continue
                }
                guard try handle(line, lineNo) else { return false }
                decidedLine = pending.isEmpty ? lineNo : pendingLine - 1
                if batch.count >= options.batchSize { try flush(); runner.onProgress(source.position, source.size, runner.summary) }
                if sinceCommit >= options.commitEvery { try commit() }
            }
            if !pending.isEmpty {
                runner.summary.records += 1
                let ok = pending.withUnsafeBytes { reject(pendingLine, FieldError("line", "truncated: quoted field not closed at the end of the file"), $0) }
                pending.removeAll()
                decidedLine = reader.lineNumber
                if !ok { try commit(wait: true); return false }
            }
            try commit(wait: true)
            runner.onProgress(source.position, source.size, runner.summary)
            return true
        }

        /// Whether `line` will be a CSV/TSV header (it must be read even when resuming).
        func isHeaderFormat(_ line: LineReader.Line) -> Bool {
            guard case .text(let b) = line else { return false }
            let format = options.format ?? InputFormat.sniff(firstLine: b)
            return format == .csv || format == .tsv
        }

        static func fingerprint(_ p: UnsafeRawBufferPointer) -> UInt64 {
            var h = FNV1a()
            h.add(p.prefix(4096))
            return h.finalized
        }

        /// Handles one physical line; false when `--strict` stops here.
        mutating func handle(_ line: LineReader.Line, _ lineNo: Int) throws(RuntimeError) -> Bool {
            let bytes: UnsafeRawBufferPointer
            switch line {
            case .tooLong(let n):
                if !pending.isEmpty {
                    pending.removeAll()
                    runner.summary.records += 1
                    if !reject(pendingLine, FieldError("line", "quoted field runs into an over-long line"), UnsafeRawBufferPointer(start: nil, count: 0)) { return try stop(before: pendingLine) }
                }
                runner.summary.records += 1
                if !reject(lineNo, FieldError("line", "\(n) bytes, longer than the \(runner.maxLineBytes)-byte limit (ingest.max_line_bytes); skipped"), UnsafeRawBufferPointer(start: nil, count: 0)) { return try stop(before: lineNo) }
                return true
            case .text(let b): bytes = b
            }
            if parser == nil {
                if isBlank(bytes) { return true }
                let format = options.format ?? InputFormat.sniff(firstLine: bytes)
                switch format {
                case .jsonl: parser = .json(JSONLineParser(mapping: options.mapping, timestamps: runner.timestamps))
                case .clf: parser = .accessLog(AccessLogParser(timestamps: runner.timestamps))
                case .csv, .tsv:
                    do throws(FieldError) {
                        parser = .delimited(try DelimitedParser(header: bytes, delimiter: options.delimiter ?? format.delimiter,
                                                                mapping: options.mapping, timestamps: runner.timestamps))
                    } catch {
                        throw RuntimeError(.badInput, "\(path):\(lineNo): \(error.field): \(error.reason)")
                    }
                    return true
                }
            }
            if isBlank(bytes) && pending.isEmpty { return true }
            let p = parser!
            if case .delimited = p, !pending.isEmpty || DelimitedParser.needsMoreLines(bytes) {
                if pending.isEmpty { pendingLine = lineNo } else { pending.append(0x0A) }
                pending.append(contentsOf: bytes)
                let complete = pending.withUnsafeBytes { !DelimitedParser.needsMoreLines($0) }
                if !complete {
                    if pending.count > runner.maxLineBytes {
                        pending.removeAll()
                        runner.summary.records += 1
                        if !reject(pendingLine, FieldError("line", "quoted field not closed within \(runner.maxLineBytes) bytes"), UnsafeRawBufferPointer(start: nil, count: 0)) { return try stop(before: pendingLine) }
                    }
                    return true
                }
                let record = pending
                let first = pendingLine
                pending.removeAll(keepingCapacity: true)
                runner.summary.records += 1
                let ok = record.withUnsafeBytes { rb in process(p.parse(rb), p.labels, first, rb) }
                return ok ? true : try stop(before: first)
            }
            runner.summary.records += 1
            return process(p.parse(bytes), p.labels, lineNo, bytes) ? true : try stop(before: lineNo)
        }

        /// Accepts or rejects one record; false when `--strict` must stop.
        mutating func process(_ raw: Result<RawEvent, FieldError>, _ labels: FieldLabels, _ line: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
            switch raw.flatMap({ runner.normalizer.normalize($0, labels: labels) }) {
            case .failure(let e): return reject(line, e, bytes)
            case .success(let event):
                batch.append(event); batchLines.append(line)
                runner.summary.accepted += 1
                sinceCommit += 1
                return true
            }
        }

        func reject(_ line: Int, _ error: FieldError, _ bytes: UnsafeRawBufferPointer) -> Bool {
            runner.summary.rejected += 1
            runner.summary.rejectedByField[error.field, default: 0] += 1
            runner.onReject(Rejection(source: path, line: line, error: error), bytes)
            if options.strict { runner.summary.stoppedEarly = true; return false }
            return true
        }

        /// Hands the batch to the sink's worker (applied while the next batch is parsed).
        mutating func flush() throws(RuntimeError) {
            guard !batch.isEmpty else { return }
            try worker.submit(batch, lines: batchLines)
            batch.removeAll(keepingCapacity: true)
            batchLines.removeAll(keepingCapacity: true)
        }

        /// Waits for the worker and accounts for what the sink did not apply.
        func settle() throws(RuntimeError) {
            let labels = parser?.labels ?? .canonical
            for v in try worker.drain() {
                runner.summary.accepted -= 1
                switch v.kind {
                case .duplicate: runner.summary.duplicates += 1
                case .late(let why):
                    runner.summary.rejected += 1
                    runner.summary.rejectedByField[labels[.ts], default: 0] += 1
                    runner.onReject(Rejection(source: path, line: v.line, error: FieldError(labels[.ts], "late: \(why)")),
                                    UnsafeRawBufferPointer(start: nil, count: 0))
                }
            }
        }

        /// Commits everything decided so far, on the worker; `wait` waits for it (end of file, stop).
        mutating func commit(wait: Bool = false) throws(RuntimeError) {
            try flush()
            try worker.commit(through: identity.map { SourcePosition(source: $0, line: decidedLine) })
            runner.summary.commits += 1
            sinceCommit = 0
            // Late and duplicate verdicts are reported when the worker is waited for.
            if wait { try settle() }
        }

        /// `--strict` stop at the record starting on `line`: commit everything before it.
        mutating func stop(before line: Int) throws(RuntimeError) -> Bool {
            decidedLine = line - 1
            try commit(wait: true)
            return false
        }

        func isBlank(_ p: UnsafeRawBufferPointer) -> Bool {
            p.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
        }
    }
}
