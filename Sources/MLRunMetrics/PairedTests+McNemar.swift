import Foundation

extension PairedTests {
    /// McNemar's exact test of two models' accuracies on the same rows.
    ///
    /// Q. McNemar, "Note on the sampling error of the difference between correlated
    /// proportions or percentages", Psychometrika 12 (1947), 153–157, in its exact form: only
    /// the discordant rows carry information, and under H0 (equal accuracy) each of the
    /// b + c of them is equally likely to favour either model, so b ~ Binomial(b + c, 1/2).
    /// The p-values are those of `scipy.stats.binomtest(b, b + c, 0.5)`.
    package struct McNemar: Sendable, Equatable {
        /// b: rows model A got right and model B got wrong.
        package let onlyACorrect: Int
        /// c: rows model B got right and model A got wrong.
        package let onlyBCorrect: Int
        /// Exact two-sided p-value, min(1, 2·P(X ≤ min(b, c))) for X ~ Binomial(b + c, 1/2);
        /// 1 when b = c, including b + c = 0 (no discordant row: no evidence either way).
        package let pValue: Double
        /// Exact one-sided p-value for the alternative "B is worse" (b > c):
        /// P(X ≥ b) = `binomtest(b, b + c, 0.5, alternative="greater")`; 1 when b + c = 0.
        package let pValueBWorse: Double

        /// b + c, the rows on which the two models disagree about being right.
        package var discordant: Int { onlyACorrect + onlyBCorrect }
    }

    /// McNemar's exact test from the discordant counts b and c.
    ///
    /// The binomial tail is summed from Catherine Loader's saddle-point form of the binomial
    /// probability ("Fast and accurate computation of binomial probabilities", 2000: Stirling
    /// remainders and the deviance bd0, no lgamma cancellation), then down the ratio
    /// P(k − 1)/P(k) = k/(n − k + 1), compensated, until the terms no longer count. Relative
    /// error at most (|ln p| + 20)·4e-16 against 50-digit mpmath sums for b + c from 20 to
    /// 10⁸ (PairedTestsTests): about 3e-15 for p ≥ 1e-10, 1e-13 down to p = 1e-300. p-values
    /// below ~1e-308 lose digits as subnormals, then are 0.
    ///
    /// scipy's two-sided binomtest adds the opposite tail's terms within a relative 1e-7 of
    /// P(X = min(b, c)); for p = 1/2 that is exactly the mirrored tail as long as
    /// min(b, c) < 10⁷, so the two agree there.
    ///
    /// - Returns: The test, or `.undefined` when a count is negative or b + c exceeds 2⁴⁰
    ///   (about 1.1·10¹², far beyond any test set, where the sum would run to millions of terms).
    package static func mcNemar(onlyACorrect b: Int, onlyBCorrect c: Int) -> Computed<McNemar> {
        guard b >= 0, c >= 0 else {
            return .undefined("discordant counts must be non-negative; got b = \(b), c = \(c)")
        }
        guard b <= 1 << 40, c <= 1 << 40, b + c <= 1 << 40 else {
            return .undefined("b + c = \(b) + \(c) exceeds 2^40 discordant rows")
        }
        let n = b + c
        let twoSided = b == c ? 1 : min(1, 2 * binomialHalfLowerTail(min(b, c), trials: n))
        // P(X ≥ b) = P(X ≤ c) by the symmetry of Binomial(n, 1/2).
        let bWorse = binomialHalfLowerTail(c, trials: n)
        return .value(McNemar(onlyACorrect: b, onlyBCorrect: c, pValue: twoSided, pValueBWorse: bWorse))
    }

    /// McNemar's exact test from whether each model got each row right.
    ///
    /// See `mcNemar(onlyACorrect:onlyBCorrect:)`.
    ///
    /// - Throws: ``MetricInputError/lengthMismatch(field:count:expected:)`` when the arrays'
    ///   lengths differ.
    package static func mcNemar(
        correctA: [Bool], correctB: [Bool]
    ) throws(MetricInputError) -> Computed<McNemar> {
        guard correctA.count == correctB.count else {
            throw .lengthMismatch(field: "correctB", count: correctB.count, expected: correctA.count)
        }
        var b = 0
        var c = 0
        for (a, bRight) in zip(correctA, correctB) where a != bRight {
            if a { b += 1 } else { c += 1 }
        }
        return mcNemar(onlyACorrect: b, onlyBCorrect: c)
    }

    /// McNemar's exact test from the true labels and the two models' predicted labels.
    ///
    /// A row counts as right for a model when its prediction equals the label. See
    /// `mcNemar(onlyACorrect:onlyBCorrect:)`.
    ///
    /// - Throws: ``MetricInputError/lengthMismatch(field:count:expected:)`` when a
    ///   prediction array's length differs from `yTrue`'s.
    package static func mcNemar<Label: Equatable>(
        yTrue: [Label], predictionsA: [Label], predictionsB: [Label]
    ) throws(MetricInputError) -> Computed<McNemar> {
        for (field, predictions) in [("predictionsA", predictionsA), ("predictionsB", predictionsB)] {
            guard predictions.count == yTrue.count else {
                throw .lengthMismatch(field: field, count: predictions.count, expected: yTrue.count)
            }
        }
        var b = 0
        var c = 0
        for row in yTrue.indices {
            let aRight = predictionsA[row] == yTrue[row]
            let bRight = predictionsB[row] == yTrue[row]
            if aRight && !bRight { b += 1 } else if bRight && !aRight { c += 1 }
        }
        return mcNemar(onlyACorrect: b, onlyBCorrect: c)
    }
}

// MARK: - Binomial(n, 1/2) probabilities

extension PairedTests {
    /// P(X ≤ k) for X ~ Binomial(n, 1/2).
    ///
    /// For k < n/2 the terms fall geometrically from P(X = k) downwards, so the sum is
    /// P(X = k)·(1 + k/(n − k + 1) + …) with every term positive; for k ≥ n/2 it is
    /// 1 − P(X ≤ n − k − 1), a number at least 1/2, so the subtraction loses nothing relative.
    /// Every 512 terms the running ratio P(j)/P(k) is recomputed from Loader's form, so the
    /// rounding of the recurrence does not pile up over the ~4.4·√n terms of a central tail.
    static func binomialHalfLowerTail(_ k: Int, trials n: Int) -> Double {
        if k < 0 { return 0 }
        if k >= n { return 1 }
        if 2 * k >= n { return 1 - binomialHalfLowerTail(n - k - 1, trials: n) }
        if k == 0 { return exactPowerOfHalf(n) }
        let (logCore, density) = binomialHalfProbabilityParts(k, trials: n)
        // Σ P(j)/P(k), compensated (Kahan): near the centre tens of thousands of terms of
        // similar size are added.
        var series = 1.0
        var compensation = 0.0
        var term = 1.0
        var j = k
        while j > 0 {
            if (k - j) % 512 == 511 && j > 1 {
                let (logCoreBelow, densityBelow) = binomialHalfProbabilityParts(j - 1, trials: n)
                term = exp(logCoreBelow - logCore) * (density / densityBelow).squareRoot()
            } else {
                term *= Double(j) / Double(n - j + 1)
            }
            let corrected = term - compensation
            let sum = series + corrected
            compensation = (sum - series) - corrected
            series = sum
            if term < series * 1e-18 { break }
            j -= 1
        }
        let core = exp(logCore)
        if core > 1e-290 { return core / density.squareRoot() * series }
        // Deep in the tail: stay in logarithms so the result degrades into subnormals, not 0.
        return exp(logCore + log(series) - 0.5 * log(density))
    }

    /// P(X = k) for X ~ Binomial(n, 1/2), as Loader's exp(logCore) / √density.
    static func binomialHalfProbability(_ k: Int, trials n: Int) -> Double {
        if k < 0 || k > n { return 0 }
        if k == 0 || k == n { return exactPowerOfHalf(n) }
        let (logCore, density) = binomialHalfProbabilityParts(k, trials: n)
        return exp(logCore) / density.squareRoot()
    }

    /// Loader's (2000) saddle-point decomposition of P(X = k), X ~ Binomial(n, 1/2), 0 < k < n:
    /// P = exp(δ(n) − δ(k) − δ(n − k) − bd0(k, n/2) − bd0(n − k, n/2)) / √(2π·k·(n − k)/n),
    /// δ the Stirling remainder.
    private static func binomialHalfProbabilityParts(_ k: Int, trials n: Int) -> (logCore: Double, density: Double) {
        let half = Double(n) / 2
        let logCore =
            stirlingRemainder(n) - stirlingRemainder(k) - stirlingRemainder(n - k)
            - deviance(Double(k), half) - deviance(Double(n - k), half)
        let density = 2 * Double.pi * Double(k) * Double(n - k) / Double(n)
        return (logCore, density)
    }

    /// 2⁻ⁿ, exact while representable (n ≤ 1074), else 0.
    private static func exactPowerOfHalf(_ n: Int) -> Double {
        n > 1074 ? 0 : Double(sign: .plus, exponent: -n, significand: 1)
    }

    /// δ(n) = ln n! − ln(√(2πn)·(n/e)ⁿ), the error of Stirling's formula.
    ///
    /// Stored values for n ≤ 15 (computed to 25 digits with mpmath); the asymptotic series
    /// 1/(12n) − 1/(360n³) + 1/(1260n⁵) − 1/(1680n⁷) + 1/(1188n⁹) beyond, truncated where
    /// the next term is below 1e-16.
    static func stirlingRemainder(_ n: Int) -> Double {
        if n < storedStirlingRemainders.count { return storedStirlingRemainders[n] }
        let s0 = 1.0 / 12, s1 = 1.0 / 360, s2 = 1.0 / 1260, s3 = 1.0 / 1680, s4 = 1.0 / 1188
        let x = Double(n)
        let xx = x * x
        if n > 500 { return (s0 - s1 / xx) / x }
        if n > 80 { return (s0 - (s1 - s2 / xx) / xx) / x }
        if n > 35 { return (s0 - (s1 - (s2 - s3 / xx) / xx) / xx) / x }
        return (s0 - (s1 - (s2 - (s3 - s4 / xx) / xx) / xx) / xx) / x
    }

    /// δ(0) … δ(15).
    private static let storedStirlingRemainders: [Double] = [
        0,
        0.08106146679532725821967026, 0.04134069595540929409382208,
        0.02767792568499833914878929, 0.02079067210376509311152277,
        0.01664469118982119216319487, 0.01387612882307074799874573,
        0.01189670994589177009505572, 0.01041126526197209649747857,
        0.009255462182712732917728637, 0.008330563433362871256469319,
        0.007573675487951840794972024, 0.006942840107209529865664153,
        0.006408994188004207068439631, 0.005951370112758847735624416,
        0.00555473355196280137103869,
    ]

    /// Loader's deviance term bd0(x, μ) = x·ln(x/μ) + μ − x, without its cancellation near x = μ.
    ///
    /// Where |v| < 1/2, v = (x − μ)/(x + μ), it is summed as Loader's series
    /// (x − μ)·v + 2x·Σ_{j≥1} v^(2j+1)/(2j+1) (Loader switches at 0.1, but the direct form
    /// there loses x·1e-16 to the rounding of x/μ; the series needs at most ~26 terms).
    /// Beyond, x ≤ μ/3 or x ≥ 3μ and the direct form, with log1p, has no such loss.
    static func deviance(_ x: Double, _ mu: Double) -> Double {
        if abs(x - mu) < 0.5 * (x + mu) {
            let v = (x - mu) / (x + mu)
            var sum = (x - mu) * v
            var term = 2 * x * v
            let vv = v * v
            var j = 1.0
            while true {
                term *= vv
                let next = sum + term / (2 * j + 1)
                if next == sum { return next }
                sum = next
                j += 1
            }
        }
        return x * log1p((x - mu) / mu) + mu - x
    }
}
