// The metrics and tests return `Computed` values: a client of MLRunMetrics needs no second import.
@_exported import MLRunNumerics

/// Why a metric has no value on some input: thrown inside a metric's computation and turned
/// into `Computed.undefined` at its end, so each precondition is one `guard … throw`.
struct UndefinedReason: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

extension Computed {
    /// The value `body` computes, or `.undefined` with the reason it threw.
    static func computing(_ body: () throws(UndefinedReason) -> Value) -> Computed {
        do {
            return .value(try body())
        } catch {
            return .undefined(error.reason)
        }
    }
}
