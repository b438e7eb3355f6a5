#if canImport(Glibc)
import Glibc
#endif

public enum AbsolutePath {
    /// The canonical absolute path of an existing file (symlinks resolved), else `path` itself.
    public static func of(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
