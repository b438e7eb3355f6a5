/// A compact binary form of `UserProfile` for stores (SQLite blobs, Redis values).
///
/// Layout (little-endian), version 1: `u8 version`, user (u16 length + UTF-8), first seen, last
/// seen and decay reference (i64 ms each), events (i64), rhythm as sparse pairs (u8 count of non-zero bins, then u8 bin + f32),
/// regions and features (u8 count, then u8 length + UTF-8 + f32), devices (u8 count + f32 each),
/// other features (f32), resource totals (3 × f64), covariate minutes (3 × f32), prediction
/// (u8 present; i64 start, i32 step, u16 count + f32 each), recent events (u8 count; u64 hash +
/// i64 ms each), recent floor (u8 present + i64). Version 2 holds the event minutes by lag
/// (`CovariateTable.eventLags` × f32 where version 1 had one total, which it drops) and appends the recent-location mix (as
/// the other names) and its reference (i64 ms); version-1 blobs still decode, with no recent
/// location (forecasts then place the user by the long region mix). The segment is not stored here: stores keep
/// assignments apart, so a segmentation run does not rewrite every profile. A typical synthetic
/// user encodes in 350–700 bytes.
public enum ProfileCodec {
    public static let version: UInt8 = 2

    public struct DecodeError: Error, Sendable, CustomStringConvertible {
        public var reason: String
        public var description: String { "corrupt profile: \(reason)" }
    }

    public static func encode(_ p: UserProfile) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        out.append(version)
        putString16(p.user, &out)
        put(UInt64(bitPattern: p.firstSeen.milliseconds), &out)
        put(UInt64(bitPattern: p.lastSeen.milliseconds), &out)
        put(UInt64(bitPattern: p.decayReference.milliseconds), &out)
        put(UInt64(bitPattern: p.events), &out)
        let bins = p.rhythm.indices.filter { p.rhythm[$0] != 0 }
        out.append(UInt8(bins.count))
        for b in bins { out.append(UInt8(b)); put(p.rhythm[b].bitPattern, &out) }
        putNames(p.regions, &out)
        out.append(UInt8(p.devices.count))
        for d in p.devices { put(d.bitPattern, &out) }
        putNames(p.features, &out)
        put(p.otherFeatures.bitPattern, &out)
        put(p.cpuMillicoreMinutes.bitPattern, &out)
        put(p.memoryMiBMinutes.bitPattern, &out)
        put(p.networkKbpsMinutes.bitPattern, &out)
        put(p.rainMinutes.bitPattern, &out)
        for k in 0..<CovariateTable.eventLags { put(p.eventMinutesByLag[k].bitPattern, &out) }
        put(p.covariateMinutes.bitPattern, &out)
        if let pr = p.prediction {
            out.append(1)
            put(UInt64(bitPattern: pr.start.milliseconds), &out)
            put(UInt32(bitPattern: pr.stepSeconds), &out)
            put(UInt16(min(pr.values.count, Int(UInt16.max))), &out)
            for v in pr.values.prefix(Int(UInt16.max)) { put(v.bitPattern, &out) }
        } else { out.append(0) }
        out.append(UInt8(min(p.recent.count, 255)))
        for r in p.recent.prefix(255) { put(r.hash, &out); put(UInt64(bitPattern: r.time.milliseconds), &out) }
        if let f = p.recentFloor { out.append(1); put(UInt64(bitPattern: f.milliseconds), &out) } else { out.append(0) }
        putNames(p.location, &out)
        put(UInt64(bitPattern: p.locationReference.milliseconds), &out)
        return out
    }

    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> UserProfile {
        var r = Reader(p: bytes)
        let v = try r.u8()
        guard v == 1 || v == version else { throw DecodeError(reason: "unknown version \(v)") }
        let user = try r.string(try Int(r.u16()))
        var p = UserProfile(user: user, at: Timestamp(milliseconds: 0))
        p.firstSeen = Timestamp(milliseconds: Int64(bitPattern: try r.u64()))
        p.lastSeen = Timestamp(milliseconds: Int64(bitPattern: try r.u64()))
        p.decayReference = Timestamp(milliseconds: Int64(bitPattern: try r.u64()))
        p.events = Int64(bitPattern: try r.u64())
        let bins = Int(try r.u8())
        for _ in 0..<bins {
            let b = Int(try r.u8())
            guard b < 168 else { throw DecodeError(reason: "rhythm bin \(b)") }
            p.rhythm[b] = Float(bitPattern: try r.u32())
        }
        p.regions = try r.names()
        let devices = Int(try r.u8())
        var d = [Float](repeating: 0, count: max(devices, DeviceClass.allCases.count))
        for i in 0..<devices { d[i] = Float(bitPattern: try r.u32()) }
        p.devices = Array(d.prefix(DeviceClass.allCases.count))
        p.features = try r.names()
        p.otherFeatures = Float(bitPattern: try r.u32())
        p.cpuMillicoreMinutes = Double(bitPattern: try r.u64())
        p.memoryMiBMinutes = Double(bitPattern: try r.u64())
        p.networkKbpsMinutes = Double(bitPattern: try r.u64())
        p.rainMinutes = Float(bitPattern: try r.u32())
        if v == 1 {
            // Version 1 kept one total counted by session start: not comparable with the lags.
            _ = try r.u32()
        } else {
            for k in 0..<CovariateTable.eventLags { p.eventMinutesByLag[k] = Float(bitPattern: try r.u32()) }
        }
        p.covariateMinutes = Float(bitPattern: try r.u32())
        if try r.u8() == 1 {
            let start = Timestamp(milliseconds: Int64(bitPattern: try r.u64()))
            let step = Int32(bitPattern: try r.u32())
            let n = Int(try r.u16())
            var values = [Float](); values.reserveCapacity(n)
            for _ in 0..<n { values.append(Float(bitPattern: try r.u32())) }
            p.prediction = UsagePrediction(start: start, stepSeconds: step, values: values)
        }
        let recent = Int(try r.u8())
        for _ in 0..<recent {
            let h = try r.u64()
            p.recent.append(RecentEvent(hash: h, time: Timestamp(milliseconds: Int64(bitPattern: try r.u64()))))
        }
        p.recentFilter = RecentFilter(p.recent.map(\.hash))
        if try r.u8() == 1 { p.recentFloor = Timestamp(milliseconds: Int64(bitPattern: try r.u64())) }
        p.locationReference = p.decayReference
        if v >= 2 {
            p.location = try r.names()
            p.locationReference = Timestamp(milliseconds: Int64(bitPattern: try r.u64()))
        }
        guard r.i == bytes.count else { throw DecodeError(reason: "\(bytes.count - r.i) trailing bytes") }
        return p
    }

    public static func decode(_ bytes: [UInt8]) throws(DecodeError) -> UserProfile {
        let result: Result<UserProfile, DecodeError> = bytes.withUnsafeBytes { b in
            do throws(DecodeError) { return .success(try decode(b)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    @inline(__always) static func put<T: FixedWidthInteger>(_ v: T, _ out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
    }

    static func putString16(_ s: String, _ out: inout [UInt8]) {
        let b = Array(s.utf8.prefix(Int(UInt16.max)))
        put(UInt16(b.count), &out); out.append(contentsOf: b)
    }

    static func putNames(_ list: [WeightedName], _ out: inout [UInt8]) {
        out.append(UInt8(min(list.count, 255)))
        for n in list.prefix(255) {
            let b = Array(n.name.utf8.prefix(255))
            out.append(UInt8(b.count)); out.append(contentsOf: b)
            put(n.weight.bitPattern, &out)
        }
    }

    struct Reader {
        let p: UnsafeRawBufferPointer
        var i = 0
        mutating func take(_ n: Int) throws(DecodeError) -> UnsafeRawBufferPointer {
            guard n >= 0, i + n <= p.count else { throw DecodeError(reason: "truncated at byte \(i)") }
            defer { i += n }
            return UnsafeRawBufferPointer(rebasing: p[i..<(i + n)])
        }
        mutating func u8() throws(DecodeError) -> UInt8 { try take(1)[0] }
        mutating func u16() throws(DecodeError) -> UInt16 { UInt16(littleEndian: try take(2).loadUnaligned(as: UInt16.self)) }
        mutating func u32() throws(DecodeError) -> UInt32 { UInt32(littleEndian: try take(4).loadUnaligned(as: UInt32.self)) }
        mutating func u64() throws(DecodeError) -> UInt64 { UInt64(littleEndian: try take(8).loadUnaligned(as: UInt64.self)) }
        mutating func string(_ n: Int) throws(DecodeError) -> String {
            let b = try take(n)
            guard UTF8Validator.firstInvalidOffset(b) == nil else { throw DecodeError(reason: "invalid UTF-8 in a name") }
            return String(decoding: b, as: UTF8.self)
        }
        mutating func names() throws(DecodeError) -> [WeightedName] {
            let n = Int(try u8())
            var out: [WeightedName] = []
            for _ in 0..<n {
                let name = try string(Int(try u8()))
                out.append(WeightedName(name, Float(bitPattern: try u32())))
            }
            return out
        }
    }
}
