import Foundation

/// The chi-square test of homogeneity of two samples' category counts, equal to
/// `scipy.stats.chi2_contingency(table)` on the 2×k table (reference row, current row), with
/// SciPy's default Yates correction, and Cramér's V as `scipy.stats.contingency.association`.
///
/// Expected counts E[i][j] = (row i total)·(column j total)/N; dof = (2 − 1)(k − 1) = k − 1;
/// χ² = Σ (O − E)²/E (Pearson 1900); p = Q((k − 1)/2, χ²/2)
/// (``SpecialFunctions/chiSquareSurvival(_:degreesOfFreedom:)``).
///
/// Yates' continuity correction (1934) applies only when dof = 1 (k = 2), as in SciPy: each
/// observed count moves 0.5 toward its expected count, but not past it
/// (O' = O + sign(E − O)·min(0.5, |E − O|)).
package struct ChiSquare: DriftTest, Sendable, Equatable {
    /// The χ² statistic the p-value comes from: Yates-corrected when dof = 1.
    package let statistic: Double
    /// χ² without Yates' correction (equal to `statistic` when dof > 1).
    package let uncorrectedStatistic: Double
    /// The p-value P(χ²_dof > statistic).
    package let pValue: Double
    /// k − 1 for k categories.
    package let degreesOfFreedom: Int
    /// Cramér's V = √(χ²/(N·(min(2, k) − 1))) = √(χ²/N), from the **uncorrected** χ², as
    /// `scipy.stats.contingency.association(table, method="cramer")` (whose `correction` defaults
    /// to False): a size of effect should not depend on a small-sample correction of the test.
    package let cramersV: Double
    /// Whether Yates' correction was applied (dof = 1).
    package var yatesCorrected: Bool { degreesOfFreedom == 1 }

    /// Cramér's V.
    package var effectSize: Double { cramersV }

    /// The chi-square test on two samples' counts.
    ///
    /// - Returns: The test, or `.undefined` when there is only one category (dof = 0: SciPy
    ///   returns χ² = 0, p = 1, which would read as "no drift" when nothing was tested), or
    ///   a sample is empty (an expected count is 0, where SciPy raises).
    package static func test(_ counts: CategoryCounts) -> Computed<ChiSquare> {
        let k = counts.categories.count
        let referenceTotal = counts.referenceTotal, currentTotal = counts.currentTotal
        guard referenceTotal > 0, currentTotal > 0 else {
            return .undefined("the chi-square test needs two non-empty samples; got \(referenceTotal) reference and \(currentTotal) current counts")
        }
        guard k >= 2 else {
            let only = counts.categories.first.map { " (\"\($0)\")" } ?? ""
            return .undefined("the chi-square test needs at least two categories; both samples have only one\(only)")
        }
        let rows = [Double(referenceTotal), Double(currentTotal)]
        let total = Double(referenceTotal + currentTotal)
        let dof = k - 1
        var corrected = 0.0, correctedCompensation = 0.0
        var plain = 0.0, plainCompensation = 0.0
        for (row, observedRow) in [counts.reference, counts.current].enumerated() {
            for j in 0..<k {
                let column = Double(counts.reference[j] + counts.current[j])
                let expected = rows[row] * column / total
                let observed = Double(observedRow[j])
                let plainTerm = (observed - expected) * (observed - expected) / expected
                accumulate(&plain, &plainCompensation, plainTerm)
                var adjusted = observed
                if dof == 1 {
                    let difference = expected - observed
                    let direction: Double = difference > 0 ? 1 : (difference < 0 ? -1 : 0)
                    adjusted = observed + min(0.5, abs(difference)) * direction
                }
                accumulate(&corrected, &correctedCompensation, (adjusted - expected) * (adjusted - expected) / expected)
            }
        }
        let statistic = corrected + correctedCompensation
        let uncorrected = plain + plainCompensation
        let v = (uncorrected / total / Double(min(k - 1, 1))).squareRoot()
        return .value(
            ChiSquare(
                statistic: statistic, uncorrectedStatistic: uncorrected,
                pValue: SpecialFunctions.chiSquareSurvival(statistic, degreesOfFreedom: dof),
                degreesOfFreedom: dof, cramersV: v
            ))
    }

    /// The chi-square test on one dictionary of category counts per sample.
    ///
    /// - Throws: ``StatsInputError/negativeCount(sample:category:count:)``.
    package static func test(reference: [String: Int], current: [String: Int]) throws(StatsInputError) -> Computed<ChiSquare> {
        test(try CategoryCounts(reference: reference, current: current))
    }
}

/// Adds `term` to a Neumaier-compensated sum (Neumaier 1974): the result is `sum + compensation`.
@inline(__always)
func accumulate(_ sum: inout Double, _ compensation: inout Double, _ term: Double) {
    let s = sum + term
    compensation += abs(sum) >= abs(term) ? (sum - s) + term : (term - s) + sum
    sum = s
}

/// Σ values with Neumaier's compensation: exact to about one rounding, independent of n.
func compensatedSum(_ values: some Sequence<Double>) -> Double {
    var sum = 0.0, compensation = 0.0
    for v in values { accumulate(&sum, &compensation, v) }
    return sum + compensation
}
