#if canImport(Glibc)
import Glibc
#endif

/// Buffered writes to a file that appears under its final name only on `commit` (write to
/// `name.tmp-PID`, fsync, rename), so readers never see a half-written file.
public final class AtomicFileWriter {
    public let path: String
    private let temporaryPath: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private let flushBytes: Int
    private var done = false

    public init(path: String, flushBytes: Int = 1 << 20) throws(RuntimeError) {
        self.path = path
        temporaryPath = "\(path).tmp-\(getpid())"
        fd = Glibc.open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw RuntimeError(.io, "\(path): cannot create: \(String(cString: strerror(errno)))") }
        self.flushBytes = flushBytes
        buffer.reserveCapacity(flushBytes + 4096)
    }

    deinit { if !done { abort() } }

    /// Appends bytes (flushed to the temporary file in large writes).
    public func write(_ bytes: [UInt8]) throws(RuntimeError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= flushBytes { try flush() }
    }

    public func write(_ s: String) throws(RuntimeError) { try write(Array(s.utf8)) }

    /// Appends through a closure that writes straight into the buffer (no intermediate array).
    public func append(_ body: (inout [UInt8]) -> Void) throws(RuntimeError) {
        body(&buffer)
        if buffer.count >= flushBytes { try flush() }
    }

    public func flush() throws(RuntimeError) {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw RuntimeError(.io, "\(path): write failed: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, syncs and renames into place.
    public func commit(sync: Bool = true) throws(RuntimeError) {
        try flush()
        if sync { fsync(fd) }
        close(fd)
        done = true
        guard rename(temporaryPath, path) == 0 else {
            throw RuntimeError(.io, "\(path): cannot rename into place: \(String(cString: strerror(errno)))")
        }
    }

    /// Discards everything written.
    public func abort() {
        guard !done else { return }
        close(fd)
        unlink(temporaryPath)
        done = true
    }
}
