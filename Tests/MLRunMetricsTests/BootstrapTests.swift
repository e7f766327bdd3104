import Foundation
import Testing

@testable import MLRunMetrics

/// The "random" and "bootstrap" sections of Fixtures/paired_tests.json: a Python rewrite of
/// Bootstrap's generator and resampling (scripts/fixtures/make_paired_fixtures.py), with NumPy's
/// linear percentiles of the resulting bootstrap distributions.
private struct BootstrapFixture: Decodable {
    struct Random: Decodable {
        let seed0State: [String]
        let seed0Next: [String]
        let seed12345Below7: [UInt64]
        let seed12345ThenBelow1000003: [UInt64]
        let seed12345ThenBelowHuge: [String]
        let seed42Rows10FirstCounts: [Int]
    }
    struct Case: Decodable {
        let name: String
        let statistic: String
        let values: [Double]
        let positive: [Bool]?
        let level: Double
        let resamples: Int
        let seed: UInt64
        let low: Double
        let high: Double
        let undefinedResamples: Int
        let firstStatistics: [Double]
    }
    let random: Random
    let bootstrap: [Case]

    /// The decoded fixture, or why it could not be read (a failing test shows which).
    static let loaded: Result<BootstrapFixture, FixtureError> = {
        guard let url = Bundle.module.resourceURL?.appending(path: "Fixtures/paired_tests.json") else {
            return .failure(FixtureError(message: "no resource bundle"))
        }
        do {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            return .success(try decoder.decode(BootstrapFixture.self, from: Data(contentsOf: url)))
        } catch {
            return .failure(FixtureError(message: "\(url.path): \(error)"))
        }
    }()

    struct FixtureError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}

/// The fixture's statistics, as closures over a resample.
private func statistic(of testCase: BootstrapFixture.Case) -> (Bootstrap.Resample) -> Double? {
    switch testCase.statistic {
    case "mean":
        return { $0.mean(of: testCase.values) }
    default:  // "mean_of_positives": undefined on a resample without a positive row
        let positive = testCase.positive ?? []
        return { resample in
            var weight = 0
            var total = 0.0
            for row in 0..<resample.rows where positive[row] {
                weight += resample.counts[row]
                total += Double(resample.counts[row]) * testCase.values[row]
            }
            return weight == 0 ? nil : total / Double(weight)
        }
    }
}

@Suite struct BootstrapTests {
    @Test func generatorMatchesThePythonRewrite() throws {
        let random = try BootstrapFixture.loaded.get().random
        // splitmix64's first output from 0 is 0xE220A8397B1DCDAF (Vigna's reference).
        #expect(random.seed0State.first == String(UInt64(0xE220_A839_7B1D_CDAF)))
        var generator = Bootstrap.RandomSource(seed: 0)
        #expect((0..<6).map { _ in String(generator.next()) } == random.seed0Next)

        generator = Bootstrap.RandomSource(seed: 12345)
        #expect((0..<20).map { _ in generator.next(below: 7) } == random.seed12345Below7)
        #expect((0..<20).map { _ in generator.next(below: 1_000_003) } == random.seed12345ThenBelow1000003)
        let huge: UInt64 = (1 << 63) + 12345  // rejection happens often near 2⁶⁴/2
        #expect((0..<10).map { _ in String(generator.next(below: huge)) } == random.seed12345ThenBelowHuge)
    }

    @Test func resamplesMatchThePythonRewrite() throws {
        let fixture = try BootstrapFixture.loaded.get()
        var first: [Int]?
        _ = Bootstrap.distribution(rows: 10, resamples: 1, seed: 42) { resample in
            first = resample.counts
            return 0
        }
        #expect(first == fixture.random.seed42Rows10FirstCounts)
    }

    @Test func intervalsMatchNumpyPercentilesOfTheSameResamples() throws {
        let fixture = try BootstrapFixture.loaded.get()
        #expect(fixture.bootstrap.count == 4)
        for testCase in fixture.bootstrap {
            let statistic = statistic(of: testCase)
            let outcome = Bootstrap.percentileInterval(
                rows: testCase.values.count, level: testCase.level, resamples: testCase.resamples,
                seed: testCase.seed, statistic: statistic
            )
            let interval = try #require(outcome.value, "\(testCase.name): \(outcome)")
            // Same draws, same summation order, NumPy's lerp: equal to the last bit.
            #expect(interval.low == testCase.low, "\(testCase.name): \(interval.low) vs \(testCase.low)")
            #expect(interval.high == testCase.high, "\(testCase.name): \(interval.high) vs \(testCase.high)")
            #expect(interval.undefinedResamples == testCase.undefinedResamples, "\(testCase.name)")
            #expect(interval.definedResamples == testCase.resamples - testCase.undefinedResamples)
            #expect(interval.level == testCase.level && interval.resamples == testCase.resamples)
            let distribution = Bootstrap.distribution(
                rows: testCase.values.count, resamples: testCase.resamples, seed: testCase.seed, statistic: statistic
            )
            #expect(Array(distribution.prefix(5)) == testCase.firstStatistics, "\(testCase.name)")
        }
    }

    @Test func sameSeedSameIntervalDifferentSeedDifferentInterval() {
        let values = (0..<300).map { Double(($0 * 7919) % 1000) / 10 }
        func interval(_ seed: UInt64) -> Computed<Bootstrap.Interval> {
            Bootstrap.percentileInterval(rows: values.count, resamples: 400, seed: seed) { $0.mean(of: values) }
        }
        #expect(interval(17) == interval(17))
        #expect(interval(17) != interval(18))
        #expect(interval(17).value != nil)
    }

    @Test func intervalOfTheMeanIsCentredAndAsWideAsTheNormalTheorySays() throws {
        // 400 values from a fixed quasi-random sequence, mean 50, sd ≈ 28.9: the 95% percentile
        // interval of the mean is close to mean ± 1.96·sd/√n.
        let values = (0..<400).map { Double((Double($0) * 0.618_033_988_749_895).truncatingRemainder(dividingBy: 1)) * 100 }
        let mean = values.reduce(0, +) / Double(values.count)
        let sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)).squareRoot()
        let halfWidth = 1.959_963_984_540_054 * sd / Double(values.count).squareRoot()
        let interval = try #require(
            Bootstrap.percentileInterval(rows: values.count, resamples: 2000, seed: 3) {
                $0.mean(of: values)
            }.value)
        #expect(interval.low < mean && mean < interval.high)
        #expect(abs((interval.high - interval.low) / (2 * halfWidth) - 1) < 0.1, "\(interval) vs ±\(halfWidth)")
        #expect(abs((interval.low + interval.high) / 2 - mean) < 0.1 * halfWidth)
        let narrower = try #require(
            Bootstrap.percentileInterval(rows: values.count, level: 0.5, resamples: 2000, seed: 3) {
                $0.mean(of: values)
            }.value)
        #expect(interval.low < narrower.low && narrower.high < interval.high)
    }

    @Test func resampleViewsAgree() {
        _ = Bootstrap.distribution(rows: 50, resamples: 20, seed: 9) { resample in
            #expect(resample.counts.reduce(0, +) == 50)
            #expect(resample.rowIndices.count == 50)
            #expect(resample.rowIndices == resample.rowIndices.sorted())
            for (row, count) in resample.counts.enumerated() {
                #expect(resample.rowIndices.count(where: { $0 == row }) == count)
            }
            #expect(resample.weights == resample.counts.map(Double.init))
            #expect(resample.mean(of: [1, 2]) == nil)
            return nil
        }
    }

    @Test(arguments: [
        (0, 0.95, 10, "no rows to resample"),
        (5, 1.0, 10, "level must be strictly between 0 and 1; got 1.0"),
        (5, 0.0, 10, "level must be strictly between 0 and 1; got 0.0"),
        (5, 0.95, 0, "resamples must be at least 1; got 0"),
    ])
    func outOfRangeArgumentsAreUndefined(rows: Int, level: Double, resamples: Int, reason: String) {
        let outcome = Bootstrap.percentileInterval(rows: rows, level: level, resamples: resamples, seed: 1) { _ in 1 }
        #expect(outcome == .undefined(reason))
    }

    @Test func aStatisticUndefinedEverywhereGivesNoInterval() {
        let outcome = Bootstrap.percentileInterval(rows: 5, resamples: 30, seed: 1) { _ in .nan }
        #expect(outcome == .undefined("the statistic was undefined on all 30 resamples"))
        let infinite = Bootstrap.percentileInterval(rows: 5, resamples: 30, seed: 1) { _ in .infinity }
        #expect(infinite.value == nil)
    }

    @Test func aThrowingStatisticRethrows() {
        struct Stop: Error, Equatable {}
        #expect(throws: Stop()) {
            try Bootstrap.percentileInterval(rows: 3, seed: 1) { _ in throw Stop() }
        }
    }

    @Test(
        arguments: [
            ([1.0, 2, 3, 4], 0.25, 1.75),
            (Array(0..<10).map(Double.init), 0.975, 8.775),
            (Array(0..<10).map(Double.init), 0.025, 0.225),
            ([0.1, 0.2, 0.7], 0.025, 0.10500000000000001),
            ([0.1, 0.2, 0.7], 0.975, 0.6749999999999999),
            ([5.0], 0.3, 5.0),
            ([1.0, 2], 1.0, 2.0),
        ] as [([Double], Double, Double)])
    func linearQuantileIsNumpys(sorted: [Double], q: Double, expected: Double) {
        // Expected values are repr(float(np.quantile(sorted, q))) (method="linear").
        #expect(Bootstrap.linearQuantile(sorted: sorted, q) == expected)
    }

    @Test func jointIntervalsEqualOneCallPerStatistic() throws {
        let values = (0..<300).map { Double(($0 * 7919) % 101) / 10 }
        let squares = values.map { $0 * $0 }
        let joint = Bootstrap.percentileIntervals(rows: values.count, level: 0.9, resamples: 500, seed: 42, count: 3) { resample in
            [resample.mean(of: values), resample.mean(of: squares), resample.counts[0] > 0 ? 1.0 : nil]
        }
        let one = Bootstrap.percentileInterval(rows: values.count, level: 0.9, resamples: 500, seed: 42) { $0.mean(of: values) }
        let two = Bootstrap.percentileInterval(rows: values.count, level: 0.9, resamples: 500, seed: 42) { $0.mean(of: squares) }
        let three = Bootstrap.percentileInterval(rows: values.count, level: 0.9, resamples: 500, seed: 42) { $0.counts[0] > 0 ? 1.0 : nil }
        #expect(joint == [one, two, three])
        #expect(try #require(joint[2].value).undefinedResamples > 0)
        #expect(
            Bootstrap.percentileIntervals(rows: 0, seed: 1, count: 2) { _ in [] } == [
                .undefined("no rows to resample"), .undefined("no rows to resample"),
            ])
    }
}
