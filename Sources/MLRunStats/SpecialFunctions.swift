import Foundation

/// The special functions behind the drift tests' p-values, accurate to about 1e-13 relative.
///
/// - ``chiSquareSurvival(_:degreesOfFreedom:)`` and ``regularizedUpperGamma(_:_:)``: the
///   chi-square test's p-value, Q(k/2, x/2).
/// - ``kolmogorovSurvival(_:)``, ``smirnovSurvival(_:_:)`` and
///   ``kolmogorovSmirnovSurvival(_:_:)``: the limiting, one-sided and two-sided Kolmogorov–Smirnov
///   distributions, as SciPy's `kolmogorov`, `smirnov` and `kstwo.sf`
///   (in SpecialFunctions+Kolmogorov.swift).
///
/// Densities are evaluated after Catherine Loader, "Fast and accurate computation of binomial
/// probabilities" (2000): Stirling remainders and the deviance bd0 instead of differences of
/// log-gammas, so no digits are lost to cancellation when the arguments are large.
package enum SpecialFunctions {
    /// The chi-square distribution's survival function P(X > x), X ~ χ²(k): Q(k/2, x/2).
    ///
    /// As `scipy.stats.chi2.sf(x, k)`. 1 for x ≤ 0; NaN for k ≤ 0.
    package static func chiSquareSurvival(_ x: Double, degreesOfFreedom k: Int) -> Double {
        guard k > 0 else { return .nan }
        return regularizedUpperGamma(Double(k) / 2, x / 2)
    }

    /// The regularized upper incomplete gamma function Q(a, x) = Γ(a, x)/Γ(a).
    ///
    /// For x < a + 1, Q = 1 − P with P from its power series
    /// P(a, x) = x^a e^{−x}/Γ(a + 1) · Σ_{n≥0} x^n/((a + 1)⋯(a + n)) (DLMF 8.7.1; there P ≤ ~0.7,
    /// so the subtraction loses nothing); otherwise Legendre's continued fraction for Γ(a, x)
    /// (DLMF 8.9.2), evaluated by the modified Lentz method (Numerical Recipes, 3rd ed., §6.2).
    /// The prefactor x^a e^{−x}/Γ(a + 1) is Loader's exp(−stirlerr(a) − bd0(a, x))/√(2πa), exact
    /// to a few ulps even where a and x are in the thousands. NaN for a ≤ 0 or NaN x.
    package static func regularizedUpperGamma(_ a: Double, _ x: Double) -> Double {
        guard a > 0, !x.isNaN else { return .nan }
        if x <= 0 { return 1 }
        if x == .infinity { return 0 }
        let prefactor = poissonDensity(a, x)  // x^a e^{-x} / Γ(a + 1)
        if prefactor == 0 { return x < a ? 1 : 0 }
        if x < a + 1 {
            var term = 1.0
            var sum = 1.0
            var denominator = a
            for _ in 0..<100_000 {
                denominator += 1
                term *= x / denominator
                sum += term
                if term < sum * 1e-17 { break }
            }
            return 1 - prefactor * sum
        }
        // Γ(a, x) e^{x} x^{-a} = 1/(x + 1 − a − 1·(1 − a)/(x + 3 − a − 2·(2 − a)/(x + 5 − a − ⋯)))
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var fraction = d
        for i in 1..<100_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            fraction *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        // x^a e^{-x}/Γ(a) = a · x^a e^{-x}/Γ(a + 1).
        return a * prefactor * fraction
    }

    // MARK: - Loader's building blocks

    /// x^a e^{−x}/Γ(a + 1), the Poisson density at a (a > 0, x > 0) after Loader:
    /// exp(−stirlerr(a) − bd0(a, x))/√(2πa).
    static func poissonDensity(_ a: Double, _ x: Double) -> Double {
        exp(-stirlingError(a) - deviance(a, x)) / (2 * Double.pi * a).squareRoot()
    }

    /// The binomial probability C(n, k) p^k (1 − p)^{n−k} for 0 ≤ k ≤ n, 0 < p < 1, after Loader:
    /// exp(stirlerr(n) − stirlerr(k) − stirlerr(n − k) − bd0(k, np) − bd0(n − k, nq))·√(n/(2πk(n − k))).
    /// `np` and `nq` are passed separately so the caller can form n(1 − p) without cancellation.
    static func binomialDensity(_ k: Int, _ n: Int, np: Double, nq: Double) -> Double {
        if k == 0 { return exp(Double(n) * log1p(-np / Double(n))) }
        if k == n { return exp(Double(n) * log1p(-nq / Double(n))) }
        let kk = Double(k), nk = Double(n - k), nn = Double(n)
        let exponent =
            stirlingError(nn) - stirlingError(kk) - stirlingError(nk)
            - deviance(kk, np) - deviance(nk, nq)
        return exp(exponent) * (nn / (2 * Double.pi * kk * nk)).squareRoot()
    }

    /// stirlerr(n) = ln Γ(n + 1) − (n + ½) ln n + n − ln √(2π), the error of Stirling's formula.
    ///
    /// Exact (40-digit mpmath) values at the half-integers up to 15, where degrees of freedom
    /// and counts fall; the asymptotic series 1/(12n) − 1/(360n³) + 1/(1260n⁵) − 1/(1680n⁷) +
    /// 1/(1188n⁹) beyond 15 (truncated as Loader does: its error is below 1e-17 there); and
    /// lgamma for other arguments below 15, where the terms are small enough (< 60) that the
    /// difference keeps 1e-14.
    static func stirlingError(_ n: Double) -> Double {
        if n <= 15 {
            let twice = n * 2
            if twice == twice.rounded(), twice >= 1 { return stirlingErrorAtHalves[Int(twice) - 1] }
            return lgamma(n + 1) - (n + 0.5) * log(n) + n - 0.918_938_533_204_672_741_78
        }
        let s0 = 1.0 / 12, s1 = 1.0 / 360, s2 = 1.0 / 1260, s3 = 1.0 / 1680, s4 = 1.0 / 1188
        let nn = n * n
        if n > 500 { return (s0 - s1 / nn) / n }
        if n > 80 { return (s0 - (s1 - s2 / nn) / nn) / n }
        if n > 35 { return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n }
        return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n
    }

    /// stirlerr(k/2) for k = 1…30, from 40-digit mpmath.
    static let stirlingErrorAtHalves: [Double] = [
        1.5342640972002734529e-1, 8.106146679532725822e-2, 5.4814121051917653896e-2,
        4.1340695955409294094e-2, 3.3162873519936287485e-2, 2.7677925684998339149e-2,
        2.3746163656297495971e-2, 2.0790672103765093112e-2, 1.8488450532673185231e-2,
        1.6644691189821192163e-2, 1.5134973221917378874e-2, 1.3876128823070747999e-2,
        1.2810465242920226924e-2, 1.1896709945891770095e-2, 1.1104559758206917327e-2,
        1.0411265261972096497e-2, 9.7994161261588032984e-3, 9.2554621827127329177e-3,
        8.768700134139385463e-3, 8.3305634333628712565e-3, 7.9341145643140205472e-3,
        7.573675487951840795e-3, 7.2445543013203831795e-3, 6.9428401072095298657e-3,
        6.6652470327076824424e-3, 6.4089941880042070684e-3, 6.1717122630394576475e-3,
        5.9513701127588477356e-3, 5.746216513010115682e-3, 5.554733551962801371e-3,
    ]

    /// Loader's deviance bd0(x, m) = x ln(x/m) + m − x ≥ 0, by its series in v = (x − m)/(x + m)
    /// when x and m are within 10 % of each other (where the closed form cancels).
    static func deviance(_ x: Double, _ m: Double) -> Double {
        if x == 0 { return m }
        if abs(x - m) < 0.1 * (x + m) {
            let v = (x - m) / (x + m)
            var s = (x - m) * v
            var ej = 2 * x * v
            let v2 = v * v
            for j in 1..<1000 {
                ej *= v2
                let next = s + ej / Double(2 * j + 1)
                if next == s { return s }
                s = next
            }
            return s
        }
        return x * log(x / m) + m - x
    }
}
