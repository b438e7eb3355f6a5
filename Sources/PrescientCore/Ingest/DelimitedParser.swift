/// Reads events from CSV or TSV records with a header row (RFC 4180 quoting).
///
/// The header binds columns to fields through a `FieldMapping`; unknown columns are ignored. Fields
/// may be quoted with `"`; a quote inside a quoted field is doubled. A quoted field may span lines:
/// `needsMoreLines(_:)` tells the reader to join the next line. A record with more or fewer
/// fields than the header is rejected, naming both counts.
public struct DelimitedParser: Sendable {
    public let delimiter: UInt8
    public let columnNames: [String]
    /// For each column, the field it feeds (nil: ignored).
    public let columnFields: [EventField?]
    public let timestamps: TimestampParser
    public let labels: FieldLabels

    /// Binds the header line to fields. Throws when a required field (`ts`, `user`) has no column.
    public init(header: UnsafeRawBufferPointer, delimiter: UInt8, mapping: FieldMapping,
                timestamps: TimestampParser = TimestampParser()) throws(FieldError) {
        if let bad = UTF8Validator.firstInvalidOffset(header) {
            throw FieldError("header", "invalid UTF-8 at byte \(bad + 1)")
        }
        var names: [String] = []
        try DelimitedParser.split(header, delimiter: delimiter) { (p, quoted) throws(FieldError) in
            names.append((quoted ? ValueDecoding.string(DelimitedParser.unquote(p)) : ValueDecoding.string(p)).trimmingBlanks)
        }
        if let first = names.first, first.hasPrefix("\u{FEFF}") { names[0] = String(first.dropFirst()) }
        var fields = [EventField?](repeating: nil, count: names.count)
        var labelNames = FieldLabels(mapping: mapping).names
        for field in EventField.allCases {
            for name in mapping.sourceNames[field.rawValue] {
                if let col = names.firstIndex(of: name), fields[col] == nil {
                    fields[col] = field
                    labelNames[field.rawValue] = name
                    break
                }
            }
        }
        for required in [EventField.ts, .user] where !fields.contains(required) {
            let wanted = mapping.sourceNames[required.rawValue].map { "'\($0)'" }.joined(separator: " or ")
            throw FieldError("header", "no column for \(required.name) (looked for \(wanted.isEmpty ? "nothing" : wanted); columns: \(names.joined(separator: ", ")); use --map \(required.name)=COLUMN)")
        }
        self.delimiter = delimiter
        self.columnNames = names
        self.columnFields = fields
        self.timestamps = timestamps
        self.labels = FieldLabels(labelNames)
    }

    /// Whether `record` ends inside a quoted field (an odd number of quotes), so the next line belongs to it.
    public static func needsMoreLines(_ record: UnsafeRawBufferPointer) -> Bool {
        var quotes = 0
        for b in record where b == UInt8(ascii: "\"") { quotes += 1 }
        return quotes % 2 == 1
    }

    /// Parses one record (one or more physical lines joined with `\n`).
    public func parse(_ record: UnsafeRawBufferPointer) throws(FieldError) -> RawEvent {
        if let bad = UTF8Validator.firstInvalidOffset(record) {
            throw FieldError("line", "invalid UTF-8 at byte \(bad + 1)")
        }
        var event = RawEvent()
        var column = 0
        let fields = columnFields
        let names = columnNames
        try DelimitedParser.split(record, delimiter: delimiter) { (p, quoted) throws(FieldError) in
            defer { column += 1 }
            guard column < fields.count, let field = fields[column] else { return }
            if quoted {
                let text = DelimitedParser.unquote(p)
                try ValueDecoding.withBytes(text) { (t) throws(FieldError) in
                    try event.assign(field, text: t, label: names[column], timestamps: timestamps)
                }
            } else {
                try event.assign(field, text: p, label: names[column], timestamps: timestamps)
            }
        }
        guard column == names.count else {
            throw FieldError("line", "\(column) field\(column == 1 ? "" : "s") where the header has \(names.count)")
        }
        return event
    }

    /// Calls `body` with each field's bytes and whether it was quoted (bytes between the quotes, still doubled).
    static func split(_ p: UnsafeRawBufferPointer, delimiter: UInt8,
                      _ body: (UnsafeRawBufferPointer, Bool) throws(FieldError) -> Void) throws(FieldError) {
        var i = 0
        let n = p.count
        var end = n
        if end > 0, p[end - 1] == 0x0D { end -= 1 }
        while true {
            if i < end, p[i] == UInt8(ascii: "\"") {
                let start = i + 1
                var j = start
                while true {
                    guard j < end else { throw FieldError("line", "unterminated quoted field") }
                    if p[j] == UInt8(ascii: "\"") {
                        if j + 1 < end, p[j + 1] == UInt8(ascii: "\"") { j += 2; continue }
                        break
                    }
                    j += 1
                }
                try body(UnsafeRawBufferPointer(rebasing: p[start..<j]), true)
                i = j + 1
                if i == end { return }
                guard p[i] == delimiter else { throw FieldError("line", "text after a closing quote at byte \(i + 1)") }
                i += 1
            } else {
                var j = i
                while j < end, p[j] != delimiter { j += 1 }
                try body(UnsafeRawBufferPointer(rebasing: p[i..<j]), false)
                if j >= end { return }
                i = j + 1
            }
        }
    }

    static func unquote(_ p: UnsafeRawBufferPointer) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(p.count)
        var i = 0
        while i < p.count {
            out.append(p[i])
            i += (p[i] == UInt8(ascii: "\"") && i + 1 < p.count && p[i + 1] == UInt8(ascii: "\"")) ? 2 : 1
        }
        return out
    }
}
