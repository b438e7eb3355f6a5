import Foundation
import PrescientRuntime
import PrescientTestKit
import Testing

/// Reads all lines of a file as strings, long lines as "<too long: N>".
func allLines(_ path: String, maxLineBytes: Int = 1 << 20, chunk: Int = 1 << 20) throws -> [String] {
    let reader = LineReader(source: try InputFile.open(path), maxLineBytes: maxLineBytes, chunkBytes: chunk)
    var out: [String] = []
    while let line = try reader.next() {
        switch line {
        case .text(let p): out.append(String(decoding: p, as: UTF8.self))
        case .tooLong(let n): out.append("<too long: \(n)>")
        }
    }
    return out
}

@Suite struct LineReaderTests {
    @Test func splitsLinesKeepsTheLastOneWithoutNewline() throws {
        let path = TestFiles.write("a\nbb\r\n\nccc", name: "lines.txt")
        #expect(try allLines(path) == ["a", "bb\r", "", "ccc"])
    }

    @Test func emptyFileHasNoLines() throws {
        #expect(try allLines(TestFiles.write("", name: "empty.txt")).isEmpty)
    }

    @Test(arguments: [7, 64, 4096])
    func linesAcrossChunkBoundaries(_ chunk: Int) throws {
        let lines = (0..<500).map { "line \($0) " + String(repeating: "x", count: $0 % 37) }
        let path = TestFiles.write(lines.joined(separator: "\n") + "\n", name: "many.txt")
        #expect(try allLines(path, maxLineBytes: 256, chunk: chunk) == lines)
    }

    @Test func aTenMegabyteLineIsSkippedNotBuffered() throws {
        var bytes = Array("first\n".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "z"), count: 10 << 20)
        bytes += Array("\nlast\n".utf8)
        let path = TestFiles.write(bytes, name: "huge.txt")
        #expect(try allLines(path, maxLineBytes: 1 << 20, chunk: 1 << 16) == ["first", "<too long: 10485760>", "last"])
        // Also when the over-long line is the last one and has no newline.
        let tail = TestFiles.write(Array("a\n".utf8) + [UInt8](repeating: 0x41, count: 3000), name: "tail.txt")
        #expect(try allLines(tail, maxLineBytes: 1000, chunk: 512) == ["a", "<too long: 3000>"])
    }

    @Test func readsGzipTransparently() throws {
        let dir = TestFiles.scratchDirectory("gz")
        let plain = dir + "/x.txt"
        try "one\ntwo\nthree\n".write(toFile: plain, atomically: true, encoding: .utf8)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-k", plain]
        try gzip.run()
        gzip.waitUntilExit()
        // Named without .gz: detection is by content.
        try FileManager.default.moveItem(atPath: plain + ".gz", toPath: dir + "/compressed.log")
        #expect(try allLines(dir + "/compressed.log") == ["one", "two", "three"])
    }

    @Test func truncatedGzipIsAnError() throws {
        let data = try #require(FileManager.default.contents(atPath: TestFiles.sharedDataFile("semicomplete-apache-2015-05/apache_logs.gz")))
        let path = TestFiles.write(Array(data.prefix(5000)), name: "cut.gz")
        #expect(throws: RuntimeError.self) { _ = try allLines(path) }
        do { _ = try allLines(path) } catch let e as RuntimeError {
            #expect(e.message == "\(path): truncated gzip stream (file ends inside compressed data)")
        }
    }

    @Test func missingFileNamesThePath() {
        do { _ = try InputFile.open("/nonexistent/events.jsonl"); Issue.record("opened") } catch {
            #expect(error.message == "/nonexistent/events.jsonl: cannot open: No such file or directory")
        }
    }
}
