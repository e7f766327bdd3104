/// Why a metric has no value on some input: thrown inside a metric's computation and turned
/// into `MetricValue.undefined` at its end, so each precondition is one `guard … throw`.
struct UndefinedReason: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

extension MetricValue {
    /// The value `body` computes, or `.undefined` with the reason it threw.
    static func computing(_ body: () throws(UndefinedReason) -> Double) -> MetricValue {
        do {
            return .value(try body())
        } catch {
            return .undefined(error.reason)
        }
    }
}
