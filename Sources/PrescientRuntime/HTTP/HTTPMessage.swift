/// One HTTP request as a handler sees it: the server has read the whole body (within its limit).
public struct HTTPRequest: Sendable {
    public var method: String
    /// The path without the query string, percent-decoded by the server (`/v1/profiles/u%201` → `/v1/profiles/u 1`).
    public var path: String
    /// Query arguments, decoded; a repeated name keeps its last value.
    public var query: [String: String]
    /// Header fields by lower-cased name.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(method: String, path: String, query: [String: String] = [:], headers: [String: String] = [:], body: [UInt8] = []) {
        self.method = method; self.path = path; self.query = query; self.body = body
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { $1 })
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// A response: status, header fields, body bytes.
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status; self.headers = headers; self.body = body
    }

    /// A UTF-8 body with its content type.
    public init(status: Int, contentType: String, text: String, headers: [(String, String)] = []) {
        self.init(status: status, headers: [("Content-Type", contentType)] + headers, body: Array(text.utf8))
    }

    public static func json(_ status: Int, _ text: String, headers: [(String, String)] = []) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "application/json", text: text, headers: headers)
    }

    public func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    public var text: String { String(decoding: body, as: UTF8.self) }

    public static func == (a: HTTPResponse, b: HTTPResponse) -> Bool {
        a.status == b.status && a.body == b.body && a.headers.map { "\($0.0): \($0.1)" } == b.headers.map { "\($0.0): \($0.1)" }
    }
}

/// Answers requests. Called concurrently from the server's threads: implementations synchronise
/// their own state.
public protocol HTTPHandler: Sendable {
    func handle(_ request: HTTPRequest) -> HTTPResponse
    /// A request the server refused itself (413 for an oversize body), so the handler can count it.
    func refused(_ request: HTTPRequest, status: Int)
}

extension HTTPHandler {
    public func refused(_ request: HTTPRequest, status: Int) {}
}
