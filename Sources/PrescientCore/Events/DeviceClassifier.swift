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
        let ua = userAgent.lowercased()
        if ua.isEmpty || ua == "-" { return .unknown }
        if botMarkers.contains(where: ua.contains) { return .bot }
        if tvMarkers.contains(where: ua.contains) { return .tv }
        if tabletMarkers.contains(where: ua.contains) { return .tablet }
        if ua.contains("android") && !ua.contains("mobile") { return .tablet }
        if mobileMarkers.contains(where: ua.contains) { return .mobile }
        if ua.hasPrefix("mozilla") || ua.hasPrefix("opera") || ua.contains("windows") || ua.contains("macintosh")
            || ua.contains("x11") || ua.contains("linux") { return .desktop }
        return .unknown
    }
}
