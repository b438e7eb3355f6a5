/// A compact binary form of an event batch, for the durable event log: per event the time (ms,
/// zig-zag varint delta from the previous), user, region, feature and id as length-prefixed UTF-8,
/// the device class, duration (f64), bytes (varint) and the optional resource figures, id and path
/// behind a presence byte (bit 8, the path, was added later: older logs simply never set it). Version byte first; decoding checks every length against the buffer.
public enum EventCodec {
    public static let version: UInt8 = 1

    public struct DecodeError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public static func encode(_ events: [Event]) -> [UInt8] {
        var out: [UInt8] = [version]
        out.reserveCapacity(events.count * 96 + 8)
        varint(UInt64(events.count), &out)
        var previous: Int64 = 0
        for e in events {
            varint(zigzag(e.time.milliseconds &- previous), &out)
            previous = e.time.milliseconds
            string(e.user, &out); string(e.region, &out); string(e.feature, &out)
            out.append(UInt8(DeviceClass.allCases.firstIndex(of: e.device) ?? 0))
            double(e.durationSeconds, &out)
            varint(UInt64(max(0, e.bytes)), &out)
            let flags: UInt8 = (e.resources.cpuMilliseconds != nil ? 1 : 0) | (e.resources.memoryMiB != nil ? 2 : 0) | (e.id != nil ? 4 : 0) | (e.path != nil ? 8 : 0)
            out.append(flags)
            if let c = e.resources.cpuMilliseconds { double(c, &out) }
            if let m = e.resources.memoryMiB { double(m, &out) }
            if let id = e.id { string(id, &out) }
            if let path = e.path { string(path, &out) }
        }
        return out
    }

    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> [Event] {
        var r = Reader(bytes: bytes)
        guard try r.byte() == version else { throw DecodeError(description: "unknown event batch version") }
        let n = try r.varint()
        guard n <= UInt64(bytes.count) else { throw DecodeError(description: "event count \(n) exceeds the batch") }
        var events: [Event] = []
        events.reserveCapacity(Int(n))
        var time: Int64 = 0
        for _ in 0..<n {
            time = time &+ unzigzag(try r.varint())
            let user = try r.string(), region = try r.string(), feature = try r.string()
            let device = Int(try r.byte())
            guard device < DeviceClass.allCases.count else { throw DecodeError(description: "bad device class \(device)") }
            let duration = try r.double()
            let size = Int64(bitPattern: try r.varint())
            let flags = try r.byte()
            let cpu = flags & 1 != 0 ? try r.double() : nil
            let memory = flags & 2 != 0 ? try r.double() : nil
            let id = flags & 4 != 0 ? try r.string() : nil
            let path = flags & 8 != 0 ? try r.string() : nil
            events.append(Event(time: Timestamp(milliseconds: time), user: user, region: region, feature: feature,
                                device: DeviceClass.allCases[device], durationSeconds: duration, bytes: size,
                                resources: ResourceUsage(cpuMilliseconds: cpu, memoryMiB: memory), id: id, path: path))
        }
        guard r.offset == bytes.count else { throw DecodeError(description: "\(bytes.count - r.offset) bytes after the last event") }
        return events
    }

    static func zigzag(_ v: Int64) -> UInt64 { UInt64(bitPattern: (v << 1) ^ (v >> 63)) }
    static func unzigzag(_ v: UInt64) -> Int64 { Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1) }

    static func varint(_ value: UInt64, _ out: inout [UInt8]) {
        var v = value
        while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        out.append(UInt8(v))
    }

    static func string(_ s: String, _ out: inout [UInt8]) {
        var s = s
        s.withUTF8 { b in varint(UInt64(b.count), &out); out.append(contentsOf: b) }
    }

    static func double(_ d: Double, _ out: inout [UInt8]) {
        withUnsafeBytes(of: d.bitPattern.littleEndian) { out.append(contentsOf: $0) }
    }

    struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        mutating func byte() throws(DecodeError) -> UInt8 {
            guard offset < bytes.count else { throw DecodeError(description: "truncated at byte \(offset)") }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func varint() throws(DecodeError) -> UInt64 {
            var v: UInt64 = 0, shift: UInt64 = 0
            while true {
                let b = try byte()
                guard shift < 64 else { throw DecodeError(description: "varint too long at byte \(offset)") }
                v |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return v }
                shift += 7
            }
        }

        mutating func double() throws(DecodeError) -> Double {
            guard offset + 8 <= bytes.count else { throw DecodeError(description: "truncated at byte \(offset)") }
            var bits: UInt64 = 0
            for k in 0..<8 { bits |= UInt64(bytes[offset + k]) << (8 * UInt64(k)) }
            offset += 8
            return Double(bitPattern: bits)
        }

        mutating func string() throws(DecodeError) -> String {
            let n = Int(try varint())
            guard n >= 0, offset + n <= bytes.count else { throw DecodeError(description: "string of \(n) bytes overruns the batch at byte \(offset)") }
            defer { offset += n }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)]), as: UTF8.self)
        }
    }
}
