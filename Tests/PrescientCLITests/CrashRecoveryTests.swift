import Foundation
import PrescientCLI
import PrescientCore
import PrescientRuntime
import PrescientSQLite
import PrescientTestKit
import Testing

/// `kill -9` during a large ingest, restart, re-run the same ingest: every profile ends exactly as
/// in an uninterrupted run. The real binary runs as a child process and is killed by its PID once
/// it has acknowledged two batches (it says so on stderr with --verbose; no sleeping).
@Suite struct CrashRecoveryTests {
    static var binary: String { TestFiles.repositoryRoot + "/.build/debug/prescient" }

    @Test func killNineDuringIngestThenRerunEndsAsAnUninterruptedRun() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build the package first (swift build)")
        let dir = TestFiles.scratchDirectory("crash")
        #expect(prescient("generate", "--users", "4000", "--days", "7", "--seed", "8", "--out", dir + "/pop").status == 0)
        let events = dir + "/pop/events.jsonl"
        let covariates = dir + "/pop/covariates.csv"

        // Reference: uninterrupted.
        let reference = prescient("ingest", events, "--covariates", covariates, "--store", "sqlite:\(dir)/reference.db", "--commit-every", "5000")
        #expect(reference.status == 0)

        // Interrupted: kill -9 after the second acknowledged batch.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: Self.binary)
        child.arguments = ["ingest", events, "--covariates", covariates, "--store", "sqlite:\(dir)/crashed.db", "--commit-every", "5000", "--verbose"]
        child.environment = ["PRESCIENT_DATA_DIR": dir]
        let stderr = Pipe()
        child.standardError = stderr
        child.standardOutput = FileHandle.nullDevice
        try child.run()
        var seen = ""
        var acknowledged = 0
        while acknowledged < 2 {
            let chunk = stderr.fileHandleForReading.availableData
            if chunk.isEmpty { break } // the child ended before being killed
            seen += String(decoding: chunk, as: UTF8.self)
            acknowledged = seen.components(separatedBy: "ingest: committed through line").count - 1
        }
        #expect(acknowledged >= 2, "child output: \(seen)")
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        #expect(child.terminationReason == .uncaughtSignal)

        let partial = try SQLiteProfileStore(path: dir + "/crashed.db")
        let partialEvents = try partial.allProfiles().reduce(0) { $0 + $1.events }
        partial.close()
        #expect(partialEvents >= 10_000)

        // Restart and re-run the same command: it resumes after the last acknowledged batch.
        let rerun = prescient("ingest", events, "--covariates", covariates, "--store", "sqlite:\(dir)/crashed.db", "--commit-every", "5000")
        #expect(rerun.status == 0)
        #expect(rerun.err.contains("; resumed after "), "\(rerun.err)")

        let a = try SQLiteProfileStore(path: dir + "/reference.db").allProfiles()
        let b = try SQLiteProfileStore(path: dir + "/crashed.db").allProfiles()
        #expect(a.count == b.count && a.count > 3000)
        #expect(a == b)
    }
}
