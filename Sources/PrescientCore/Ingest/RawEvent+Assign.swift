extension RawEvent {
    /// Sets `field` from its textual value (already unescaped, valid UTF-8). Empty text leaves the
    /// field absent, so an empty CSV cell and a missing JSON key mean the same thing.
    mutating func assign(_ field: EventField, text p: UnsafeRawBufferPointer, label: String,
                         timestamps: TimestampParser) throws(FieldError) {
        if p.isEmpty { return }
        switch field {
        case .ts:
            switch timestamps.parse(ValueDecoding.trimmed(p)) {
            case .success(let t): time = t
            case .failure(let e): throw FieldError(label, e.reason)
            }
        case .duration:
            let d = try ValueDecoding.double(p, field: label)
            guard d >= 0 else { throw FieldError(label, "negative duration: \(d)") }
            durationSeconds = d
        case .bytes: bytes = try ValueDecoding.nonNegativeInteger(p, field: label)
        case .cpuMs:
            let d = try ValueDecoding.double(p, field: label)
            guard d >= 0 else { throw FieldError(label, "negative: \(d)") }
            cpuMilliseconds = d
        case .memMB:
            let d = try ValueDecoding.double(p, field: label)
            guard d >= 0 else { throw FieldError(label, "negative: \(d)") }
            memoryMiB = d
        case .user: user = ValueDecoding.string(p)
        case .region: region = ValueDecoding.string(p)
        case .feature: feature = ValueDecoding.string(p)
        case .device: device = ValueDecoding.string(p)
        case .id: id = ValueDecoding.string(p)
        case .country: country = ValueDecoding.string(p)
        case .client: client = ValueDecoding.string(p)
        case .agent: agent = ValueDecoding.string(p)
        case .path: path = ValueDecoding.string(p)
        }
    }

    /// Whether a field was already set (to detect duplicate keys).
    func has(_ field: EventField) -> Bool {
        switch field {
        case .ts: time != nil
        case .user: user != nil
        case .region: region != nil
        case .feature: feature != nil
        case .device: device != nil
        case .duration: durationSeconds != nil
        case .bytes: bytes != nil
        case .cpuMs: cpuMilliseconds != nil
        case .memMB: memoryMiB != nil
        case .id: id != nil
        case .country: country != nil
        case .client: client != nil
        case .agent: agent != nil
        case .path: path != nil
        }
    }
}
