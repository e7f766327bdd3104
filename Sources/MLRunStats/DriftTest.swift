// The statistics return `Computed` values: a client of MLRunStats needs no second import.
@_exported import MLRunNumerics

/// A two-sample test whose size of effect the drift plugin reports next to its p-value.
///
/// The drift plugin gates on `pValue` (after a multiple-testing correction across columns) and
/// shows `effectSize` so a reader can tell a tiny but significant shift on millions of rows from
/// a large one: D for Kolmogorov–Smirnov, Cramér's V for the chi-square test.
package protocol DriftTest: Sendable {
    /// The test's p-value under "both samples come from one distribution".
    var pValue: Double { get }
    /// A size of the difference that does not grow with the sample sizes.
    var effectSize: Double { get }
}
