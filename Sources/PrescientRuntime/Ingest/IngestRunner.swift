import PrescientCore

/// Reads input files record by record, turns each into an `Event` or a `Rejection`, and hands
/// accepted events to an `EventSink` in batches.
///
/// Every rejection is counted, reported through `onReject` as `file:line: field: reason`, and
/// never reaches the sink. With `strict`, the first rejection stops the run and the sink is
/// aborted, so nothing of the run is applied; so is a run whose rejections exceed `maxRejects`.
/// Otherwise the sink is committed once at the end.
public final class IngestRunner {
    public let options: IngestOptions
    private var normalizer: EventNormalizer
    private let timestamps: TimestampParser
    private let maxLineBytes: Int
    public private(set) var summary = IngestSummary()
    /// Called for every rejection, with the offending record's bytes (possibly truncated).
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

    /// Ingests `paths` in order into `sink`. Returns the summary; the caller decides the exit code.
    @discardableResult
    public func run(paths: [String], into sink: EventSink, now: () -> Double = monotonicSeconds) throws(RuntimeError) -> IngestSummary {
        let started = now()
        defer { summary.seconds = now() - started }
        try runFiles(paths, into: sink)
        summary.seconds = now() - started
        return summary
    }

    private func runFiles(_ paths: [String], into sink: EventSink) throws(RuntimeError) {
        do throws(RuntimeError) {
            for path in paths {
                let completed = try ingest(path: path, into: sink)
                if !completed { sink.abort(); return }
            }
            if let limit = options.maxRejects, summary.rejected > limit {
                summary.exceededMaxRejects = true
                sink.abort()
                return
            }
            try sink.commit()
            summary.applied = true
        } catch {
            sink.abort()
            throw error
        }
    }

    private enum Parser {
        case json(JSONLineParser)
        case delimited(DelimitedParser)
        case accessLog(AccessLogParser)
    }

    /// Returns false when `--strict` stopped the run.
    private func ingest(path: String, into sink: EventSink) throws(RuntimeError) -> Bool {
        let source = try InputFile.open(path)
        let reader = LineReader(source: source, maxLineBytes: maxLineBytes)
        var parser: Parser?
        var batch: [Event] = []
        batch.reserveCapacity(options.batchSize)
        var pending: [UInt8] = []      // a CSV record spanning lines
        var pendingLine = 0

        func reject(_ line: Int, _ error: FieldError, _ bytes: UnsafeRawBufferPointer) -> Bool {
            summary.rejected += 1
            summary.rejectedByField[error.field, default: 0] += 1
            onReject(Rejection(source: path, line: line, error: error), bytes)
            if options.strict { summary.stoppedEarly = true; return false }
            return true
        }

        while let line = try reader.next() {
            summary.lines += 1
            let lineNo = reader.lineNumber
            let bytes: UnsafeRawBufferPointer
            switch line {
            case .tooLong(let n):
                if !pending.isEmpty { pending.removeAll(); summary.records += 1 ; if !reject(pendingLine, FieldError("line", "quoted field runs into an over-long line"), UnsafeRawBufferPointer(start: nil, count: 0)) { return false } }
                summary.records += 1
                if !reject(lineNo, FieldError("line", "\(n) bytes, longer than the \(maxLineBytes)-byte limit (ingest.max_line_bytes); skipped"), UnsafeRawBufferPointer(start: nil, count: 0)) { return false }
                continue
            case .text(let b): bytes = b
            }
            if parser == nil {
                if isBlank(bytes) { continue }
                let format = options.format ?? InputFormat.sniff(firstLine: bytes)
                switch format {
                case .jsonl: parser = .json(JSONLineParser(mapping: options.mapping, timestamps: timestamps))
                case .clf: parser = .accessLog(AccessLogParser(timestamps: timestamps))
                case .csv, .tsv:
                    do throws(FieldError) {
                        parser = .delimited(try DelimitedParser(header: bytes, delimiter: options.delimiter ?? format.delimiter,
                                                                mapping: options.mapping, timestamps: timestamps))
                    } catch {
                        throw RuntimeError(.badInput, "\(path):\(lineNo): \(error.field): \(error.reason)")
                    }
                    continue
                }
            }
            if isBlank(bytes) && pending.isEmpty { continue }
            let raw: Result<RawEvent, FieldError>
            let labels: FieldLabels
            var recordLine = lineNo
            switch parser! {
            case .json(let p):
                labels = p.labels
                raw = Result { () throws(FieldError) in try p.parse(bytes) }
            case .accessLog(let p):
                labels = AccessLogParser.labels
                raw = Result { () throws(FieldError) in try p.parse(bytes) }
            case .delimited(let p):
                labels = p.labels
                if !pending.isEmpty || DelimitedParser.needsMoreLines(bytes) {
                    if pending.isEmpty { pendingLine = lineNo } else { pending.append(0x0A) }
                    pending.append(contentsOf: bytes)
                    let complete = pending.withUnsafeBytes { !DelimitedParser.needsMoreLines($0) }
                    if !complete {
                        if pending.count > maxLineBytes {
                            pending.removeAll()
                            summary.records += 1
                            if !reject(pendingLine, FieldError("line", "quoted field not closed within \(maxLineBytes) bytes"), UnsafeRawBufferPointer(start: nil, count: 0)) { return false }
                        }
                        continue
                    }
                    recordLine = pendingLine
                    let record = pending
                    pending.removeAll(keepingCapacity: true)
                    summary.records += 1
                    let ok = record.withUnsafeBytes { rb in
                        process(Result { () throws(FieldError) in try p.parse(rb) }, labels, recordLine, rb, &batch, reject)
                    }
                    if !ok { return false }
                    try flushIfFull(&batch, sink, source)
                    continue
                }
                raw = Result { () throws(FieldError) in try p.parse(bytes) }
            }
            summary.records += 1
            if !process(raw, labels, recordLine, bytes, &batch, reject) { return false }
            try flushIfFull(&batch, sink, source)
        }
        if !pending.isEmpty {
            summary.records += 1
            let ok = pending.withUnsafeBytes { rb in reject(pendingLine, FieldError("line", "truncated: quoted field not closed at the end of the file"), rb) }
            if !ok { return false }
        }
        if !batch.isEmpty { try sink.write(batch); batch.removeAll() }
        onProgress(source.position, source.size, summary)
        return true
    }

    private func process(_ raw: Result<RawEvent, FieldError>, _ labels: FieldLabels, _ line: Int, _ bytes: UnsafeRawBufferPointer,
                         _ batch: inout [Event], _ reject: (Int, FieldError, UnsafeRawBufferPointer) -> Bool) -> Bool {
        switch raw {
        case .failure(let e): return reject(line, e, bytes)
        case .success(let r):
            switch normalizer.normalize(r, labels: labels) {
            case .success(let event): batch.append(event); summary.accepted += 1; return true
            case .failure(let e): return reject(line, e, bytes)
            }
        }
    }

    private func flushIfFull(_ batch: inout [Event], _ sink: EventSink, _ source: ByteSource) throws(RuntimeError) {
        guard batch.count >= options.batchSize else { return }
        try sink.write(batch)
        batch.removeAll(keepingCapacity: true)
        onProgress(source.position, source.size, summary)
    }

    private func isBlank(_ p: UnsafeRawBufferPointer) -> Bool {
        p.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }
}
