import PrescientCore

/// One option a command accepts.
public struct OptionSpec: Sendable {
    /// `--users`
    public var name: String
    /// Placeholder for the value (`N`); nil for a flag.
    public var value: String?
    public var help: String
    public var repeatable: Bool
    /// Takes every following argument up to the next option (`--level 80 90`).
    public var multiValue: Bool

    public init(_ name: String, value: String? = nil, help: String, repeatable: Bool = false, multiValue: Bool = false) {
        self.name = name; self.value = value; self.help = help; self.repeatable = repeatable || multiValue; self.multiValue = multiValue
    }
}

/// A mistake in how a command was invoked: printed with the usage, exit 64.
public struct UsageError: Error, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// Options, flags and positional arguments of one invocation.
public struct ParsedArguments: Sendable {
    public var values: [String: [String]] = [:]
    public var flags: Set<String> = []
    public var positionals: [String] = []
    public var helpRequested = false

    public func value(_ name: String) -> String? { values[name]?.last }
    /// Every value of a repeatable option, commas splitting too (`--level 80,90 --level 95`).
    public func list(_ name: String) -> [String] { (values[name] ?? []).flatMap { $0.split(separator: ",").map(String.init) } }
    public func has(_ name: String) -> Bool { flags.contains(name) }

    /// An integer option within `range`, or `defaultValue` when absent.
    public func int(_ name: String, default defaultValue: Int, range: ClosedRange<Int>) throws(UsageError) -> Int {
        guard let s = value(name) else { return defaultValue }
        guard let v = Int(s.filter { $0 != "_" && $0 != "," }) else { throw UsageError("\(name): '\(s)' is not a whole number") }
        guard range.contains(v) else { throw UsageError("\(name): \(v) is out of range \(range.lowerBound)…\(range.upperBound)") }
        return v
    }

    public func double(_ name: String, default defaultValue: Double, range: ClosedRange<Double>) throws(UsageError) -> Double {
        guard let s = value(name) else { return defaultValue }
        guard let v = Double(s), v.isFinite else { throw UsageError("\(name): '\(s)' is not a number") }
        guard range.contains(v) else { throw UsageError("\(name): \(v) is out of range \(range.lowerBound)…\(range.upperBound)") }
        return v
    }

    public func required(_ name: String) throws(UsageError) -> String {
        guard let v = value(name), !v.isEmpty else { throw UsageError("\(name) is required") }
        return v
    }
}

/// A small GNU-style parser: `--name value`, `--name=value`, flags, `--` ends options, `-h`/`--help`.
public enum ArgumentParser {
    public static func parse(_ args: [String], options: [OptionSpec]) throws(UsageError) -> ParsedArguments {
        var result = ParsedArguments()
        var i = 0
        var optionsEnded = false
        while i < args.count {
            let a = args[i]
            i += 1
            if optionsEnded || !a.hasPrefix("-") || a == "-" { result.positionals.append(a); continue }
            if a == "--" { optionsEnded = true; continue }
            if a == "-h" || a == "--help" { result.helpRequested = true; continue }
            var name = a
            var inline: String?
            if let eq = a.firstIndex(of: "=") {
                name = String(a[..<eq]); inline = String(a[a.index(after: eq)...])
            }
            guard let spec = options.first(where: { $0.name == name }) else {
                let hint = closest(name, options.map(\.name)).map { " (did you mean \($0)?)" } ?? ""
                throw UsageError("unknown option '\(name)'\(hint)")
            }
            if spec.value == nil {
                if inline != nil { throw UsageError("\(name) takes no value") }
                result.flags.insert(name)
                continue
            }
            let value: String
            if let inline { value = inline } else {
                guard i < args.count else { throw UsageError("\(name) needs a value (\(spec.value!))") }
                value = args[i]; i += 1
            }
            if !spec.repeatable, result.values[name] != nil { throw UsageError("\(name) given twice") }
            result.values[name, default: []].append(value)
            if spec.multiValue && inline == nil {
                while i < args.count, !args[i].hasPrefix("-") || Double(args[i]) != nil { result.values[name, default: []].append(args[i]); i += 1 }
            }
        }
        return result
    }

    /// The option or command closest to a mistyped one (at most 3 edits).
    static func closest(_ s: String, _ names: [String]) -> String? {
        Spelling.closest(s, in: names, maxDistance: 3)
    }
}
