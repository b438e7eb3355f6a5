/// Classifies an HTTP `User-Agent` string into a `DeviceClass`.
///
/// Rules apply in order, case-insensitively, on substrings (the approach of ua-parser's device
/// regexes, reduced to the four classes capacity planning needs):
/// 1. bot: crawler markers (`bot`, `crawl`, `spider`, `slurp`, `curl/`, `wget`, `python-`, `java/`, …);
/// 2. tablet: `ipad`, `tablet`, `kindle`, `silk`, `playbook`, or `android` without `mobile`;
/// 3. tv: `smart-tv`, `smarttv`, `appletv`, `roku`, `playstation`, `xbox`, `crkey`;
/// 4. mobile: `mobile`, `iphone`, `ipod`, `android`, `windows phone`, `blackberry`, `opera mini`;
/// 5. desktop: any other browser-like agent (`mozilla`, `opera`); else unknown (`-` or empty is unknown).
public enum DeviceClassifier {
    private static let botMarkers = ["bot", "crawl", "spider", "slurp", "curl/", "wget", "python-", "java/",
                                     "libwww", "httpclient", "go-http-client", "feedfetcher", "scrapy",
                                     "okhttp", "apache-httpclient", "facebookexternalhit", "ia_archiver",
                                     "monitor", "pingdom", "feedly", "tiny tiny rss", "rss", "fetcher",
                                     "nutch", "yandex", "baidu", "headless"]
    private static let tvMarkers = ["smart-tv", "smarttv", "appletv", "roku", "playstation", "xbox", "crkey", "googletv"]
    private static let tabletMarkers = ["ipad", "tablet", "kindle", "silk/", "playbook"]
    private static let mobileMarkers = ["mobile", "iphone", "ipod", "android", "windows phone", "blackberry",
                                        "opera mini", "iemobile", "symbian"]

    public static func classify(_ userAgent: some StringProtocol) -> DeviceClass {
        // ASCII-lowercased bytes and a byte-level substring search: user agents are ASCII in
        // practice, and String.contains is far slower than this on the ingest hot path.
        let ua: [UInt8] = userAgent.utf8.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }
        if ua.isEmpty || ua == [UInt8(ascii: "-")] { return .unknown }
        func has(_ markers: [[UInt8]]) -> Bool { markers.contains { contains(ua, $0) } }
        if has(botBytes) { return .bot }
        if has(tvBytes) { return .tv }
        if has(tabletBytes) { return .tablet }
        if contains(ua, android) && !contains(ua, mobile) { return .tablet }
        if has(mobileBytes) { return .mobile }
        if starts(ua, mozilla) || starts(ua, opera) || has(desktopBytes) { return .desktop }
        return .unknown
    }

    private static let botBytes = botMarkers.map { Array($0.utf8) }
    private static let tvBytes = tvMarkers.map { Array($0.utf8) }
    private static let tabletBytes = tabletMarkers.map { Array($0.utf8) }
    private static let mobileBytes = mobileMarkers.map { Array($0.utf8) }
    private static let desktopBytes = ["windows", "macintosh", "x11", "linux"].map { Array($0.utf8) }
    private static let android = Array("android".utf8), mobile = Array("mobile".utf8)
    private static let mozilla = Array("mozilla".utf8), opera = Array("opera".utf8)

    private static func starts(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
        hay.count >= needle.count && hay[0..<needle.count].elementsEqual(needle)
    }

    private static func contains(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, hay.count >= needle.count else { return false }
        let last = hay.count - needle.count
        var i = 0
        while i <= last {
            if hay[i] == first {
                var j = 1
                while j < needle.count && hay[i + j] == needle[j] { j += 1 }
                if j == needle.count { return true }
            }
            i += 1
        }
        return false
    }
}
