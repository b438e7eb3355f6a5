import PrescientCore
import Testing

/// A posted batch: JSON Lines or a JSON array, bad records named by number, good ones kept.
@Suite struct EventBatchDecoderTests {
    static func decoder() -> EventBatchDecoder {
        EventBatchDecoder(parser: JSONLineParser(), normalizer: EventNormalizer(config: .default))
    }
    static func event(_ user: String) -> String { #"{"ts":"2026-03-02T10:00:00Z","user":""# + user + #"","region":"eu-west","path":"/video/1","duration":60}"# }
    static let good = event("u1")

    @Test func jsonLinesKeepLineNumbersAndSkipBlankLines() {
        var d = Self.decoder()
        let body = Self.good + "\n\n" + #"{"ts":"yesterday","user":"u2","region":"eu-west"}"# + "\r\n" + Self.event("u3")
        let b = d.decode(Array(body.utf8))
        #expect(!b.isArray)
        #expect(b.events.map(\.user) == ["u1", "u3"] && b.numbers == [1, 4])
        #expect(b.rejections.count == 1 && b.rejections[0].number == 3 && b.rejections[0].error.field == "ts")
    }

    @Test func aJSONArrayNumbersItsElements() {
        var d = Self.decoder()
        let body = " [ " + Self.good + ", {\"user\": \"u2\", \"note\": \"a ] , { in a string\"} , " + Self.good + "]\n"
        let b = d.decode(Array(body.utf8))
        #expect(b.isArray && b.records == 3)
        #expect(b.numbers == [1, 3])
        #expect(b.rejections.map(\.number) == [2] && b.rejections[0].error.field == "ts")
        #expect(d.decode(Array("[]".utf8)).records == 0)
    }

    @Test func aMalformedArrayIsOneRejectionNumberedZero() {
        var d = Self.decoder()
        let open = d.decode(Array(("[" + Self.good).utf8))
        #expect(open.rejections.last?.number == 0 && open.rejections.last?.error.reason.hasPrefix("unterminated JSON array") == true)
        let trailing = d.decode(Array(("[" + Self.good + "] x").utf8))
        #expect(trailing.rejections.map(\.number) == [0] && trailing.events.count == 1)
        let empty = d.decode(Array(("[" + Self.good + ",,]").utf8))
        #expect(empty.rejections.map(\.number) == [2, 3])
    }
}
