import PrescientCore
import Testing

@Suite struct UTF8ValidatorTests {
    @Test(arguments: [
        ([UInt8]("plain ascii that is longer than eight bytes".utf8), nil as Int?),
        (Array("Zürich – 東京 – 🚀".utf8), nil),
        ([0x61, 0xFF, 0x62], 1),
        ([0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0xC3], 8), // truncated 2-byte sequence
        ([0xC0, 0xAF], 0),             // overlong "/"
        ([0xED, 0xA0, 0x80], 0),       // UTF-16 surrogate
        ([0xF4, 0x90, 0x80, 0x80], 0), // above U+10FFFF
        ([0xE2, 0x82], 0),             // truncated 3-byte sequence
    ])
    func findsTheFirstInvalidByte(_ bytes: [UInt8], _ expected: Int?) {
        let got = bytes.withUnsafeBytes { UTF8Validator.firstInvalidOffset($0) }
        #expect(got == expected)
    }
}
