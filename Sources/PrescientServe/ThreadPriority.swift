import Glibc

/// Bulk work yields to interactive reads: a thread that has served an event batch runs at nice
/// `bulkNice` (with NPTL the nice value is per thread, and `who = 0` names the calling thread), so
/// on saturated cores a route lookup or a scrape is scheduled ahead of batch decoding. A thread
/// never asks to go back up (that would need CAP_SYS_NICE).
enum ThreadPriority {
    static let bulkNice: Int32 = 10

    static func lowerForBulkWork() {
        errno = 0
        let current = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        guard errno == 0, current < bulkNice else { return }
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, bulkNice)
    }
}
