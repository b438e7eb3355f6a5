import CSQLite
import PrescientRuntime

/// A thin owner of one SQLite connection: open with pragmas, run statements, prepare and cache
/// statements, translate errors into `RuntimeError` naming the database file.
final class SQLiteDatabase {
    let path: String
    private(set) var handle: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]

    static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(path: String) throws(RuntimeError) {
        self.path = path
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let msg = db.map { String(cString: sqlite3_errmsg($0)) } ?? "error \(rc)"
            sqlite3_close(db)
            throw RuntimeError(.io, "\(path): cannot open the SQLite database: \(msg)")
        }
        handle = db
        sqlite3_busy_timeout(db, 5000)
    }

    deinit { close() }

    func close() {
        for (_, s) in statements { sqlite3_finalize(s) }
        statements.removeAll()
        if let h = handle { sqlite3_close(h) }
        handle = nil
    }

    func error(_ what: String, _ rc: Int32) -> RuntimeError {
        let msg = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "code \(rc)"
        let kind: RuntimeError.Kind = (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB) ? .badInput : .io
        return RuntimeError(kind, "\(path): \(what): \(msg)")
    }

    func exec(_ sql: String) throws(RuntimeError) {
        var err: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &err)
        if rc != SQLITE_OK {
            let msg = err.map { String(cString: $0) } ?? "code \(rc)"
            sqlite3_free(err)
            throw RuntimeError(rc == SQLITE_NOTADB ? .badInput : .io, "\(path): \(msg)")
        }
    }

    /// Resets every cached statement. A statement left on a row keeps its read transaction open,
    /// and an open reader stops WAL checkpoints from wrapping: the WAL then grows without bound in
    /// a long-running process (10.8 GB in a 6-minute `serve` soak). Store operations call this
    /// when they finish reading.
    func resetAll() {
        for (_, s) in statements { sqlite3_reset(s) }
    }

    /// A prepared statement, cached by its SQL text, reset and cleared for reuse.
    func statement(_ sql: String) throws(RuntimeError) -> OpaquePointer {
        if let s = statements[sql] {
            sqlite3_reset(s)
            sqlite3_clear_bindings(s)
            return s
        }
        var s: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &s, nil)
        guard rc == SQLITE_OK, let s else { throw error("prepare", rc) }
        statements[sql] = s
        return s
    }

    func bind(_ s: OpaquePointer, _ i: Int32, _ text: String) {
        sqlite3_bind_text(s, i, text, -1, Self.transient)
    }

    func bind(_ s: OpaquePointer, _ i: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { b in _ = sqlite3_bind_blob(s, i, b.baseAddress, Int32(b.count), Self.transient) }
    }

    func bind(_ s: OpaquePointer, _ i: Int32, _ v: Int64) { sqlite3_bind_int64(s, i, v) }

    /// Steps a statement that returns no rows.
    func run(_ s: OpaquePointer, _ what: String) throws(RuntimeError) {
        let rc = sqlite3_step(s)
        guard rc == SQLITE_DONE else { throw error(what, rc) }
    }

    /// Steps a query; true while there is a row.
    func row(_ s: OpaquePointer, _ what: String) throws(RuntimeError) -> Bool {
        let rc = sqlite3_step(s)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw error(what, rc)
    }

    func text(_ s: OpaquePointer, _ col: Int32) -> String {
        guard let p = sqlite3_column_text(s, col) else { return "" }
        return String(cString: p)
    }

    func blob(_ s: OpaquePointer, _ col: Int32) -> UnsafeRawBufferPointer {
        let n = Int(sqlite3_column_bytes(s, col))
        guard n > 0, let p = sqlite3_column_blob(s, col) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: p, count: n)
    }

    func int64(_ s: OpaquePointer, _ col: Int32) -> Int64 { sqlite3_column_int64(s, col) }
    func isNull(_ s: OpaquePointer, _ col: Int32) -> Bool { sqlite3_column_type(s, col) == SQLITE_NULL }

    /// Runs `body` in one transaction (BEGIN IMMEDIATE … COMMIT), rolling back when it throws.
    func transaction<T>(_ body: () throws(RuntimeError) -> T) throws(RuntimeError) -> T {
        try exec("BEGIN IMMEDIATE")
        do throws(RuntimeError) {
            let result = try body()
            try exec("COMMIT")
            return result
        } catch {
            try? exec("ROLLBACK")
            throw error
        }
    }

    var userVersion: Int {
        get throws(RuntimeError) {
            let s = try statement("PRAGMA user_version")
            guard try row(s, "read the schema version") else { return 0 }
            return Int(int64(s, 0))
        }
    }
}
