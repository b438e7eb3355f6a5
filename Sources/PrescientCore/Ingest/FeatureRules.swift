/// Maps a request path to a feature name.
///
/// The longest configured path prefix wins (a prefix matches at a segment boundary: `/video`
/// matches `/video` and `/video/x`, not `/videos`). Otherwise the feature is the first `depth`
/// directory segments (`/shuttle/missions/a.html` → `shuttle` at depth 1), or the file name for a
/// file at the root (`/whats-new.html`), or `root` for `/`. The query string and fragment are dropped.
public struct FeatureRules: Sendable {
    private let prefixes: [(prefix: String, feature: String)]
    public let depth: Int

    public init(features: [FeatureSpec], depth: Int = 1) {
        var p: [(String, String)] = []
        for f in features { for path in f.paths { p.append((path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path, f.name)) } }
        prefixes = p.sorted { $0.0.count > $1.0.count }
        self.depth = max(1, depth)
    }

    public func feature(forPath rawPath: String) -> String {
        var path = Substring(rawPath)
        if let q = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<q] }
        for (prefix, feature) in prefixes where path.hasPrefix(prefix) {
            let rest = path.dropFirst(prefix.count)
            if rest.isEmpty || rest.first == "/" || prefix == "/" { return feature }
        }
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        if segments.isEmpty { return "root" }
        let directories = path.hasSuffix("/") ? segments : segments.dropLast()
        if directories.isEmpty { return String(segments[0]) }
        return directories.prefix(depth).joined(separator: "/")
    }
}
