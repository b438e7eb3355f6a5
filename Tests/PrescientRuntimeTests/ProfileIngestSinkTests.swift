import PrescientCore
import PrescientRuntime
import PrescientTestKit
import Testing

@Suite struct ProfileIngestSinkTests {
    static func lines(_ n: Int, users: Int = 4) -> String {
        (0..<n).map { #"{"ts":\#(1_772_409_600 + $0 * 60),"user":"u\#($0 % users)","region":"eu-west","feature":"video","duration_s":120,"id":"e\#($0)"}"# }
            .joined(separator: "\n") + "\n"
    }

    func run(_ path: String, _ store: InMemoryProfileStore, commitEvery: Int = 10) throws -> IngestSummary {
        var options = IngestOptions()
        options.commitEvery = commitEvery
        options.batchSize = 3
        options.maxRejects = nil
        let runner = IngestRunner(config: .default, options: options)
        return try runner.run(paths: [path], into: ProfileIngestSink(store: store, updater: ProfileUpdater(config: .default)))
    }

    @Test func profilesAreSavedWithTheCheckpointAndAReRunAppliesNothingTwice() throws {
        let path = TestFiles.write(Self.lines(40), name: "e.jsonl")
        let store = InMemoryProfileStore()
        let first = try run(path, store)
        #expect(first.accepted == 40 && first.commits == 5)
        let before = try store.allProfiles()
        #expect(before.map(\.events) == [10, 10, 10, 10])
        let second = try run(path, store)
        #expect(second.skippedLines == 40 && second.accepted == 0)
        #expect(try store.allProfiles() == before)
    }

    @Test func profilesForgottenAfterACommitAreReloadedFromTheStoreAndEndTheSame() throws {
        // 5,000 users (past the slot table's first growth), each seen twice, 500 events a commit.
        let path = TestFiles.write(Self.lines(10_000, users: 5_000), name: "many.jsonl")
        let remembered = InMemoryProfileStore()
        let reloaded = InMemoryProfileStore()
        var options = IngestOptions()
        options.commitEvery = 500
        options.maxRejects = nil
        // One runner for both runs: each run's summary is its own.
        let runner = IngestRunner(config: .default, options: options)
        let keeping = ProfileIngestSink(store: remembered, updater: ProfileUpdater(config: .default))
        _ = try runner.run(paths: [path], into: keeping)
        let forgetful = ProfileIngestSink(store: reloaded, updater: ProfileUpdater(config: .default), cacheLimit: 100)
        let summary = try runner.run(paths: [path], into: forgetful)
        #expect(summary.accepted == 10_000 && summary.duplicates == 0, "\(summary)")
        let profiles = try reloaded.allProfiles()
        #expect(profiles.count == 5_000 && profiles.allSatisfy { $0.events == 2 })
        #expect(profiles == (try remembered.allProfiles()))
        // The sink that keeps everything still holds the user; the forgetful one dropped it at its
        // last commit (5,000 profiles > cacheLimit 100) and finds it only in the store.
        #expect(keeping.profile("u4999")?.events == 2)
        #expect(forgetful.profile("u4999") == nil)
        #expect(try reloaded.load(["u4999"])["u4999"]?.events == 2)
    }

    @Test func reDeliveredEventsInAnotherFileAreDuplicates() throws {
        let store = InMemoryProfileStore()
        _ = try run(TestFiles.write(Self.lines(12), name: "a.jsonl"), store)
        // The same events again under another name (a re-delivery, not a resume).
        let again = try run(TestFiles.write(Self.lines(12), name: "b.jsonl"), store)
        #expect(again.duplicates == 12 && again.accepted == 0 && again.rejected == 0)
        #expect(try store.allProfiles().map(\.events) == [3, 3, 3, 3])
    }

    @Test func lateEventsAreReportedAsRejectionsOfTheTimeField() throws {
        let text = #"{"ts":1772420000,"user":"a","region":"eu-west","feature":"x"}"# + "\n" + #"{"ts":1772410000,"user":"a","region":"eu-west","feature":"x"}"# + "\n"
        let path = TestFiles.write(text, name: "late.jsonl")
        var rejections: [String] = []
        var options = IngestOptions()
        options.maxRejects = nil
        let runner = IngestRunner(config: .default, options: options)
        runner.onReject = { r, _ in rejections.append(r.description) }
        let store = InMemoryProfileStore()
        let summary = try runner.run(paths: [path], into: ProfileIngestSink(store: store, updater: ProfileUpdater(config: .default)))
        #expect(rejections == ["\(path):2: ts: late: 10000 s older than the user's newest event (bound 3600 s)"])
        #expect(summary.accepted == 1 && summary.rejected == 1)
        #expect(try store.profile("a")?.events == 1)
    }

    @Test func aFailedCommitLeavesTheStoreAsItWasAndTheRunResumesThere() throws {
        let path = TestFiles.write(Self.lines(30), name: "fail.jsonl")
        let store = InMemoryProfileStore()
        let sink = ProfileIngestSink(store: store, updater: ProfileUpdater(config: .default))
        var options = IngestOptions()
        options.commitEvery = 10
        var commits = 0
        sink.onCommit = { _, _ in
            commits += 1
            if commits == 2 { store.failNextSave = RuntimeError(.io, "disk full") }
        }
        #expect(throws: RuntimeError.self) { try IngestRunner(config: .default, options: options).run(paths: [path], into: sink) }
        #expect(try store.allProfiles().reduce(0) { $0 + $1.events } == 20)
        let summary = try run(path, store)
        #expect(summary.skippedLines == 20 && summary.accepted == 10)
        #expect(try store.allProfiles().reduce(0) { $0 + $1.events } == 30)
    }
}
