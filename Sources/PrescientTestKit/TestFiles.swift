import Foundation

/// Paths the tests need: the shared real data sets and scratch directories.
public enum TestFiles {
    /// The repository root, found from this source file's location.
    public static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The shared real data sets: `$PRESCIENT_DATA` when set, else `../shared/data` next to the
    /// repository, else the workplace's `/work/shared/data` (CI may clone elsewhere).
    public static var sharedData: String {
        if let d = ProcessInfo.processInfo.environment["PRESCIENT_DATA"] { return d }
        let sibling = URL(fileURLWithPath: repositoryRoot).deletingLastPathComponent().appendingPathComponent("shared/data").path
        if FileManager.default.fileExists(atPath: sibling) { return sibling }
        return "/work/shared/data"
    }

    public static func sharedDataFile(_ relative: String) -> String { sharedData + "/" + relative }

    /// A fresh empty directory under the system's temporary directory.
    public static func scratchDirectory(_ label: String = "test") -> String {
        let path = NSTemporaryDirectory() + "prescient-\(label)-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes `bytes` to a new file in a scratch directory and returns its path.
    public static func write(_ bytes: [UInt8], name: String) -> String {
        let path = scratchDirectory("file") + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    public static func write(_ text: String, name: String) -> String { write(Array(text.utf8), name: name) }

    /// The file's text; invalid UTF-8 (a rejects file keeps the bytes it was given) shows as U+FFFD.
    public static func read(_ path: String) -> String {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
