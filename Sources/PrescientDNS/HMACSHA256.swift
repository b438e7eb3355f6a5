import CCrypto
import PrescientCore

/// HMAC-SHA256 from libcrypto (OpenSSL), the MAC behind TSIG's `hmac-sha256`.
public enum HMACSHA256 {
    public static let mac: TSIG.MAC = { secret, data in
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        _ = secret.withUnsafeBytes { k in
            data.withUnsafeBytes { d in
                HMAC(EVP_sha256(), k.baseAddress, Int32(k.count), d.bindMemory(to: UInt8.self).baseAddress, d.count, &out, &length)
            }
        }
        return Array(out[..<Int(length)])
    }
}
