import Foundation

@testable import MLRunStats

/// Tests/MLRunStatsTests/Fixtures/stats.json, written by scripts/fixtures/make_stats_fixtures.py
/// (SciPy 1.17, statsmodels, mpmath; see Fixtures/README.md for what each section is).
struct StatsFixture: Decodable {
    /// A sample stored as integer values with counts (the large KS cases).
    struct Histogram: Decodable {
        let values: [Int]
        let counts: [Int]
        var expanded: [Double] {
            var out = [Double]()
            out.reserveCapacity(counts.reduce(0, +))
            for (v, c) in zip(values, counts) { out.append(contentsOf: repeatElement(Double(v), count: c)) }
            return out
        }
    }
    struct KSCase: Decodable {
        let name: String
        let statistic: Double
        let pValue: Double
        let method: String
        let x: [Double]?
        let y: [Double]?
        let xHist: Histogram?
        let yHist: Histogram?
        var reference: [Double] { x ?? xHist?.expanded ?? [] }
        var current: [Double] { y ?? yHist?.expanded ?? [] }
    }
    struct Chi2Case: Decodable {
        let name: String
        let reference: [String: Int]
        let current: [String: Int]
        let defined: Bool
        let statistic: Double?
        let pValue: Double?
        let dof: Int?
        let cramersV: Double?
        let uncorrectedStatistic: Double?
    }
    struct BinnedCase: Decodable {
        let name: String
        let kind: String
        let reference: [Double]?
        let current: [Double]?
        let edges: [Double]?
        let referenceCounts: [Int]?
        let currentCounts: [Int]?
        let referenceCategories: [String: Int]?
        let currentCategories: [String: Int]?
        let psi: Double
        let js: Double
    }
    struct WassersteinCase: Decodable {
        let name: String
        let reference: [Double]
        let current: [Double]
        let distance: Double
        let referenceStd: Double
        let normalized: Double?
        let zscore: Double
    }
    struct Chi2SF: Decodable { let k: Int; let x: Double; let sf: Double; let scipy: Double }
    struct Kolmogorov: Decodable { let x: Double; let sf: Double; let scipy: Double }
    struct Smirnov: Decodable { let n: Int; let x: Double; let sf: Double }
    struct MultitestCase: Decodable {
        struct Expected: Decodable { let reject: [Bool]; let adjusted: [Double] }
        let p: [Double]
        let alpha: Double
        let methods: [String: Expected]
    }

    let versions: [String: String]
    let ks: [KSCase]
    let chi2: [Chi2Case]
    let binned: [BinnedCase]
    let wasserstein: [WassersteinCase]
    let chi2Sf: [Chi2SF]
    let kolmogorov: [Kolmogorov]
    let smirnov: [Smirnov]
    let kstwo: [Smirnov]
    let multitest: [MultitestCase]

    /// The decoded fixture, or why it could not be read (a failing test shows which).
    static let loaded: Result<StatsFixture, FixtureError> = {
        guard let url = Bundle.module.resourceURL?.appending(path: "Fixtures/stats.json") else {
            return .failure(FixtureError(message: "no resource bundle"))
        }
        do {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(
                positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            return .success(try decoder.decode(StatsFixture.self, from: Data(contentsOf: url)))
        } catch {
            return .failure(FixtureError(message: "\(url.path): \(error)"))
        }
    }()

    struct FixtureError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}

/// The acceptance tolerance for statistics and p-values against SciPy: within 1e-9 absolute
/// AND within 1e-6 relative. The absolute bound is what a gate at α = 0.05 could ever notice;
/// the relative bound makes tiny p-values (1e-40, where 1e-9 absolute says nothing) agree too.
/// The relative bound is waived below 1e-300, where SciPy's values are subnormal or 0.
func agreesWithScipy(_ got: Double, _ expected: Double) -> Bool {
    if got == expected { return true }
    let difference = abs(got - expected)
    guard difference <= 1e-9 else { return false }
    if abs(expected) < 1e-300 { return abs(got) < 1e-290 }
    return difference <= 1e-6 * abs(expected)
}

/// |got − expected| ≤ tolerance·|expected|.
func relativelyClose(_ got: Double, _ expected: Double, _ tolerance: Double) -> Bool {
    got == expected || abs(got - expected) <= tolerance * abs(expected)
}

/// The relative error |got − expected|/|expected| (0 when both are 0).
func relativeError(_ got: Double, _ expected: Double) -> Double {
    got == expected ? 0 : abs(got - expected) / abs(expected)
}
