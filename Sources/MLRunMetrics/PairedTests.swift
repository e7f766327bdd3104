import Foundation

/// Significance tests that compare two models evaluated on the same rows.
///
/// Two models scored on one test set are not independent samples: their errors are
/// correlated through the rows. These tests take the pairing into account:
///
/// - `deLong(yTrue:scoresA:scoresB:)`: DeLong, DeLong & Clarke-Pearson (1988) for two
///   correlated ROC AUCs, computed in O(n log n) after Sun & Xu (2014).
/// - `mcNemar(onlyACorrect:onlyBCorrect:)`, or from per-row correctness or predictions:
///   McNemar's exact test for paired accuracy (the binomial test on the discordant rows, as
///   `scipy.stats.binomtest`).
///
/// Bootstrap intervals for any metric are in ``Bootstrap``.
///
/// Both report a two-sided p-value and a one-sided p-value for the alternative
/// "model B is worse than model A", so a gate such as "the candidate (B) is not worse than
/// the baseline (A)" reads `pValueBWorse >= 0.05`.
///
/// A test that is undefined on well-formed input (one class only, zero variance of the AUC
/// difference) is ``Computed/undefined(_:)`` with the reason, never a crash and never a silent
/// number; malformed input (arrays of different lengths, a label other than 0 or 1, a NaN
/// score) throws ``MetricInputError``, as the metrics of this module do.
package enum PairedTests {}

// MARK: - The normal distribution's tails

extension PairedTests {
    /// The complementary error function erfc(x) = 1 − erf(x).
    ///
    /// W. J. Cody's rational Chebyshev approximations ("Rational Chebyshev approximations for
    /// the error function", Math. Comp. 23 (1969), 631–638; coefficients of his CALERF,
    /// netlib specfun), which approximate erfc to about 18 significant digits; with exp(−x²)
    /// evaluated as exp(−h²)·exp(−(x − h)(x + h)), h = x rounded down to a sixteenth, so the
    /// rounding of x² does not reach the result. Relative error below 1e-15 on [−6, 26.5]
    /// (at most 3.7e-16 against 30-digit mpmath values, 7.3e-16 against glibc's erfc on a
    /// fine grid; see PairedTestsTests); 0 for x ≥ 26.543, where erfc(x) < 2.2e-308.
    static func erfc(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        let y = abs(x)
        if y <= 0.46875 { return 1 - erfSmall(x) }
        let upper: Double
        if y >= 26.543 {
            upper = 0
        } else {
            let h = (y * 16).rounded(.towardZero) / 16
            upper = exp(-h * h) * exp(-(y - h) * (y + h)) * erfcScaled(y)
        }
        return x < 0 ? 2 - upper : upper
    }

    /// The standard normal distribution's upper tail Q(z) = P(Z > z) = erfc(z/√2)/2.
    ///
    /// Evaluated from z itself rather than from erfc(z/√2): exp(−z²/2) is split as
    /// exp(−h²/2)·exp(−(z − h)(z + h)/2) with h = z rounded down to a sixteenth, so neither
    /// the rounding of z/√2 nor of z² is amplified by the exponential (computing erfc(z/√2)
    /// in floating point, as scipy's `norm.sf` does, loses about z²·1.1e-16 relative: 1e-13
    /// at z = 30). Relative error below 1e-15 (at most 3.3e-16 measured) against 30-digit
    /// mpmath values for z up to 37, where Q(z) ≈ 6e-300; subnormal beyond, 0 from z = 38.5.
    static func normalUpperTail(_ z: Double) -> Double {
        if z.isNaN { return .nan }
        if z < 0 { return 1 - normalUpperTail(-z) }
        let x = z * 0.707_106_781_186_547_524_40  // 1/√2
        if x <= 0.46875 { return 0.5 - 0.5 * erfSmall(x) }
        if z >= 38.5 { return 0 }
        let h = (z * 16).rounded(.towardZero) / 16
        return 0.5 * exp(-h * h / 2) * exp(-(z - h) * (z + h) / 2) * erfcScaled(x)
    }

    /// erf(x) for |x| ≤ 0.46875: Cody's first rational approximation x·P(x²)/Q(x²).
    private static func erfSmall(_ x: Double) -> Double {
        let a = (
            3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02,
            3.20937758913846947e03, 1.85777706184603153e-1
        )
        let b = (
            2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
            2.84423683343917062e03
        )
        let s = x * x
        let numerator = (((a.4 * s + a.0) * s + a.1) * s + a.2) * s + a.3
        let denominator = (((s + b.0) * s + b.1) * s + b.2) * s + b.3
        return x * numerator / denominator
    }

    /// exp(x²)·erfc(x) for 0.46875 < x < 26.543: Cody's second (x ≤ 4) and third
    /// (x > 4, in 1/x²) rational approximations.
    private static func erfcScaled(_ y: Double) -> Double {
        if y <= 4 {
            let c = (
                5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01,
                2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03,
                2.05107837782607147e03, 1.23033935479799725e03, 2.15311535474403846e-8
            )
            let d = (
                1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
                1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03,
                3.43936767414372164e03, 1.23033935480374942e03
            )
            var numerator = c.8 * y
            var denominator = y
            numerator = (numerator + c.0) * y; denominator = (denominator + d.0) * y
            numerator = (numerator + c.1) * y; denominator = (denominator + d.1) * y
            numerator = (numerator + c.2) * y; denominator = (denominator + d.2) * y
            numerator = (numerator + c.3) * y; denominator = (denominator + d.3) * y
            numerator = (numerator + c.4) * y; denominator = (denominator + d.4) * y
            numerator = (numerator + c.5) * y; denominator = (denominator + d.5) * y
            numerator = (numerator + c.6) * y; denominator = (denominator + d.6) * y
            return (numerator + c.7) / (denominator + d.7)
        }
        let p = (
            3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
            1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2
        )
        let q = (
            2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1,
            6.05183413124413191e-2, 2.33520497626869185e-3
        )
        let oneOverPi = 5.6418958354775628695e-1  // 1/√π
        let s = 1 / (y * y)
        var numerator = p.5 * s
        var denominator = s
        numerator = (numerator + p.0) * s; denominator = (denominator + q.0) * s
        numerator = (numerator + p.1) * s; denominator = (denominator + q.1) * s
        numerator = (numerator + p.2) * s; denominator = (denominator + q.2) * s
        numerator = (numerator + p.3) * s; denominator = (denominator + q.3) * s
        let r = s * (numerator + p.4) / (denominator + q.4)
        return (oneOverPi - r) / y
    }
}
