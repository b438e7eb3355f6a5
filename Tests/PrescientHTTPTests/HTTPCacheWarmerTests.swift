@testable import PrescientHTTP
import Testing

@Suite struct HTTPCacheWarmerTests {
    static func head(_ text: String) -> (status: Int, cache: String?, close: Bool)? {
        HTTPCacheWarmer.responseHead(Array(text.utf8))
    }

    @Test func theStatusAndCacheStatusAreReadFromEitherHeader() {
        let nginx = Self.head("HTTP/1.1 200 OK\r\nServer: nginx\r\nX-Cache-Status:  HIT \r\n\r\n")
        #expect(nginx?.status == 200 && nginx?.cache == "HIT" && nginx?.close == false)
        let varnish = Self.head("HTTP/1.0 304 Not Modified\r\nx-cache: MISS\r\nConnection: Close\r\n\r\n")
        #expect(varnish?.status == 304 && varnish?.cache == "MISS" && varnish?.close == true)
    }

    @Test func anEmptyOrMissingHeaderValueIsNotACrash() {
        let empty = Self.head("HTTP/1.1 200 OK\r\nX-Cache:\r\nNoColonHere\r\n\r\n")
        #expect(empty?.status == 200 && empty?.cache == "")
        #expect(Self.head("HTTP/1.1 404 Not Found\r\n\r\n")?.cache == nil)
    }

    @Test func aStatusLineThatIsNotHTTPIsRefused() {
        #expect(Self.head("SSH-2.0-OpenSSH_9.2\r\n\r\n") == nil)
        #expect(Self.head("HTTP/1.1 abc\r\n\r\n") == nil)
    }
}
