import Foundation

extension KolmogorovSmirnov {
    /// SciPy's exact two-sided p-value (`_attempt_exact_2kssamp`) for sample sizes n1, n2.
    ///
    /// Returns D rounded to h/lcm(n1, n2) and P(D ≥ h/lcm), or a nil p-value where SciPy gives
    /// up on the exact computation (the n1 = n2 reflection sum rounding outside [0, 1]).
    static func exactPValue(statistic d: Double, _ n1: Int, _ n2: Int) -> (statistic: Double, pValue: Double?) {
        let g = greatestCommonDivisor(n1, n2)
        let lcm = (n1 / g) * n2
        let h = Int((d * Double(lcm)).rounded(.toNearestOrEven))
        let rounded = Double(h) * 1.0 / Double(lcm)
        if h == 0 { return (rounded, 1) }
        let p = n1 == n2 ? equalSizesOutsideProbability(n1, h) : bandExitProbability(n1, n2, g, h)
        guard p >= 0, p <= 1 else { return (rounded, nil) }
        return (rounded, p)
    }

    static func greatestCommonDivisor(_ a: Int, _ b: Int) -> Int {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }

    /// P(D_{n,n} ≥ h/n) = 2 Σ_{k≥1} (−1)^{k−1} C(2n, n − kh)/C(2n, n) (Gnedenko & Korolyuk 1951).
    ///
    /// Every ratio Aₖ = C(2n, n − (k+1)h)/C(2n, n − kh) = Π_{j<h} (n − kh − j)/(n + kh + j + 1), and
    /// the alternating sum is nested as 2·A₀(1 − A₁(1 − A₂(1 − ⋯))), from the innermost k = ⌊n/h⌋
    /// out, in the order SciPy's `_compute_prob_outside_square` multiplies, so the two round alike
    /// (which decides whether SciPy falls back to the asymptotic p-value).
    static func equalSizesOutsideProbability(_ n: Int, _ h: Int) -> Double {
        var p = 0.0
        var k = n / h
        while k >= 0 {
            var ratio = 1.0
            for j in 0..<h {
                ratio = Double(n - k * h - j) * ratio / Double(n + k * h + j + 1)
            }
            p = ratio * (1.0 - p)
            k -= 1
        }
        return 2 * p
    }

    /// The share of monotone lattice paths from (0, 0) to (m, n) that leave the band
    /// |(n/g)·i − (m/g)·j| < h (m ≥ n after a swap; the probability is symmetric).
    ///
    /// P(i, j), the probability that a uniformly random path from (0, 0) to (i, j) has left the
    /// band, is 1 outside it and (i·P(i − 1, j) + j·P(i, j − 1))/(i + j) inside (the last step
    /// comes from the left with probability i/(i + j)); P(0, 0) = 0. One column at a time, and
    /// only the band's cells in it: O(m·(band width)) time, O(n) memory. Every value is a convex
    /// combination, so nothing cancels and small p-values keep their relative accuracy.
    static func bandExitProbability(_ n1: Int, _ n2: Int, _ g: Int, _ h: Int) -> Double {
        let (m, n) = n1 >= n2 ? (n1, n2) : (n2, n1)
        let mg = m / g, ng = n / g
        // Inside column i: j in [lower(i), upper(i)), lower = ⌊(ng·i − h)/mg⌋ + 1, upper = ⌈(ng·i + h)/mg⌉.
        func lower(_ i: Int) -> Int { min(max(floorDivide(ng * i - h, mg) + 1, 0), n) }
        func upper(_ i: Int) -> Int { min(ceilDivide(ng * i + h, mg), n + 1) }
        var column = [Double](repeating: 1, count: n + 2)  // P(i, j) by j; 1 marks "outside"
        var low = 0
        var high = upper(0)
        for j in 0..<high { column[j] = 0 }
        for j in high..<(n + 2) { column[j] = 1 }
        var next = [Double](repeating: 1, count: n + 2)
        return column.withUnsafeMutableBufferPointer { current in
            next.withUnsafeMutableBufferPointer { next in
                var current = current, next = next
                for i in 1...m {
                    let previousLow = low, previousHigh = high
                    low = lower(i)
                    high = upper(i)
                    if high <= low { return 1 }
                    let di = Double(i)
                    var below = low == 0 ? 0.0 : 1.0  // P(i, low − 1): outside unless there is none
                    for j in low..<high {
                        let left = j >= previousLow && j < previousHigh ? current[j] : 1.0
                        let value = (left * di + below * Double(j)) / (di + Double(j))
                        next[j] = value
                        below = value
                    }
                    swap(&current, &next)
                }
                return current[n]
            }
        }
    }

    @inline(__always)
    private static func floorDivide(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    @inline(__always)
    private static func ceilDivide(_ a: Int, _ b: Int) -> Int {
        -floorDivide(-a, b)
    }
}
