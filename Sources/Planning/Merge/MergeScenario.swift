import Foundation
import GeoCore
import GeoIO
import Yams

/// A named set of merges to evaluate together, e.g. "北部案" (the northern plan).
public struct MergeScenario: Sendable, Hashable {
    public var name: String
    public var merges: [Merge]
    /// Line in the scenario file, for error messages (nil when built in code).
    public var line: Int?

    public init(name: String, merges: [Merge], line: Int? = nil) {
        self.name = name; self.merges = merges; self.line = line
    }
}

/// Hamlets that become one new unit.
public struct Merge: Sendable, Hashable {
    public var name: String
    public var ids: [String]
    /// Allows members that are not contiguous (e.g. an enclave joined by agreement).
    public var allowDisjoint: Bool
    public var line: Int?

    public init(name: String, ids: [String], allowDisjoint: Bool = false, line: Int? = nil) {
        self.name = name; self.ids = ids; self.allowDisjoint = allowDisjoint; self.line = line
    }
}

/// Reads scenario files: YAML or JSON (JSON is read as YAML, which it is a subset of), so one
/// parser gives line numbers for both.
///
/// ```yaml
/// scenarios:
///   - name: 北部案
///     merges:
///       - name: 新区1
///         hamlets: [352110010-01, 352110010-02]
///       - name: 飛び地
///         hamlets: [352110020-03, 352110030-01]
///         allow_disjoint: true
/// ```
public enum MergeScenarioFile {
    public static func read(_ path: String) throws -> [MergeScenario] {
        guard let data = InputFiles.contents(path) else {
            throw DataError(file: path, "cannot read the scenario file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DataError(file: path, "not UTF-8 text")
        }
        return try parse(text, path: path)
    }

    /// The line where brackets or indentation first nest deeper than `limit`, or nil. Brackets
    /// inside quotes count too: telling YAML's quotes apart needs a parser (a quote inside a
    /// plain word is no quote), and a scenario file has no use for 64 brackets in a name.
    static func tooDeep(_ text: String, limit: Int) -> Int? {
        var depth = 0, line = 1, atLineStart = true, indent = 0
        for c in text {
            if c == "\n" { line += 1; atLineStart = true; indent = 0; continue }
            if atLineStart {
                if c == " " || c == "-" { indent += 1; if indent > 2 * limit { return line }; continue }
                atLineStart = false
            }
            switch c {
            case "[", "{": depth += 1; if depth > limit { return line }
            case "]", "}": depth = max(0, depth - 1)
            default: break
            }
        }
        return nil
    }

    public static func parse(_ text: String, path: String) throws -> [MergeScenario] {
        // An alias repeats what its anchor holds: nine nested ones make a billion entries from a
        // few lines ("billion laughs"). A scenario file has no use for them.
        if let alias = text.range(of: #"(^|[\s\[{,:])\*[^\s,\[\]{}]+"#, options: .regularExpression) {
            let line = text[..<alias.lowerBound].filter { $0 == "\n" }.count + (text[alias].first == "\n" ? 2 : 1)
            throw DataError(file: path, field: "line \(line)", "a YAML alias (*name) is not allowed in a scenario file: write each list out")
        }
        // The YAML parser recurses once per level: thousands of nested brackets (or indents)
        // would overflow the stack. A scenario file needs four.
        if let deep = tooDeep(text, limit: 64) {
            throw DataError(file: path, field: "line \(deep)", "nested deeper than 64 levels: not a scenario file")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw DataError(file: path, "not valid YAML or JSON: \(error)")
        }
        func fail(_ node: Node?, _ message: String) -> DataError {
            DataError(file: path, field: node?.mark.map { "line \($0.line)" }, message)
        }
        func mapping(_ node: Node, _ what: String, allowed: Set<String>) throws -> Node.Mapping {
            guard let m = node.mapping else { throw fail(node, "expected \(what) as a mapping") }
            for key in m.keys {
                guard let k = key.string, allowed.contains(k) else {
                    throw fail(key, "unknown key '\(key.string ?? "?")' in \(what); expected one of \(allowed.sorted().joined(separator: ", "))")
                }
            }
            return m
        }
        func scalar(_ node: Node?, _ what: String, in parent: Node) throws -> String {
            guard let node else { throw fail(parent, "\(what) is missing") }
            guard node.scalar != nil, let s = node.string?.trimmingCharacters(in: .whitespaces), !s.isEmpty else {
                throw fail(node, "\(what) must be a non-empty text")
            }
            return s
        }
        func list(_ node: Node?, _ what: String, in parent: Node) throws -> [Node] {
            guard let node else { throw fail(parent, "\(what) is missing") }
            guard let s = node.sequence else { throw fail(node, "\(what) must be a list") }
            return Array(s)
        }

        guard let root else { throw DataError(file: path, "empty scenario file") }
        let top = try mapping(root, "the file", allowed: ["scenarios"])
        return try list(top["scenarios"], "scenarios", in: root).map { node in
            let m = try mapping(node, "a scenario", allowed: ["name", "merges"])
            let name = try scalar(m["name"], "scenario name", in: node)
            let merges = try list(m["merges"], "merges of scenario \(name)", in: node).map { mergeNode in
                let mm = try mapping(mergeNode, "a merge of scenario \(name)", allowed: ["name", "hamlets", "allow_disjoint"])
                let mergeName = try scalar(mm["name"], "merge name in scenario \(name)", in: mergeNode)
                let ids = try list(mm["hamlets"], "hamlets of merge \(mergeName)", in: mergeNode).map {
                    try scalar($0, "a hamlet id in merge \(mergeName)", in: mergeNode)
                }
                var disjoint = false
                if let flag = mm["allow_disjoint"] {
                    guard let b = flag.bool else { throw fail(flag, "allow_disjoint must be true or false") }
                    disjoint = b
                }
                return Merge(name: mergeName, ids: ids, allowDisjoint: disjoint, line: mergeNode.mark?.line)
            }
            return MergeScenario(name: name, merges: merges, line: node.mark?.line)
        }
    }
}
