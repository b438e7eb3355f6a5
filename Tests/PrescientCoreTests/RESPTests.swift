import PrescientCore
import Testing

/// The RESP codec byte for byte, and the cluster's key → slot mapping against published values.
@Suite struct RESPTests {
    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test func commandsAreArraysOfBulkStrings() {
        #expect(RESPValue.command(["SET", "foo", "bär"]) == Self.bytes("*3\r\n$3\r\nSET\r\n$3\r\nfoo\r\n$4\r\nbär\r\n"))
        #expect(RESPValue.array([.integer(-3), .null, .error("ERR x"), .simple("OK")]).encoded == Self.bytes("*4\r\n:-3\r\n$-1\r\n-ERR x\r\n+OK\r\n"))
    }

    @Test func fieldValueRepliesReadAsPairsInOrder() {
        let flat = RESPValue.array([.bulk(Array("a".utf8)), .integer(1), .bulk(Array("b".utf8)), .bulk(Array("2".utf8)), .bulk(Array("odd".utf8))])
        #expect(flat.fieldPairs?.map(\.name) == ["a", "b"])
        #expect(flat.fieldPairs?.map(\.value) == [.integer(1), .bulk(Array("2".utf8))])
        #expect(RESPValue.map([(.simple("k"), .integer(3)), (.integer(9), .null)]).fieldPairs?.map(\.name) == ["k"])
        #expect(RESPValue.array([]).fieldPairs?.isEmpty == true)
        #expect(RESPValue.null.fieldPairs == nil)
    }

    @Test func pipelinedRepliesDecodeWhateverTheyArriveIn() throws {
        let stream = Self.bytes("+OK\r\n:1000\r\n$5\r\nhe\r\no\r\n$-1\r\n*2\r\n$3\r\nfoo\r\n:42\r\n-MOVED 3999 127.0.0.1:6381\r\n%1\r\n+k\r\n:1\r\n_\r\n$0\r\n\r\n*0\r\n")
        let want: [RESPValue] = [.simple("OK"), .integer(1000), .bulk(Self.bytes("he\r\no")), .null, .array([.bulk(Self.bytes("foo")), .integer(42)]),
                                 .error("MOVED 3999 127.0.0.1:6381"), .map([(.simple("k"), .integer(1))]), .null, .bulk([]), .array([])]
        for piece in [1, 3, 7, stream.count] {
            var p = RESPParser()
            var got: [RESPValue] = []
            var i = 0
            while i < stream.count {
                p.feed(stream[i..<min(stream.count, i + piece)])
                i += piece
                while let v = try p.next() { got.append(v) }
            }
            #expect(got == want, "pieces of \(piece)")
            #expect(p.pending == 0)
        }
    }

    @Test func aMalformedStreamNamesTheByteAndTheReason() {
        func error(_ s: String) -> String? {
            var p = RESPParser()
            p.maxBulkBytes = 1000
            p.feed(Self.bytes(s))
            do { while try p.next() != nil {}; return nil } catch { return error.description }
        }
        #expect(error("+OK\r\n?x\r\n") == "RESP at byte 5: unknown type byte '?'")
        #expect(error("$5\r\nhelloXX") == "RESP at byte 9: bulk string not ended by CRLF")
        #expect(error(":12a\r\n") == "RESP at byte 1: expected an integer, found '12a'")
        #expect(error("+OK\n") == "RESP at byte 3: LF without CR")
        #expect(error("$5000\r\n") == "RESP at byte 1: bulk length 5000 out of range 0…1000")
        #expect(error("$5\r\nhel") == nil)   // incomplete, not wrong
    }

    @Test func keysMapToTheSlotsRedisPublishes() {
        #expect(ClusterSlot.crc16(Self.bytes("123456789")) == 0x31C3)   // CRC16-CCITT (XMODEM) check value
        #expect(ClusterSlot.of("foo") == 12182)
        #expect(ClusterSlot.of("somekey") == 11058)
        #expect(ClusterSlot.of("{user1000}.following") == ClusterSlot.of("{user1000}.followers"))
        #expect(ClusterSlot.of("{user1000}.following") == ClusterSlot.of("user1000"))
        #expect(ClusterSlot.of("foo{}{bar}") == Int(ClusterSlot.crc16(Self.bytes("foo{}{bar}"))) % 16384)   // empty tag: whole key
        #expect(ClusterSlot.of("foo{{bar}}zap") == ClusterSlot.of("{bar"))
        #expect(ClusterSlot.of("foo{bar}{zap}") == ClusterSlot.of("bar"))
    }
}
