import Foundation

// The Kolmogorov–Smirnov distributions, as SciPy's `kolmogorov`, `smirnov` and `kstwo`.
//
// R. Simard and P. L'Ecuyer, "Computing the two-sided Kolmogorov–Smirnov distribution",
// J. Stat. Softw. 39(11), 2011, choose among exact and asymptotic methods by n and n·x²;
// SciPy's `kstwo` (scipy/stats/_ksstats.py) follows their choice with its own cut-offs, and
// these functions use the same cut-offs, so each region is computed by the method SciPy uses
// there (the approximations, Pelz–Good and Miller's one-sided tail for n > 10⁶, included).

extension SpecialFunctions {
    /// The limiting Kolmogorov distribution's survival function P(K > x), as
    /// `scipy.special.kolmogorov(x)` (`scipy.stats.kstwobign.sf`).
    ///
    /// Kolmogorov (1933): P(K > x) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²x²} for x ≥ 1; for x < 1, where
    /// that series converges slowly, 1 − P(K ≤ x) with the Jacobi-theta form
    /// P(K ≤ x) = (√(2π)/x) Σ_{k≥1} e^{−(2k−1)²π²/(8x²)} (there P(K > x) > 0.27, so the
    /// subtraction costs no relative accuracy).
    package static func kolmogorovSurvival(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x <= 0 { return 1 }
        if x < 1 {
            let a = -Double.pi * Double.pi / (8 * x * x)
            if a < -745 { return 1 }
            var sum = 0.0
            for k in 1...50 {
                let m = Double(2 * k - 1)
                let term = exp(a * m * m)
                sum += term
                if term <= sum * 1e-17 { break }
            }
            return 1 - (2 * Double.pi).squareRoot() / x * sum
        }
        var sum = 0.0
        var sign = 1.0
        for k in 1...100 {
            let kk = Double(k)
            let term = exp(-2 * kk * kk * x * x)
            sum += sign * term
            if term <= abs(sum) * 1e-17 { break }
            sign = -sign
        }
        return min(max(2 * sum, 0), 1)
    }

    /// The one-sided Kolmogorov–Smirnov survival function P(D⁺ₙ ≥ x), as
    /// `scipy.special.smirnov(n, x)`.
    ///
    /// Smirnov (1944), Birnbaum & Tingey (1951): for n ≤ 10⁶ the exact sum
    /// P(D⁺ₙ ≥ x) = x Σ_{j=0}^{⌊n(1−x)⌋} C(n, j) (x + j/n)^{j−1} (1 − x − j/n)^{n−j}, each term
    /// being (x/p)·Binomial(j; n, p) at p = x + j/n, evaluated with Loader's binomial density.
    /// The terms are positive and unimodal in j, so the sum starts at the largest and walks out
    /// both ways until they no longer count (thousands of terms, not n). For n > 10⁶, as SciPy,
    /// Miller's approximation (1956) e^{−(6nx + 1)²/(18n)}.
    package static func smirnovSurvival(_ n: Int, _ x: Double) -> Double {
        if x.isNaN || n <= 0 { return .nan }
        if x <= 0 { return 1 }
        if x >= 1 { return 0 }
        if n == 1 { return 1 - x }
        if n > 1_000_000 {
            let nn = Double(n)
            let logP = -(6 * nn * x + 1) * (6 * nn * x + 1) / 18 / nn
            return logP < -0.693_147_180_559_945_309_42 ? exp(logP) : 1 + expm1(logP)
        }
        let nn = Double(n)
        let nx = nn * x
        // The last j with 1 − x − j/n > 0; terms with p = 1 vanish.
        var last = Int((nn - nx).rounded(.down))
        if Double(n - last) - nx <= 0 { last -= 1 }
        if last < 0 { return 0 }
        func term(_ j: Int) -> Double {
            let np = nx + Double(j)
            let nq = Double(n - j) - nx
            let p = np / nn
            return x / p * binomialDensity(j, n, np: np, nq: nq)
        }
        // The largest term lies near p = 1/2, where Binomial(j; n, p) is widest.
        var peak = min(max(Int((nn * (0.5 - x)).rounded()), 0), last)
        var peakTerm = term(peak)
        while peak < last {
            let next = term(peak + 1)
            if next <= peakTerm { break }
            peak += 1; peakTerm = next
        }
        while peak > 0 {
            let previous = term(peak - 1)
            if previous <= peakTerm { break }
            peak -= 1; peakTerm = previous
        }
        // Compensated (Kahan–Babuška) sum from the peak outwards.
        var sum = peakTerm
        var compensation = 0.0
        func add(_ t: Double) {
            let s = sum + t
            compensation += abs(sum) >= abs(t) ? (sum - s) + t : (t - s) + sum
            sum = s
        }
        var j = peak - 1
        while j >= 0 {
            let t = term(j)
            add(t)
            if t <= sum * 1e-20 { break }
            j -= 1
        }
        j = peak + 1
        while j <= last {
            let t = term(j)
            add(t)
            if t <= sum * 1e-20 { break }
            j += 1
        }
        return min(sum + compensation, 1)
    }

    /// The two-sided one-sample Kolmogorov–Smirnov survival function P(Dₙ ≥ x), as
    /// `scipy.stats.kstwo.sf(x, n)`.
    ///
    /// By region, as SciPy (after Simard & L'Ecuyer 2011):
    /// - n·x ≤ 1 and n·x ≥ n − 1: Ruben & Gambino's (1982) closed forms;
    /// - x ≥ ½: exactly 2·P(D⁺ₙ ≥ x) (``smirnovSurvival(_:_:)``);
    /// - n ≤ 140: 1 − P(Dₙ < x) from the Durbin matrix (Marsaglia, Tsang & Wang 2003) while
    ///   n·x² ≤ 4 (SciPy switches to Pomeranz's recursion above 0.754693; both are exact, so they
    ///   agree to rounding), then 2·P(D⁺ₙ ≥ x);
    /// - n > 140: 0 from n·x² ≥ 370; 2·P(D⁺ₙ ≥ x) from n·x² ≥ 2.2; below that 1 − P(Dₙ < x),
    ///   by the Durbin matrix when n ≤ 100,000 and n·x^{3/2} ≤ 1.4, else by the Pelz–Good
    ///   asymptotic series (1976).
    package static func kolmogorovSmirnovSurvival(_ n: Int, _ x: Double) -> Double {
        if x.isNaN || n <= 0 { return .nan }
        if x >= 1 { return 0 }
        if x <= 0 { return 1 }
        let nn = Double(n)
        let t = nn * x
        if t <= 1 {
            if t <= 0.5 { return 1 }
            let cdf: Double
            if n <= 140 {
                var product = 1.0
                for i in 1...n { product *= Double(i) * (1.0 / nn) * (2 * t - 1) }
                cdf = product
            } else {
                cdf = exp(logFactorialOverPower(n) + nn * log(2 * t - 1))
            }
            return clamp01(1 - cdf)
        }
        if t >= nn - 1 { return clamp01(2 * pow(1 - x, nn)) }
        if x >= 0.5 { return clamp01(2 * smirnovSurvival(n, x)) }
        let nxSquared = t * x
        if n <= 140 {
            if nxSquared <= 4 { return clamp01(1 - durbinMatrixCDF(n, x)) }
            return clamp01(2 * smirnovSurvival(n, x))
        }
        if nxSquared >= 370 { return 0 }
        if nxSquared >= 2.2 { return clamp01(2 * smirnovSurvival(n, x)) }
        let cdf: Double
        if n <= 100_000, nn * pow(x, 1.5) <= 1.4 {
            cdf = durbinMatrixCDF(n, x)
        } else {
            cdf = pelzGoodCDF(n, x)
        }
        return clamp01(1 - cdf)
    }

    @inline(__always)
    static func clamp01(_ p: Double) -> Double { min(max(p, 0), 1) }

    /// ln(n!/nⁿ) by Stirling's series: ½ ln n − n + ½ ln 2π + Σ B₂ⱼ/(2j(2j − 1) n^{2j−1}).
    static func logFactorialOverPower(_ n: Int) -> Double {
        let coefficients = [
            -2.955065359477124183e-2, 6.4102564102564102564e-3,
            -1.9175269175269175269e-3, 8.4175084175084175084e-4,
            -5.952380952380952381e-4, 7.9365079365079365079e-4,
            -2.7777777777777777778e-3, 8.3333333333333333333e-2,
        ]
        let nn = Double(n)
        let r = 1 / nn
        var polynomial = 0.0
        for c in coefficients { polynomial = polynomial * (r / nn) + c }
        return log(nn) / 2 - nn + log(2 * Double.pi) / 2 + r * polynomial
    }

    /// P(Dₙ < x) by Durbin's matrix method (1968) as Marsaglia, Tsang & Wang (2003) evaluate it.
    ///
    /// With n·x = k − h (k an integer, 0 ≤ h < 1) and m = 2k − 1, the m×m matrix H has
    /// H[i][j] = 1/(i − j + 1)! for i − j + 1 ≥ 0 (else 0), except the first column
    /// (1 − h^{i+1})/(i + 1)!, the last row (1 − h^{m−j})/(m − j)!, and the corner
    /// (1 − 2hᵐ + max(0, 2h − 1)ᵐ)/m!; then P(Dₙ < x) = n!/nⁿ · (Hⁿ)[k−1][k−1]. Hⁿ by repeated
    /// squaring, with powers of 2¹²⁸ moved into a separate exponent so nothing overflows.
    static func durbinMatrixCDF(_ n: Int, _ x: Double) -> Double {
        if x >= 1 { return 1 }
        let nd = Double(n) * x
        if nd <= 0.5 { return 0 }
        let k = Int(nd.rounded(.up))
        let h = Double(k) - nd
        let m = 2 * k - 1

        var factorials = [Double](repeating: 1, count: m + 1)  // 1/i!
        for i in 1...m { factorials[i] = factorials[i - 1] / Double(i) }
        var matrix = [Double](repeating: 0, count: m * m)
        for i in 0..<m {
            for j in 0..<m where i - j + 1 >= 0 {
                matrix[i * m + j] = factorials[i - j + 1]
            }
        }
        for i in 0..<m {
            let v = (1 - pow(h, Double(i + 1))) * factorials[i + 1]
            matrix[i * m] = v
            matrix[(m - 1) * m + (m - 1 - i)] = v
        }
        matrix[(m - 1) * m] = (1 - 2 * pow(h, Double(m)) + pow(max(2 * h - 1, 0), Double(m))) * factorials[m]

        let scale = 0x1p128, inverseScale = 0x1p-128
        var power = [Double](repeating: 0, count: m * m)
        for i in 0..<m { power[i * m + i] = 1 }
        var powerExponent = 0
        var matrixExponent = 0
        var remaining = n
        while remaining > 0 {
            if remaining % 2 == 1 {
                power = multiply(power, matrix, m)
                powerExponent += matrixExponent
            }
            remaining /= 2
            if remaining == 0 { break }
            matrix = multiply(matrix, matrix, m)
            matrixExponent *= 2
            if abs(matrix[(k - 1) * m + (k - 1)]) > scale {
                for i in matrix.indices { matrix[i] *= inverseScale }
                matrixExponent += 128
            }
        }
        var p = power[(k - 1) * m + (k - 1)]
        let nn = Double(n)
        for i in 1...n {
            p = Double(i) * p / nn
            if abs(p) < inverseScale {
                p *= scale
                powerExponent -= 128
            }
        }
        return clamp01(scalbn(p, powerExponent))
    }

    /// The product of two m×m row-major matrices.
    private static func multiply(_ a: [Double], _ b: [Double], _ m: Int) -> [Double] {
        var c = [Double](repeating: 0, count: m * m)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    for i in 0..<m {
                        for l in 0..<m {
                            let ail = a[i * m + l]
                            if ail == 0 { continue }
                            for j in 0..<m { c[i * m + j] += ail * b[l * m + j] }
                        }
                    }
                }
            }
        }
        return c
    }

    /// P(Dₙ ≤ x) by Pelz & Good's (1976) asymptotic expansion, in the form of Simard & L'Ecuyer
    /// (2011, §2.2) that SciPy evaluates.
    ///
    /// P ≈ K₀(z) + K₁(z)/√n + K₂(z)/n + K₃(z)/n^{3/2} with z = x√n, each Kᵢ a Jacobi-theta series
    /// in q = e^{−π²/(8z²)} over odd m = 2k − 1 (summed by Horner's scheme in q^{8k}), and K₂, K₃
    /// with a second series in e^{−π²/(2z²)} over all k; k runs to ⌈16z/π⌉.
    static func pelzGoodCDF(_ n: Int, _ x: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let nn = Double(n)
        let z = nn.squareRoot() * x
        let z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2
        let pi2 = Double.pi * Double.pi, pi4 = pi2 * pi2, pi6 = pi4 * pi2
        let logQ = -pi2 / 8 / z2
        if logQ < -708 { return 0 }
        let q = exp(logQ)

        let k1a = -z2, k1b = pi2 / 4
        let k2a = 6 * z6 + 2 * z4
        let k2b = (2 * z4 - 5 * z2) * pi2 / 4
        let k2c = pi4 * (1 - 2 * z2) / 16
        let k3d = pi6 * (5 - 30 * z2) / 64
        let k3c = pi4 * (-60 * z2 + 212 * z4) / 16
        let k3b = pi2 * (135 * z4 - 96 * z6) / 4
        let k3a = -30 * z6 - 90 * z4 * z4

        var k0 = 0.0, k1 = 0.0, k2 = 0.0, k3 = 0.0
        let maxK = Int((16 * z / Double.pi).rounded(.up))
        if maxK >= 1 {
            for k in stride(from: maxK, through: 1, by: -1) {
                let mm = Double(2 * k - 1)
                let m2 = mm * mm, m4 = m2 * m2, m6 = m4 * m2
                let qPower = pow(q, Double(8 * k))
                k0 = k0 * qPower + 1
                k1 = k1 * qPower + (k1a + k1b * m2)
                k2 = k2 * qPower + (k2a + k2b * m2 + k2c * m4)
                k3 = k3 * qPower + (k3a + k3b * m2 + k3c * m4 + k3d * m6)
            }
        }
        let sqrt2pi = (2 * Double.pi).squareRoot()
        k0 *= q * sqrt2pi / z
        k1 *= q * sqrt2pi / (6 * z4)
        k2 *= q * sqrt2pi / (72 * z6 * z)
        k3 *= q * sqrt2pi / (6480 * z6 * z4)

        let q2 = exp(-pi2 / 2 / z2)
        var k2Extra = 0.0, k3Extra = 0.0
        let sqrt3z = 3.0.squareRoot() * z
        if maxK >= 1 {
            for k in 1...maxK {
                let kk = Double(k)
                let qk = pow(q2, kk * kk)
                k2Extra += kk * kk * qk
                let kPi = Double.pi * kk
                k3Extra += (sqrt3z + kPi) * (sqrt3z - kPi) * kk * kk * qk
            }
        }
        k2 += k2Extra * pi2 * sqrt2pi / (-36 * z3)
        k3 += k3Extra * pi2 * sqrt2pi / (216 * z6)
        return k0 + k1 / nn.squareRoot() + k2 / nn + k3 / pow(nn, 1.5)
    }
}
