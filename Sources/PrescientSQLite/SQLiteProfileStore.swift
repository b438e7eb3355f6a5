import CSQLite
import Foundation
import PrescientCore
import PrescientRuntime

/// The embedded default `ProfileStore`: one SQLite file in WAL mode, prepared statements, one
/// transaction per `save` (profiles and checkpoint together), `synchronous=FULL` so a committed
/// batch survives a crash or power loss. The schema version lives in `PRAGMA user_version` and
/// `migrations` bring an older file up to date when it is opened.
public final class SQLiteProfileStore: ProfileStore {
    public let path: String
    private let db: SQLiteDatabase

    /// Schema migrations, in order; migration i brings version i to version i + 1.
    static let migrations: [String] = [
        """
        CREATE TABLE profiles(user TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID;
        CREATE TABLE checkpoints(path TEXT PRIMARY KEY, fingerprint INTEGER NOT NULL, line INTEGER NOT NULL, updated_ms INTEGER NOT NULL);
        CREATE TABLE segmentation(id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL);
        CREATE TABLE segment_members(user TEXT PRIMARY KEY, segment INTEGER NOT NULL) WITHOUT ROWID;
        """,
        // 2: the newest event time, so "now" in data time needs no scan.
        """
        CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        INSERT INTO meta(key, value) SELECT 'newest_event_ms', 0;
        """,
        // 3: the event log (`EventLog`): batches acknowledged before their profiles are saved.
        """
        CREATE TABLE event_log(seq INTEGER PRIMARY KEY AUTOINCREMENT, data BLOB NOT NULL);
        """,
    ]
    public static var schemaVersion: Int { migrations.count }

    /// Opens (creating if needed) the database at `path` and migrates it to the current schema.
    public init(path: String) throws(RuntimeError) {
        self.path = path
        db = try SQLiteDatabase(path: path)
        try db.exec("PRAGMA journal_mode=WAL")
        try db.exec("PRAGMA synchronous=FULL")
        try db.exec("PRAGMA foreign_keys=ON")
        // A page cache large enough for a few hundred thousand profiles: upserts then rarely read pages back.
        try db.exec("PRAGMA cache_size=-262144")
        try db.exec("PRAGMA wal_autocheckpoint=16384")
        try migrate()
    }

    func migrate() throws(RuntimeError) {
        let version = try db.userVersion
        guard version <= Self.schemaVersion else {
            throw RuntimeError(.configuration, "\(path): schema version \(version) is newer than this prescient knows (\(Self.schemaVersion)); upgrade prescient")
        }
        for v in version..<Self.schemaVersion {
            try db.transaction { () throws(RuntimeError) in
                try db.exec(Self.migrations[v])
                try db.exec("PRAGMA user_version = \(v + 1)")
            }
        }
    }

    public var location: String { path }

    public func close() { db.close() }

    public func load(_ users: [String]) throws(RuntimeError) -> [String: UserProfile] {
        defer { db.resetAll() }
        var out: [String: UserProfile] = [:]
        let s = try db.statement("SELECT p.data, m.segment FROM profiles p LEFT JOIN segment_members m ON m.user = p.user WHERE p.user = ?1")
        for user in users {
            sqlite3_reset(s)
            db.bind(s, 1, user)
            guard try db.row(s, "read profile") else { continue }
            var p = try decode(db.blob(s, 0), user: user)
            if !db.isNull(s, 1) { p.segment = Int32(truncatingIfNeeded: db.int64(s, 1)) }
            out[user] = p
        }
        return out
    }

    private func decode(_ blob: UnsafeRawBufferPointer, user: String) throws(RuntimeError) -> UserProfile {
        do throws(ProfileCodec.DecodeError) {
            return try ProfileCodec.decode(blob)
        } catch {
            throw RuntimeError(.badInput, "\(path): profile of '\(user)': \(error)")
        }
    }

    /// Upserts profiles and the newest event time (inside the caller's transaction).
    private func upsert(_ profiles: [UserProfile]) throws(RuntimeError) {
        let s = try db.statement("INSERT INTO profiles(user, data) VALUES(?1, ?2) ON CONFLICT(user) DO UPDATE SET data = excluded.data")
        for p in profiles {
            sqlite3_reset(s)
            db.bind(s, 1, p.user)
            db.bind(s, 2, ProfileCodec.encode(p))
            try db.run(s, "save profile")
        }
        if let newest = profiles.map(\.lastSeen.milliseconds).max() {
            let ns = try db.statement("UPDATE meta SET value = max(value, ?1) WHERE key = 'newest_event_ms'")
            db.bind(ns, 1, newest)
            try db.run(ns, "save newest event time")
        }
    }

    public func save(_ profiles: [UserProfile], checkpoint: IngestCheckpoint?) throws(RuntimeError) {
        defer { db.resetAll() }
        try db.transaction { () throws(RuntimeError) in
            try upsert(profiles)
            if let c = checkpoint {
                let cs = try db.statement("INSERT INTO checkpoints(path, fingerprint, line, updated_ms) VALUES(?1, ?2, ?3, ?4) ON CONFLICT(path) DO UPDATE SET fingerprint = excluded.fingerprint, line = excluded.line, updated_ms = excluded.updated_ms")
                db.bind(cs, 1, c.source.path)
                db.bind(cs, 2, Int64(bitPattern: c.source.fingerprint))
                db.bind(cs, 3, Int64(c.line))
                db.bind(cs, 4, SystemClock().now().milliseconds)
                try db.run(cs, "save checkpoint")
            }
        }
    }

    public func checkpoint(for source: SourceIdentity) throws(RuntimeError) -> IngestCheckpoint? {
        defer { db.resetAll() }
        let s = try db.statement("SELECT fingerprint, line FROM checkpoints WHERE path = ?1")
        db.bind(s, 1, source.path)
        guard try db.row(s, "read checkpoint") else { return nil }
        guard UInt64(bitPattern: db.int64(s, 0)) == source.fingerprint else { return nil }
        return IngestCheckpoint(source: source, line: Int(db.int64(s, 1)))
    }

    public func forEachProfile(_ body: (UserProfile) throws(RuntimeError) -> Void) throws(RuntimeError) {
        // A statement of its own (not cached): `body` may call back into the store.
        var s: OpaquePointer?
        let rc = sqlite3_prepare_v2(db.handle, "SELECT p.user, p.data, m.segment FROM profiles p LEFT JOIN segment_members m ON m.user = p.user ORDER BY p.user", -1, &s, nil)
        guard rc == SQLITE_OK, let s else { throw db.error("scan profiles", rc) }
        defer { sqlite3_finalize(s) }
        while try db.row(s, "scan profiles") {
            var p = try decode(db.blob(s, 1), user: db.text(s, 0))
            if !db.isNull(s, 2) { p.segment = Int32(truncatingIfNeeded: db.int64(s, 2)) }
            try body(p)
        }
    }

    public func newestEventTime() throws(RuntimeError) -> Timestamp? {
        defer { db.resetAll() }
        let s = try db.statement("SELECT value FROM meta WHERE key = 'newest_event_ms'")
        guard try db.row(s, "read newest event time") else { return nil }
        let ms = db.int64(s, 0)
        return ms > 0 ? Timestamp(milliseconds: ms) : nil
    }

    public func profileCount() throws(RuntimeError) -> Int {
        defer { db.resetAll() }
        let s = try db.statement("SELECT count(*) FROM profiles")
        guard try db.row(s, "count profiles") else { return 0 }
        return Int(db.int64(s, 0))
    }

    public func hasProfiles() throws(RuntimeError) -> Bool {
        defer { db.resetAll() }
        let s = try db.statement("SELECT EXISTS (SELECT 1 FROM profiles)")
        return try db.row(s, "look for a profile") && db.int64(s, 0) == 1
    }

    public func saveSegmentation(_ segmentation: Segmentation, assignments: [(user: String, segment: Int32)]) throws(RuntimeError) {
        defer { db.resetAll() }
        let json: String
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            json = String(decoding: try encoder.encode(segmentation), as: UTF8.self)
        } catch {
            throw RuntimeError(.invariant, "cannot encode the segmentation: \(error)")
        }
        try db.transaction { () throws(RuntimeError) in
            try db.exec("DELETE FROM segment_members")
            let s = try db.statement("INSERT OR REPLACE INTO segmentation(id, json) VALUES(1, ?1)")
            db.bind(s, 1, json)
            try db.run(s, "save segmentation")
            let m = try db.statement("INSERT INTO segment_members(user, segment) VALUES(?1, ?2)")
            for a in assignments {
                sqlite3_reset(m)
                db.bind(m, 1, a.user)
                db.bind(m, 2, Int64(a.segment))
                try db.run(m, "save segment member")
            }
        }
    }

    public func segmentation() throws(RuntimeError) -> Segmentation? {
        defer { db.resetAll() }
        let s = try db.statement("SELECT json FROM segmentation WHERE id = 1")
        guard try db.row(s, "read segmentation") else { return nil }
        let json = db.text(s, 0)
        do {
            return try JSONDecoder().decode(Segmentation.self, from: Data(json.utf8))
        } catch {
            throw RuntimeError(.badInput, "\(path): stored segmentation is unreadable: \(error)")
        }
    }

    public func assignments() throws(RuntimeError) -> [String: Int32] {
        defer { db.resetAll() }
        var out: [String: Int32] = [:]
        let s = try db.statement("SELECT user, segment FROM segment_members")
        while try db.row(s, "read assignments") { out[db.text(s, 0)] = Int32(truncatingIfNeeded: db.int64(s, 1)) }
        return out
    }
}

extension SQLiteProfileStore: EventLog {
    public func append(_ events: [Event]) throws(RuntimeError) -> Int64 {
        defer { db.resetAll() }
        let s = try db.statement("INSERT INTO event_log(data) VALUES(?1)")
        sqlite3_reset(s)
        db.bind(s, 1, EventCodec.encode(events))
        try db.run(s, "append to the event log")
        return sqlite3_last_insert_rowid(db.handle)
    }

    public func saveProfiles(_ profiles: [UserProfile], appliedThrough seq: Int64) throws(RuntimeError) {
        defer { db.resetAll() }
        try db.transaction { () throws(RuntimeError) in
            try upsert(profiles)
            let d = try db.statement("DELETE FROM event_log WHERE seq <= ?1")
            sqlite3_reset(d)
            db.bind(d, 1, seq)
            try db.run(d, "trim the event log")
        }
    }

    public func pending() throws(RuntimeError) -> [(seq: Int64, events: [Event])] {
        var s: OpaquePointer?
        let rc = sqlite3_prepare_v2(db.handle, "SELECT seq, data FROM event_log ORDER BY seq", -1, &s, nil)
        guard rc == SQLITE_OK, let s else { throw db.error("read the event log", rc) }
        defer { sqlite3_finalize(s) }
        var out: [(seq: Int64, events: [Event])] = []
        while try db.row(s, "read the event log") {
            let seq = db.int64(s, 0)
            do throws(EventCodec.DecodeError) {
                out.append((seq, try EventCodec.decode(db.blob(s, 1))))
            } catch {
                throw RuntimeError(.badInput, "\(path): event log batch \(seq): \(error)")
            }
        }
        return out
    }
}
