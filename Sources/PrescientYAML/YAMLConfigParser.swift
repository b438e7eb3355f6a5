import CYAML
import PrescientCore

/// Parses YAML text into a `ConfigNode` tree with libyaml's event API, keeping each node's line
/// and column. Anchors and aliases are resolved; tags are ignored; multi-document streams are
/// rejected (a configuration is one document).
public enum YAMLConfigParser {
    /// - Throws: `ConfigErrors` with the line and column libyaml reports for a syntax error.
    public static func parse(_ text: String, source: String = "config") throws(ConfigErrors) -> ConfigNode {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw ConfigErrors([ConfigIssue(line: 0, path: "", message: "libyaml could not initialise", source: source)])
        }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { (buf) throws(ConfigErrors) -> ConfigNode in
            yaml_parser_set_input_string(&parser, buf.baseAddress, buf.count)
            var builder = Builder(source: source)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    let problem = parser.problem.map { String(cString: $0) } ?? "syntax error"
                    let context = parser.context.map { String(cString: $0) + ", " } ?? ""
                    throw ConfigErrors([ConfigIssue(line: Int(parser.problem_mark.line) + 1, path: "",
                                                    message: "YAML syntax: \(context)\(problem) (column \(parser.problem_mark.column + 1))",
                                                    source: source)])
                }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { break }
                try builder.handle(&event)
            }
            return builder.root ?? ConfigNode(.mapping([]), line: 1, column: 1)
        }
    }

    private struct Builder {
        let source: String
        var root: ConfigNode?
        var documents = 0
        /// Open collections: a node plus, for mappings, a pending key.
        var stack: [(node: ConfigNode, pendingKey: ConfigNode?, anchor: String?)] = []
        var anchors: [String: ConfigNode] = [:]

        init(source: String) { self.source = source }

        mutating func handle(_ e: inout yaml_event_t) throws(ConfigErrors) {
            let line = Int(e.start_mark.line) + 1, column = Int(e.start_mark.column) + 1
            switch e.type {
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents > 1 { throw ConfigErrors([ConfigIssue(line: line, path: "", message: "more than one YAML document; a configuration is one document", source: source)]) }
            case YAML_SCALAR_EVENT:
                let s = e.data.scalar
                let value = String(decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
                let plain = s.style == YAML_PLAIN_SCALAR_STYLE || s.style == YAML_ANY_SCALAR_STYLE
                let node = ConfigNode(.scalar(value, plain: plain), line: line, column: column)
                if let a = s.anchor { anchors[String(cString: a)] = node }
                add(node)
            case YAML_ALIAS_EVENT:
                let name = String(cString: e.data.alias.anchor)
                guard var node = anchors[name] else {
                    throw ConfigErrors([ConfigIssue(line: line, path: "", message: "unknown alias *\(name)", source: source)])
                }
                node.line = line; node.column = column
                add(node)
            case YAML_SEQUENCE_START_EVENT:
                stack.append((ConfigNode(.sequence([]), line: line, column: column), nil, e.data.sequence_start.anchor.map { String(cString: $0) }))
            case YAML_MAPPING_START_EVENT:
                stack.append((ConfigNode(.mapping([]), line: line, column: column), nil, e.data.mapping_start.anchor.map { String(cString: $0) }))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                let done = stack.removeLast()
                if let a = done.anchor { anchors[a] = done.node }
                add(done.node)
            default: break
            }
        }

        mutating func add(_ node: ConfigNode) {
            guard !stack.isEmpty else { root = node; return }
            var top = stack[stack.count - 1]
            switch top.node.value {
            case .sequence(var items):
                items.append(node)
                top.node.value = .sequence(items)
            case .mapping(var pairs):
                if let key = top.pendingKey {
                    pairs.append((key, node))
                    top.node.value = .mapping(pairs)
                    top.pendingKey = nil
                } else {
                    top.pendingKey = node
                }
            case .scalar: break
            }
            stack[stack.count - 1] = top
        }
    }
}
