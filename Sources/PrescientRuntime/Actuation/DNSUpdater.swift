import PrescientCore

/// Where routing decisions are published in DNS: RRsets replaced in an authoritative zone.
///
/// Implementation requirements: `replace` applies all the RRsets in one atomic update (the
/// server applies all or none) and returns only once the server accepted it; a refusal is a
/// `RuntimeError` that names the server's reason (REFUSED, NOTAUTH, BADSIG, BADKEY, BADTIME);
/// transient failures (no answer, SERVFAIL) are retried inside with backoff before failing.
public protocol DNSUpdater: Sendable {
    func replace(_ rrsets: [DNSRRset]) throws(RuntimeError)
}
