import Foundation
import PrescientCore
import PrescientRuntime
import PrescientSQLite
import PrescientTestKit
import Testing

@Suite struct ProfileStoreConformanceTests {
    @Test func inMemoryStoreConforms() {
        #expect(ProfileStoreConformance.run(makeStore: { InMemoryProfileStore() }) == [])
    }

    @Test func sqliteStoreConforms() {
        let failures = ProfileStoreConformance.run(
            makeStore: { try SQLiteProfileStore(path: TestFiles.scratchDirectory("sqlite") + "/p.db") },
            reopen: { old in try SQLiteProfileStore(path: (old as! SQLiteProfileStore).path) })
        #expect(failures == [])
    }

    @Test func inMemoryEventLogConforms() {
        #expect(EventLogConformance.run(makeLog: { InMemoryProfileStore() }) == [])
    }

    @Test func sqliteEventLogConforms() {
        let failures = EventLogConformance.run(
            makeLog: { try SQLiteProfileStore(path: TestFiles.scratchDirectory("sqlite-log") + "/p.db") },
            reopen: { old in try SQLiteProfileStore(path: (old as! SQLiteProfileStore).path) })
        #expect(failures == [])
    }
}

@Suite struct SQLiteProfileStoreTests {
    @Test func migratesAnOlderSchema() throws {
        let path = TestFiles.scratchDirectory("migrate") + "/old.db"
        // A version-1 database, as the first release wrote it.
        let v1 = Process()
        v1.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        v1.arguments = [path, """
            CREATE TABLE profiles(user TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID;
            CREATE TABLE checkpoints(path TEXT PRIMARY KEY, fingerprint INTEGER NOT NULL, line INTEGER NOT NULL, updated_ms INTEGER NOT NULL);
            CREATE TABLE segmentation(id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL);
            CREATE TABLE segment_members(user TEXT PRIMARY KEY, segment INTEGER NOT NULL) WITHOUT ROWID;
            PRAGMA user_version = 1;
            """]
        try v1.run(); v1.waitUntilExit()
        let store = try SQLiteProfileStore(path: path)
        #expect(try store.newestEventTime() == nil)
        try store.save([UserProfile(user: "a", at: Timestamp(seconds: 100))], checkpoint: nil)
        #expect(try store.newestEventTime() == Timestamp(seconds: 100))
        #expect(SQLiteProfileStore.schemaVersion == 3)
        #expect(try store.pending().isEmpty)   // version 3: the event log
    }

    /// A long-running process must not hold a read transaction between operations, or the WAL can
    /// never be checkpointed and grows without bound: after reads, another connection's TRUNCATE
    /// checkpoint completes (busy = 0).
    @Test func readsLeaveNoReaderThatBlocksCheckpoints() throws {
        let path = TestFiles.scratchDirectory("wal") + "/p.db"
        let store = try SQLiteProfileStore(path: path)
        try store.save([UserProfile(user: "a", at: Timestamp(seconds: 100))], checkpoint: nil)
        _ = try store.profileCount(); _ = try store.newestEventTime(); _ = try store.load(["a", "b"])
        _ = try store.append([Event(time: Timestamp(seconds: 100), user: "a", region: "eu-west", feature: "video")])
        _ = try store.pending()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [path, "PRAGMA wal_checkpoint(TRUNCATE);"]
        let out = Pipe()
        p.standardOutput = out
        try p.run(); p.waitUntilExit()
        let result = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(result.hasPrefix("0|"), "checkpoint result \(result)")
        withExtendedLifetime(store) {}
    }

    @Test func refusesANewerSchemaAndAForeignFile() throws {
        let dir = TestFiles.scratchDirectory("newer")
        let store = try SQLiteProfileStore(path: dir + "/p.db")
        store.close()
        let bump = Process()
        bump.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        bump.arguments = [dir + "/p.db", "PRAGMA user_version = 99;"]
        try bump.run(); bump.waitUntilExit()
        #expect(throws: RuntimeError.self) { try SQLiteProfileStore(path: dir + "/p.db") }
        let junk = TestFiles.write(String(repeating: "not a database ", count: 500), name: "junk.db")
        let opened = Result { () throws(RuntimeError) in try SQLiteProfileStore(path: junk) }
        guard case .failure(let e) = opened else { Issue.record("opened junk"); return }
        #expect(e.message.hasPrefix("\(junk): file is not a database"))
    }
}
