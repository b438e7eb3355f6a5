#if canImport(Glibc)
import Glibc
#endif

/// Small file-system queries and operations the commands need.
public enum FileAccess {
    public static func isReadable(_ path: String) -> Bool { access(path, R_OK) == 0 }

    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Creates `path` and its parents (like `mkdir -p`).
    /// Removes the file at `path` if there is one (a fresh start; errors ignored).
    public static func remove(_ path: String) { _ = unlink(path) }

    public static func makeDirectory(_ path: String) throws(RuntimeError) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw RuntimeError(.io, "\(current): cannot create directory: \(String(cString: strerror(errno)))")
            }
        }
        guard isDirectory(path) else { throw RuntimeError(.io, "\(path): exists and is not a directory") }
    }

    /// Writes a whole small file atomically.
    public static func write(_ text: String, to path: String) throws(RuntimeError) {
        let w = try AtomicFileWriter(path: path)
        try w.write(text)
        try w.commit()
    }
}
