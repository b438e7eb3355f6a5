#if canImport(Glibc)
import Glibc
#endif
import CZlib

/// A stream of bytes read in chunks.
///
/// Implementation requirements: `read` fills at most `buffer.count` bytes and returns how many,
/// 0 at the end; it throws `RuntimeError` naming the source on failure.
public protocol ByteSource: AnyObject {
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(RuntimeError) -> Int
    /// Bytes consumed from the underlying file so far (compressed bytes for gzip), for progress.
    var position: Int { get }
    /// Size of the underlying file, if known, for progress.
    var size: Int? { get }
}

/// A file (or standard input) read with `read(2)`.
public final class FileByteSource: ByteSource {
    public let name: String
    private let fd: Int32
    private let ownsDescriptor: Bool
    public private(set) var position = 0
    public let size: Int?

    /// Opens `path`; `-` means standard input.
    public init(path: String) throws(RuntimeError) {
        name = path
        if path == "-" {
            fd = 0; ownsDescriptor = false; size = nil
            return
        }
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw RuntimeError(.io, "\(path): cannot open: \(String(cString: strerror(errno)))") }
        ownsDescriptor = true
        var st = stat()
        if fstat(fd, &st) == 0 {
            if (st.st_mode & S_IFMT) == S_IFDIR {
                close(fd)
                throw RuntimeError(.io, "\(path): is a directory")
            }
            size = (st.st_mode & S_IFMT) == S_IFREG ? Int(st.st_size) : nil
        } else { size = nil }
    }

    deinit { if ownsDescriptor { close(fd) } }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(RuntimeError) -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { position += n; return n }
            if errno == EINTR { continue }
            throw RuntimeError(.io, "\(name): read failed: \(String(cString: strerror(errno)))")
        }
    }
}

/// Decompresses a gzip (RFC 1952) stream from another source with zlib, member after member.
public final class GzipByteSource: ByteSource {
    private let inner: ByteSource
    private let name: String
    private var stream = z_stream()
    private var input: UnsafeMutableRawBufferPointer
    private var finished = false
    private var initialised = false

    public var position: Int { inner.position }
    public var size: Int? { inner.size }

    public init(_ inner: ByteSource, name: String) throws(RuntimeError) {
        self.inner = inner
        self.name = name
        input = .allocate(byteCount: 256 << 10, alignment: 16)
        // 15 + 32: zlib or gzip header, detected automatically.
        let rc = inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else {
            input.deallocate()
            throw RuntimeError(.invariant, "\(name): zlib inflateInit2 failed (\(rc))")
        }
        initialised = true
    }

    deinit {
        if initialised { inflateEnd(&stream) }
        input.deallocate()
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(RuntimeError) -> Int {
        guard !finished, buffer.count > 0 else { return 0 }
        stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = UInt32(buffer.count)
        while stream.avail_out > 0 {
            if stream.avail_in == 0 {
                let n = try inner.read(into: input)
                if n == 0 {
                    // End of file: fine only between members.
                    if !memberOpen { finished = true; break }
                    throw RuntimeError(.badInput, "\(name): truncated gzip stream (file ends inside compressed data)")
                }
                stream.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_in = UInt32(n)
            }
            memberOpen = true
            let rc = inflate(&stream, Z_NO_FLUSH)
            if rc == Z_STREAM_END {
                memberOpen = false
                // Another member may follow (concatenated gzip files).
                inflateReset(&stream)
                continue
            }
            guard rc == Z_OK || rc == Z_BUF_ERROR else {
                let msg = stream.msg.map { String(cString: $0) } ?? "error \(rc)"
                throw RuntimeError(.badInput, "\(name): corrupt gzip data: \(msg)")
            }
        }
        return buffer.count - Int(stream.avail_out)
    }

    private var memberOpen = false

    /// True when `prefix` starts with the gzip magic bytes 1f 8b.
    public static func looksCompressed(_ prefix: UnsafeRawBufferPointer) -> Bool {
        prefix.count >= 2 && prefix[0] == 0x1F && prefix[1] == 0x8B
    }
}

/// Replays bytes already read (to sniff a format) before reading on from the source.
public final class PrefixedByteSource: ByteSource {
    private var prefix: [UInt8]
    private var offset = 0
    private let inner: ByteSource

    public init(prefix: [UInt8], inner: ByteSource) { self.prefix = prefix; self.inner = inner }

    public var position: Int { inner.position }
    public var size: Int? { inner.size }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(RuntimeError) -> Int {
        if offset < prefix.count {
            let n = min(buffer.count, prefix.count - offset)
            prefix.withUnsafeBytes { p in
                buffer.baseAddress!.copyMemory(from: p.baseAddress! + offset, byteCount: n)
            }
            offset += n
            if offset == prefix.count { prefix = [] ; offset = Int.max }
            return n
        }
        return try inner.read(into: buffer)
    }
}

public enum InputFile {
    /// Opens `path` (`-` for standard input), decompressing gzip transparently (detected by its
    /// magic bytes, not its name).
    public static func open(_ path: String) throws(RuntimeError) -> ByteSource {
        let file = try FileByteSource(path: path)
        var head = [UInt8](repeating: 0, count: 2)
        var got = 0
        while got < 2 {
            let start = got
            let result: Result<Int, RuntimeError> = head.withUnsafeMutableBytes { b in
                do throws(RuntimeError) { return .success(try file.read(into: UnsafeMutableRawBufferPointer(rebasing: b[start...]))) }
                catch { return .failure(error) }
            }
            let n = try result.get()
            if n == 0 { break }
            got += n
        }
        head.removeLast(2 - got)
        let replay = PrefixedByteSource(prefix: head, inner: file)
        if head.withUnsafeBytes({ GzipByteSource.looksCompressed($0) }) {
            return try GzipByteSource(replay, name: path)
        }
        return replay
    }
}
