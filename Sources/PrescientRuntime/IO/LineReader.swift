#if canImport(Glibc)
import Glibc
#endif

/// Streams the lines of a `ByteSource` without holding the file in memory.
///
/// Memory is bounded by `maxLineBytes` plus one read chunk: a line longer than the limit is not
/// buffered but skipped to its end and reported as `.tooLong(bytes)`, so a 10 MB line costs no
/// more memory than a short one. A final line without a newline is still a line. `\r\n` endings
/// keep their `\r` (parsers trim it where it matters).
public final class LineReader {
    public enum Line {
        case text(UnsafeRawBufferPointer)
        /// The line was longer than the limit; its full length in bytes.
        case tooLong(Int)
    }

    public let source: ByteSource
    public let maxLineBytes: Int
    private var buffer: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    private var eof = false
    /// Number of the line most recently returned, 1-based.
    public private(set) var lineNumber = 0

    public init(source: ByteSource, maxLineBytes: Int = 1 << 20, chunkBytes: Int = 1 << 20) {
        self.source = source
        self.maxLineBytes = maxLineBytes
        buffer = .allocate(byteCount: maxLineBytes + chunkBytes, alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// The next line, valid until the next call; nil at the end of the input.
    public func next() throws(RuntimeError) -> Line? {
        var scanFrom = start
        while true {
            if scanFrom < end, let nl = memchr(buffer.baseAddress! + scanFrom, 0x0A, end - scanFrom) {
                let nlIndex = buffer.baseAddress!.distance(to: UnsafeMutableRawPointer(nl))
                let line = UnsafeRawBufferPointer(rebasing: buffer[start..<nlIndex])
                start = nlIndex + 1
                lineNumber += 1
                if line.count > maxLineBytes { return .tooLong(line.count) }
                return .text(line)
            }
            scanFrom = end
            if end - start > maxLineBytes {
                // Too long: drop what we have and skip to the next newline.
                var length = end - start
                start = 0; end = 0
                while true {
                    let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0...]))
                    if n == 0 { eof = true; lineNumber += 1; return .tooLong(length) }
                    if let nl = memchr(buffer.baseAddress!, 0x0A, n) {
                        let k = buffer.baseAddress!.distance(to: UnsafeMutableRawPointer(nl))
                        length += k
                        start = k + 1; end = n
                        lineNumber += 1
                        return .tooLong(length)
                    }
                    length += n
                }
            }
            if eof {
                guard start < end else { return nil }
                let line = UnsafeRawBufferPointer(rebasing: buffer[start..<end])
                start = end
                lineNumber += 1
                return .text(line)
            }
            // Make room and read more.
            if start > 0 {
                let live = end - start
                if live > 0 { memmove(buffer.baseAddress!, buffer.baseAddress! + start, live) }
                scanFrom -= start
                start = 0; end = live
            }
            let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))
            if n == 0 { eof = true } else { end += n }
        }
    }
}
