import PrescientCore
import PrescientDNS
import Synchronization
import Testing

/// The RFC 2136 / TSIG codec against golden bytes made by dnspython 2.9 (compression off, time
/// fixed at 1733390000, id 0x1234, key prescient-key = bytes 0…31): the same update, the same
/// signature, and dnspython's signed answer verifies.
@Suite struct DNSCodecTests {
    static func hex(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        var i = s.startIndex
        while i < s.endIndex { let j = s.index(i, offsetBy: 2); out.append(UInt8(s[i..<j], radix: 16)!); i = j }
        return out
    }

    let key = TSIGKey(name: "prescient-key.", base64Secret: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")!
    let rrsets = [DNSRRset(name: "eu-west.prescient.test.", type: .a, ttl: 30, values: ["192.0.2.10"]),
                  DNSRRset(name: "eu-west.prescient.test.", type: .txt, ttl: 30, values: ["eu-west=67", "ap-southeast=25"]),
                  DNSRRset(name: "eu-west.prescient.test.", type: .aaaa, ttl: 30, values: ["2001:db8::a"])]
    static let unsigned = hex("12342800000100000006000009707265736369656e74047465737400000600010765752d7765737409707265736369656e74047465737400000100ff0000000000000765752d7765737409707265736369656e74047465737400000100010000001e0004c000020a0765752d7765737409707265736369656e74047465737400001000ff0000000000000765752d7765737409707265736369656e74047465737400001000010000001e001b0a65752d776573743d36370f61702d736f757468656173743d32350765752d7765737409707265736369656e74047465737400001c00ff0000000000000765752d7765737409707265736369656e74047465737400001c00010000001e001020010db800000000000000000000000a")
    static let signed = hex("12342800000100000006000109707265736369656e74047465737400000600010765752d7765737409707265736369656e74047465737400000100ff0000000000000765752d7765737409707265736369656e74047465737400000100010000001e0004c000020a0765752d7765737409707265736369656e74047465737400001000ff0000000000000765752d7765737409707265736369656e74047465737400001000010000001e001b0a65752d776573743d36370f61702d736f757468656173743d32350765752d7765737409707265736369656e74047465737400001c00ff0000000000000765752d7765737409707265736369656e74047465737400001c00010000001e001020010db800000000000000000000000a0d707265736369656e742d6b65790000fa00ff00000000003d0b686d61632d73686132353600000067516eb0012c0020e84ddd44736961a592c4c7f9ae240436680a744fefb6833b3661f8d0a08aeb5e123400000000")
    static let answer = hex("1234a800000100000000000109707265736369656e74047465737400000600010d707265736369656e742d6b65790000fa00ff00000000003d0b686d61632d73686132353600000067516eb0012c0020a7715692bbdc00d18f84dbb29bffff94fea24f08edee7aac05f7ba45c0baee6b123400000000")

    @Test func theUpdateAndItsSignatureMatchDnspythonByteForByte() throws {
        let updates = try rrsets.flatMap { try $0.replacement() }
        let wire = try DNSMessage.update(id: 0x1234, zone: "prescient.test.", updates: updates)
        #expect(wire == Self.unsigned)
        let s = try TSIG.sign(wire, key: key, now: 1_733_390_000, mac: HMACSHA256.mac)
        #expect(s.wire == Self.signed)
        #expect(s.mac == Self.hex("e84ddd44736961a592c4c7f9ae240436680a744fefb6833b3661f8d0a08aeb5e"))
    }

    @Test func aSignedAnswerVerifiesAndATamperedOneDoesNot() throws {
        let requestMAC = Self.hex("e84ddd44736961a592c4c7f9ae240436680a744fefb6833b3661f8d0a08aeb5e")
        let answer = try DNSResponse(Self.answer)
        #expect(answer.id == 0x1234 && answer.isResponse && answer.opcode == 5 && answer.rcode == .noError)
        #expect(answer.tsig?.keyName == "prescient-key." && answer.tsig?.timeSigned == 1_733_390_000)
        #expect(TSIG.verify(answer, key: key, requestMAC: requestMAC, mac: HMACSHA256.mac))
        var tampered = Self.answer
        tampered[3] ^= 0x01   // rcode bit
        #expect(!TSIG.verify(try DNSResponse(tampered), key: key, requestMAC: requestMAC, mac: HMACSHA256.mac))
        let wrong = TSIGKey(name: "prescient-key.", secret: Array(repeating: 7, count: 32))
        #expect(!TSIG.verify(answer, key: wrong, requestMAC: requestMAC, mac: HMACSHA256.mac))
    }

    @Test(arguments: [
        ([UInt8](repeating: 0, count: 5), "shorter than a DNS header"),
        // One question whose name is a pointer to itself.
        ([0, 1, 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 6, 0, 1], "compression pointer loop at offset 12"),
        // A label running past the end.
        ([0, 1, 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 9, 0x61], "bad label length 9 at offset 12"),
    ] as [([UInt8], String)])
    func malformedAnswersAreNamedNotTrusted(bytes: [UInt8], why: String) {
        do {
            _ = try DNSResponse(bytes)
            Issue.record("parsed")
        } catch {
            #expect(error.description.contains(why))
        }
    }

    @Test func compressedNamesInAnAnswerAreFollowed() throws {
        // Header, one question "a.b." then one answer whose owner points at it (offset 12).
        let bytes: [UInt8] = [0, 7, 0x84, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0x61, 1, 0x62, 0, 0, 1, 0, 1,
                              0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 30, 0, 4, 192, 0, 2, 1]
        let r = try DNSResponse(bytes)
        #expect(r.id == 7 && r.rcode == .noError && r.tsig == nil)
    }

    @Test func addressesAndBase64() {
        #expect(IPAddress.v4("192.0.2.10") == [192, 0, 2, 10])
        #expect(IPAddress.v4("192.0.2") == nil && IPAddress.v4("256.1.1.1") == nil && IPAddress.v4("01.1.1.1") == nil)
        #expect(IPAddress.v6("::1") == [UInt8](repeating: 0, count: 15) + [1])
        #expect(IPAddress.v6("2001:db8::a")?.count == 16 && IPAddress.v6("::ffff:192.0.2.1")?.suffix(4) == [192, 0, 2, 1])
        #expect(IPAddress.v6("1::2::3") == nil && IPAddress.v6("12345::") == nil)
        #expect(Base64.encode(Array("hello!?".utf8)) == "aGVsbG8hPw==")
        #expect(Base64.decode("aGVsbG8hPw==") == Array("hello!?".utf8))
        #expect(Base64.decode("a$==") == nil && Base64.decode("abc") == nil)
    }

    @Test func regionRecordsFollowThePlanAndOnlyChangesAreSent() {
        let regions = PrescientConfig.default.regions
        let addresses = ["us-east": ["192.0.2.1", "2001:db8::1"], "eu-west": ["192.0.2.2"]]
        let calm = RoutingPlan.make(regions: regions, demand: [1, 1, 1, 1], capacity: [4, 4, 4, 4])
        let first = RegionRecords.records(plan: calm, zone: "prescient.test", addresses: addresses, ttl: 30)
        #expect(first.count == 12)
        #expect(first[3] == DNSRRset(name: "eu-west.prescient.test.", type: .a, ttl: 30, values: ["192.0.2.2"]))
        #expect(first[5].values == ["eu-west=100"])
        // eu-west sends 70 % of its users to us-east: its name now answers with us-east's addresses.
        let busy = RoutingPlan.make(regions: regions, demand: [1, 10, 1, 1], capacity: [8, 3, 1, 1])
        let second = RegionRecords.records(plan: busy, zone: "prescient.test", addresses: addresses, ttl: 30)
        let changed = RegionRecords.changed(second, since: first)
        #expect(changed.map(\.type) == [.a, .aaaa, .txt] && changed.allSatisfy { $0.name == "eu-west.prescient.test." })
        #expect(changed[0].values == ["192.0.2.1"] && changed[1].values == ["2001:db8::1"] && changed[2].values == ["us-east=70", "eu-west=30"])
    }
}
