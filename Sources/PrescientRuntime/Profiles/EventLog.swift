import PrescientCore

/// A durable, append-only log of acknowledged event batches, beside the profiles: a batch is
/// acknowledged once appended (one small sequential write), and the profiles it changed are saved
/// later, many batches at a time (`saveProfiles`), instead of rewriting every touched profile row
/// per batch. After a crash, the batches still in the log are replayed onto the saved profiles.
///
/// Implementation requirements (checked by `EventLogConformance`):
/// - `append` is durable when it returns, and sequence numbers only grow;
/// - `saveProfiles(_:appliedThrough:)` saves the profiles and drops every batch up to `seq` in one
///   transaction, so a crash leaves either both or neither;
/// - `pending` returns the batches not yet dropped, oldest first, as appended.
public protocol EventLog: AnyObject {
    func append(_ events: [Event]) throws(RuntimeError) -> Int64
    func saveProfiles(_ profiles: [UserProfile], appliedThrough seq: Int64) throws(RuntimeError)
    func pending() throws(RuntimeError) -> [(seq: Int64, events: [Event])]
}
