extension PathGlob {
    /// Compiles a pattern by the grammar at the top of `PathGlob.swift`, one method per rule.
    struct Parser {
        private let pattern: String
        private let scalars: [Unicode.Scalar]

        init(_ pattern: String) {
            self.pattern = pattern
            self.scalars = Array(pattern.unicodeScalars)
        }

        /// glob := "./"* segment ("/" segment)*
        func globSegments() throws(PathGlobError) -> [Segment] {
            if scalars.first == "/" {
                throw error(at: 0, "a path glob is relative to the config file's folder; remove the leading '/'")
            }
            var index = 0
            while index + 1 < scalars.count, scalars[index] == ".", scalars[index + 1] == "/" {
                index += 2
                while index < scalars.count, scalars[index] == "/" { index += 1 }
            }
            var segments: [Segment] = []
            while index < scalars.count {
                var end = index
                while end < scalars.count, scalars[end] != "/" { end += 1 }
                if end > index {
                    let segment = try self.segment(index..<end)
                    if case .anyFolders = segment, case .anyFolders? = segments.last {
                        // "**/**" means what "**" means; one backtrack point is enough.
                    } else {
                        segments.append(segment)
                    }
                }
                index = end + 1
            }
            if segments.isEmpty { throw error(at: 0, "empty path glob") }
            return segments
        }

        /// segment := "**" | element+
        private func segment(_ range: Range<Int>) throws(PathGlobError) -> Segment {
            if range.count == 2, scalars[range.lowerBound] == "*", scalars[range.lowerBound + 1] == "*" {
                return .anyFolders
            }
            var elements: [Element] = []
            var index = range.lowerBound
            while index < range.upperBound {
                elements.append(try element(at: &index, before: range.upperBound))
            }
            return .elements(elements)
        }

        /// element := "*" | "?" | class | any other character
        private func element(at index: inout Int, before end: Int) throws(PathGlobError) -> Element {
            let scalar = scalars[index]
            switch scalar {
            case "*":
                index += 1
                return .anyRun
            case "?":
                index += 1
                return .anyOne
            case "[":
                return try characterClass(at: &index, before: end)
            default:
                index += 1
                return .literal(scalar)
            }
        }

        /// class := "[" ("!" | "^")? "]"? item* "]"; item := char "-" char | char
        private func characterClass(at index: inout Int, before end: Int) throws(PathGlobError) -> Element {
            let opening = index
            var cursor = index + 1
            var negated = false
            if cursor < end, scalars[cursor] == "!" || scalars[cursor] == "^" {
                negated = true
                cursor += 1
            }
            var ranges: [ClosedRange<Unicode.Scalar>] = []
            var first = true
            while true {
                guard cursor < end else {
                    let reason = end < scalars.count ? "before the '/' at column \(end + 1)" : "before the end of the glob"
                    throw error(at: opening, "character class '[' is not closed with ']' \(reason)")
                }
                let low = scalars[cursor]
                if low == "]" && !first {
                    cursor += 1
                    break
                }
                first = false
                if cursor + 2 < end, scalars[cursor + 1] == "-", scalars[cursor + 2] != "]" {
                    let high = scalars[cursor + 2]
                    guard low <= high else {
                        throw error(at: cursor, "range '\(low)-\(high)' is reversed; write '\(high)-\(low)'")
                    }
                    ranges.append(low...high)
                    cursor += 3
                } else {
                    ranges.append(low...low)
                    cursor += 1
                }
            }
            index = cursor
            return .oneOf(ranges, negated: negated)
        }

        private func error(at offset: Int, _ message: String) -> PathGlobError {
            PathGlobError(pattern: pattern, column: offset + 1, message: message)
        }
    }
}
