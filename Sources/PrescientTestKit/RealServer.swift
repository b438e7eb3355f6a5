import Foundation
import PrescientRuntime
#if canImport(Glibc)
import Glibc
#endif

/// A real server process for integration tests (HAProxy, BIND, nginx, Redis, etcd): started from
/// its Debian package's binary on loopback, in a scratch directory, stopped by its PID.
///
/// Spawned with `posix_spawn` and an empty signal mask and default handlers: a child of a Swift
/// test process otherwise inherits signals the runtime blocks, and some servers then ignore
/// SIGTERM.
public final class RealServer: @unchecked Sendable {
    public let name: String
    public let pid: pid_t
    public let log: String
    private var stopped = false

    /// Starts `executable` with `arguments` in the foreground (the server must not daemonise),
    /// its output to `log`.
    public init(_ name: String, executable: String, arguments: [String], log: String, environment: [String: String] = [:]) throws {
        self.name = name; self.log = log
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t(); sigemptyset(&empty)
        var all = sigset_t(); sigfillset(&all)
        posix_spawnattr_setsigmask(&attr, &empty)
        posix_spawnattr_setsigdefault(&attr, &all)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, &attr, argv, envp)
        guard rc == 0 else { throw TestFailure("\(name): cannot start \(executable): \(String(cString: strerror(rc)))") }
        pid = child
    }

    deinit { stop() }

    /// Whether the process is still running (reaps it if it exited).
    public var isRunning: Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == 0
    }

    /// Sends `signal`, waits up to `grace` seconds for the exit, then SIGKILL.
    public func stop(signal: Int32 = SIGTERM, grace: Double = 3) {
        guard !stopped else { return }
        stopped = true
        kill(pid, signal)
        let deadline = Date().addingTimeInterval(grace)
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Date() > deadline { kill(pid, SIGKILL); waitpid(pid, &status, 0); return }
            usleep(10_000)
        }
    }

    /// `kill -9`, and reaps the process.
    public func crash() {
        guard !stopped else { return }
        stopped = true
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    /// Waits until `ready()` holds, polling every 20 ms for at most `seconds`; fails with the
    /// server's log when it never does or the process exits.
    public func waitUntil(_ what: String, seconds: Double = 10, _ ready: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !ready() {
            guard isRunning else { throw TestFailure("\(name) exited before \(what):\n\(Self.tail(log))") }
            guard Date() < deadline else { throw TestFailure("\(name): not \(what) after \(seconds) s:\n\(Self.tail(log))") }
            usleep(20_000)
        }
    }

    static func tail(_ path: String) -> String {
        String(((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").suffix(2000))
    }

    /// A TCP port on 127.0.0.1 that nothing listens on now, from a range away from the common
    /// ones and below the kernel's ephemeral ports; `offset` keeps parallel suites apart.
    public static func freePort(offset: Int = 0) -> Int {
        var candidate = 20_000 + (Int(getpid()) * 37 + offset * 997) % 9_000
        for _ in 0..<9_000 {
            if isFree(candidate) && isFree(candidate, udp: true) { return candidate }
            candidate = 20_000 + (candidate - 20_000 + 1) % 9_000
        }
        return 0
    }

    /// Whether `port` can be bound on 127.0.0.1 (TCP or UDP) right now.
    public static func isFree(_ port: Int, udp: Bool = false) -> Bool {
        let fd = socket(AF_INET, Int32(udp ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET); addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } } == 0
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    public static func accepts(_ port: Int) -> Bool {
        (try? Socket.connect(host: "127.0.0.1", port: port, timeout: 0.5)) != nil
    }

    /// Runs a command to completion; its exit status and standard output (standard error appended).
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// A failed precondition of an integration test (a server that did not start), with its log.
public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
