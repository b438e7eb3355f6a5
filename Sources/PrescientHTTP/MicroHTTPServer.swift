import CMicroHTTPD
import Glibc
import PrescientRuntime
import Synchronization

/// An HTTP/1.1 server on GNU libmicrohttpd (not a hand-written parser): a thread per connection
/// calls the `HTTPHandler` with each complete request, so a request waiting on the store never
/// holds up another connection's (a route lookup behind a batch commit). Bodies over `maxBodyBytes` get 413
/// without being buffered (refused on Content-Length before the body is read, or when a chunked
/// body passes the limit); idle connections close after `timeoutSeconds`; at most `connections`
/// connections are open at once.
public final class MicroHTTPServer: Sendable {
    public struct Options: Sendable {
        public var host = "127.0.0.1"
        /// 0: any free port (`port` says which after `start`).
        public var port: UInt16 = 0
        public var connections: UInt32 = 256
        public var timeoutSeconds: UInt32 = 30
        public var maxBodyBytes = 16 << 20
        public init() {}
    }

    let handler: any HTTPHandler
    let options: Options
    private let daemon = Mutex<UnsafeMutableRawPointer?>(nil)
    private let boundPort = Atomic<UInt16>(0)
    /// Requests begun (headers in) and not yet completed.
    let inFlight = Atomic<Int>(0)

    public init(handler: any HTTPHandler, options: Options = Options()) {
        self.handler = handler; self.options = options
    }

    /// The port listened on (after `start`).
    public var port: UInt16 { boundPort.load(ordering: .acquiring) }

    /// Starts listening; the server must outlive `stop()` (the daemon holds an unretained reference).
    public func start() throws(RuntimeError) {
        try daemon.withLock { (d: inout UnsafeMutableRawPointer?) throws(RuntimeError) in
            guard d == nil else { return }
            let me = Unmanaged.passUnretained(self).toOpaque()
            guard let started = prescient_mhd_start(options.host, options.port, options.connections,
                                                    options.timeoutSeconds, accessHandler, me, completedHandler, me) else {
                throw RuntimeError(.io, "cannot listen on \(options.host):\(options.port) (address in use, or not a local IPv4 address?)")
            }
            d = UnsafeMutableRawPointer(started)
            boundPort.store(prescient_mhd_port(started), ordering: .releasing)
        }
    }

    /// Stops accepting new connections; requests in flight finish. Then `stop()`.
    public func quiesce() {
        daemon.withLock { d in if let d { _ = MHD_quiesce_daemon(OpaquePointer(d)) } }
    }

    /// Requests being read or answered now.
    public var requestsInFlight: Int { inFlight.load(ordering: .acquiring) }

    /// Graceful stop: no new connections, then waits (up to `timeoutSeconds`) until no request is
    /// in flight — idle keep-alive connections do not count — then stops. Returns the requests
    /// still in flight when it gave up (0 when drained).
    @discardableResult
    public func drain(timeoutSeconds: Double) -> Int {
        quiesce()
        var waited = 0.0
        while requestsInFlight > 0 && waited < timeoutSeconds {
            usleep(10_000); waited += 0.01
        }
        let left = requestsInFlight
        stop()
        return left
    }

    /// Stops the daemon, waiting for its threads (and so for the requests they run).
    public func stop() {
        daemon.withLock { d in
            if let running = d { MHD_stop_daemon(OpaquePointer(running)) }
            d = nil
        }
    }

    /// Per connection: the body read so far, and whether it passed the limit.
    final class Upload {
        var body: [UInt8] = []
        var tooLarge = false
    }

    fileprivate func answer(_ connection: OpaquePointer, _ response: HTTPResponse) -> MHD_Result {
        let r = response.body.withUnsafeBytes { b in
            MHD_create_response_from_buffer(b.count, UnsafeMutableRawPointer(mutating: b.baseAddress), MHD_ResponseMemoryMode.RESPMEM_MUST_COPY)
        }
        guard let r else { return MHD_Result.NO }
        for (name, value) in response.headers { _ = MHD_add_response_header(r, name, value) }
        let result = MHD_queue_response(connection, UInt32(response.status), r)
        MHD_destroy_response(r)
        return result
    }

    fileprivate func request(_ connection: OpaquePointer, url: String, method: String, body: [UInt8]) -> HTTPRequest {
        final class Box { var values: [String: String] = [:] }
        func collect(_ kind: MHD_ValueKind) -> [String: String] {
            let box = Box()
            _ = MHD_get_connection_values(connection, kind, { cls, _, key, value in
                guard let cls, let key else { return MHD_Result.YES }
                Unmanaged<Box>.fromOpaque(cls).takeUnretainedValue().values[String(cString: key)] = value.map { String(cString: $0) } ?? ""
                return MHD_Result.YES
            }, Unmanaged.passUnretained(box).toOpaque())
            return box.values
        }
        return HTTPRequest(method: method, path: url, query: collect(MHD_ValueKind.GET_ARGUMENT_KIND), headers: collect(MHD_ValueKind.HEADER_KIND), body: body)
    }
}

/// libmicrohttpd calls this once when a request's headers are in (`*context` nil), then once per
/// chunk of body, then once more with no data: the request is complete.
private let accessHandler: MHD_AccessHandlerCallback = { cls, connection, url, method, _, data, size, context in
    guard let cls, let connection, let context, let size else { return MHD_Result.NO }
    let server = Unmanaged<MicroHTTPServer>.fromOpaque(cls).takeUnretainedValue()
    if context.pointee == nil {
        let upload = MicroHTTPServer.Upload()
        context.pointee = Unmanaged.passRetained(upload).toOpaque()
        server.inFlight.add(1, ordering: .acquiringAndReleasing)
        if let length = MHD_lookup_connection_value(connection, MHD_ValueKind.HEADER_KIND, "Content-Length").flatMap({ Int(String(cString: $0)) }),
           length > server.options.maxBodyBytes {
            let request = server.request(connection, url: url.map { String(cString: $0) } ?? "/", method: method.map { String(cString: $0) } ?? "GET", body: [])
            server.handler.refused(request, status: 413)
            return server.answer(connection, .json(413, "{\"error\":\"body of \(length) bytes is over the limit of \(server.options.maxBodyBytes)\"}"))
        }
        return MHD_Result.YES
    }
    let upload = Unmanaged<MicroHTTPServer.Upload>.fromOpaque(context.pointee!).takeUnretainedValue()
    if size.pointee > 0 {
        if !upload.tooLarge, let data {
            if upload.body.count + size.pointee > server.options.maxBodyBytes {
                upload.tooLarge = true
                upload.body = []
            } else {
                upload.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: size.pointee))
            }
        }
        size.pointee = 0
        return MHD_Result.YES
    }
    let request = server.request(connection, url: url.map { String(cString: $0) } ?? "/", method: method.map { String(cString: $0) } ?? "GET", body: upload.body)
    if upload.tooLarge {
        server.handler.refused(request, status: 413)
        return server.answer(connection, .json(413, "{\"error\":\"body is over the limit of \(server.options.maxBodyBytes) bytes\"}"))
    }
    return server.answer(connection, server.handler.handle(request))
}

/// Releases the request's upload state when it is done (answered or broken off).
private let completedHandler: MHD_RequestCompletedCallback = { cls, _, context, _ in
    guard let context, let upload = context.pointee else { return }
    Unmanaged<MicroHTTPServer.Upload>.fromOpaque(upload).release()
    context.pointee = nil
    if let cls { Unmanaged<MicroHTTPServer>.fromOpaque(cls).takeUnretainedValue().inFlight.subtract(1, ordering: .acquiringAndReleasing) }
}
