import MLRunCore

extension DeselectionReason {
    /// The reason as the console, `--explain` and the report's `reason` say it.
    package var text: String {
        switch self {
        case .notNamedByIDs:
            return "not named by the ids given"
        case .keyword(let expression):
            return "deselected by -k '\(expression)'"
        case .marker(let expression):
            return "deselected by -m '\(expression)'"
        case .unchanged(let source, let patterns):
            return "not affected by \(source): no changed file matches '\(patterns.joined(separator: "', '"))'"
        case .passedLastTime:
            return "passed last time (--lf)"
        case .otherShard(let spec):
            return "in another shard (\(spec) by \(spec.strategy.rawValue))"
        }
    }
}

extension PlanNote {
    /// The note as the console header says it.
    package var text: String {
        switch self {
        case .noTestFailedLastTime: return "--lf: no selected test failed last time; running all"
        }
    }
}
