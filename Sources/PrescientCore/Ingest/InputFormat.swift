/// The input formats Prescient reads.
public enum InputFormat: String, Sendable, CaseIterable {
    /// JSON Lines: one JSON object per line.
    case jsonl
    /// Comma-separated values with a header row.
    case csv
    /// Tab-separated values with a header row.
    case tsv
    /// Apache/NGINX access log, common or combined format.
    case clf

    public init?(name: String) {
        switch name.lowercased() {
        case "jsonl", "json", "ndjson", "jsonlines": self = .jsonl
        case "csv": self = .csv
        case "tsv", "tab": self = .tsv
        case "clf", "log", "access", "combined", "common", "apache", "nginx": self = .clf
        default: return nil
        }
    }

    /// A guess from the first non-empty line: `{` → JSON Lines; `host - - [` → access log;
    /// a tab → TSV; otherwise CSV.
    public static func sniff(firstLine p: UnsafeRawBufferPointer) -> InputFormat {
        var i = 0
        while i < p.count, p[i] == 0x20 || p[i] == 0x09 { i += 1 }
        if i < p.count, p[i] == UInt8(ascii: "{") { return .jsonl }
        // Access log: three space-separated tokens then " [".
        var spaces = 0
        var j = 0
        while j < p.count, j < 512 {
            if p[j] == 0x20 {
                spaces += 1
                if spaces == 3 { return j + 1 < p.count && p[j + 1] == UInt8(ascii: "[") ? .clf : (p.contains(0x09) ? .tsv : .csv) }
            } else if p[j] == 0x09 || p[j] == UInt8(ascii: ",") { break }
            j += 1
        }
        return p.contains(0x09) ? .tsv : .csv
    }

    /// The default field delimiter of a delimited format.
    public var delimiter: UInt8 { self == .tsv ? 0x09 : UInt8(ascii: ",") }
}
