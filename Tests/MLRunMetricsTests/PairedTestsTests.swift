import Foundation
import Testing

@testable import MLRunMetrics

/// Tests/MLRunMetricsTests/Fixtures/paired_tests.json, written by
/// scripts/fixtures/make_paired_fixtures.py (MLstatkit, scipy, mpmath).
private struct PairedFixture: Decodable {
    struct DeLongCase: Decodable {
        struct Expected: Decodable {
            let defined: Bool
            let aucA: Double?
            let aucB: Double?
            let varianceA: Double?
            let varianceB: Double?
            let covariance: Double?
            let varianceOfDifference: Double?
            let z: Double?
            let pValue: Double?
            let pValueBWorse: Double?
            let positives: Int?
            let negatives: Int?
        }
        let name: String
        let yTrue: [Int]
        let scoresA: [Double]
        let scoresB: [Double]
        let expected: Expected
    }
    struct McNemarCase: Decodable {
        let b: Int
        let c: Int
        let pValue: Double
        let pValueBWorse: Double
        let exactPValue: Double
        let exactPValueBWorse: Double
    }
    struct McNemarRows: Decodable {
        let b: Int
        let c: Int
        let pValue: Double
        let yTrue: [Int]
        let predictionsA: [Int]
        let predictionsB: [Int]
    }
    struct BinomialTail: Decodable { let n: Int; let k: Int; let tail: Double }
    struct NormalTail: Decodable { let z: Double; let q: Double }
    struct Erfc: Decodable { let x: Double; let erfc: Double }

    let delong: [DeLongCase]
    let mcnemar: [McNemarCase]
    let mcnemarRows: McNemarRows
    let binomialTail: [BinomialTail]
    let normalTail: [NormalTail]
    let erfc: [Erfc]

    /// The decoded fixture, or why it could not be read (a failing test shows which).
    static let loaded: Result<PairedFixture, FixtureError> = {
        guard let url = Bundle.module.resourceURL?.appending(path: "Fixtures/paired_tests.json") else {
            return .failure(FixtureError(message: "no resource bundle"))
        }
        do {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            return .success(try decoder.decode(PairedFixture.self, from: Data(contentsOf: url)))
        } catch {
            return .failure(FixtureError(message: "\(url.path): \(error)"))
        }
    }()

    struct FixtureError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}

/// |actual − expected| ≤ tolerance·|expected| (or ≤ tolerance when expected is 0).
private func relativelyClose(_ actual: Double, _ expected: Double, _ tolerance: Double) -> Bool {
    abs(actual - expected) <= tolerance * max(abs(expected), expected == 0 ? 1 : 0)
}

@Suite struct PairedTestsTests {
    // MARK: DeLong

    @Test func deLongMatchesMLstatkitOnEveryDefinedCase() throws {
        let fixture = try PairedFixture.loaded.get()
        let defined = fixture.delong.filter(\.expected.defined)
        #expect(defined.count >= 6)
        for testCase in defined {
            let e = testCase.expected
            let outcome = try PairedTests.deLong(yTrue: testCase.yTrue, scoresA: testCase.scoresA, scoresB: testCase.scoresB)
            let result = try #require(outcome.value, "\(testCase.name): \(outcome)")
            #expect(abs(result.aucA - e.aucA!) <= 1e-12, "\(testCase.name)")
            #expect(abs(result.aucB - e.aucB!) <= 1e-12, "\(testCase.name)")
            // The brief's acceptance (1e-6 absolute), and far tighter relative agreement.
            #expect(abs(result.z - e.z!) <= 1e-6, "\(testCase.name): z \(result.z) vs \(e.z!)")
            #expect(abs(result.pValue - e.pValue!) <= 1e-6, "\(testCase.name)")
            #expect(relativelyClose(result.z, e.z!, 1e-10), "\(testCase.name): z \(result.z) vs \(e.z!)")
            #expect(relativelyClose(result.pValue, e.pValue!, 1e-9), "\(testCase.name): p \(result.pValue) vs \(e.pValue!)")
            #expect(relativelyClose(result.pValueBWorse, e.pValueBWorse!, 1e-9), "\(testCase.name): \(result.pValueBWorse) vs \(e.pValueBWorse!)")
            #expect(relativelyClose(result.varianceA, e.varianceA!, 1e-9), "\(testCase.name)")
            #expect(relativelyClose(result.varianceB, e.varianceB!, 1e-9), "\(testCase.name)")
            #expect(relativelyClose(result.covariance, e.covariance!, 1e-9), "\(testCase.name)")
            #expect(relativelyClose(result.varianceOfDifference, e.varianceOfDifference!, 1e-9), "\(testCase.name)")
            #expect(result.positives == e.positives && result.negatives == e.negatives, "\(testCase.name)")
        }
    }

    @Test func deLongIsUndefinedWhereTheReferenceLeavesDeLong() throws {
        let fixture = try PairedFixture.loaded.get()
        let undefined = fixture.delong.filter { !$0.expected.defined }
        #expect(undefined.map(\.name).sorted() == ["both_perfect_n50", "equal_models_n100", "one_class_n10", "single_positive_n30"])
        for testCase in undefined {
            let outcome = try PairedTests.deLong(yTrue: testCase.yTrue, scoresA: testCase.scoresA, scoresB: testCase.scoresB)
            #expect(outcome.value == nil, "\(testCase.name): \(outcome)")
        }
    }

    @Test(arguments: [
        ([0, 0, 0], "only one class in yTrue (0 positives, 3 negatives); ROC AUC is undefined"),
        ([1, 0, 0], "DeLong's variance needs at least two positives and two negatives; yTrue has 1 and 2"),
    ])
    func deLongUndefinedReasonsSayWhy(labels: [Int], reason: String) throws {
        let outcome = try PairedTests.deLong(yTrue: labels, scoresA: [0.1, 0.2, 0.3], scoresB: [0.3, 0.2, 0.1])
        #expect(outcome == .undefined(reason))
    }

    @Test func deLongOfIdenticalScoresIsUndefinedAndNamesTheAUCs() throws {
        let outcome = try PairedTests.deLong(yTrue: [0, 1, 0, 1, 1, 0], scoresA: [1, 2, 3, 4, 5, 2], scoresB: [1, 2, 3, 4, 5, 2])
        let reason = try #require(outcome.undefinedReason)
        #expect(reason.contains("variance of AUC_B − AUC_A is 0"))
        #expect(reason.contains("AUC_A = 0.8333333333333334, AUC_B = 0.8333333333333334"))
    }

    @Test func deLongRejectsMalformedInput() {
        #expect(throws: MetricInputError.lengthMismatch(field: "scoresB", count: 2, expected: 3)) {
            try PairedTests.deLong(yTrue: [0, 1, 0], scoresA: [1, 2, 3], scoresB: [1, 2])
        }
        #expect(throws: MetricInputError.unknownLabel(field: "yTrue", row: 1, label: 2)) {
            try PairedTests.deLong(yTrue: [0, 2, 1], scoresA: [1, 2, 3], scoresB: [1, 2, 3])
        }
        #expect(throws: MetricInputError.nonFinite(field: "scoresA", row: 2)) {
            try PairedTests.deLong(yTrue: [0, 1, 1], scoresA: [1, 2, .nan], scoresB: [1, 2, 3])
        }
        #expect(throws: MetricInputError.nonFinite(field: "scoresB", row: 0)) {
            try PairedTests.deLong(yTrue: [0, 1, 1], scoresA: [1, 2, 3], scoresB: [-.infinity, 2, 3])
        }
    }

    @Test func deLongSwappingModelsNegatesZAndKeepsTheTwoSidedP() throws {
        let fixture = try PairedFixture.loaded.get()
        let testCase = try #require(fixture.delong.first { $0.name == "correlated_n1000" })
        let ab = try #require(try PairedTests.deLong(yTrue: testCase.yTrue, scoresA: testCase.scoresA, scoresB: testCase.scoresB).value)
        let ba = try #require(try PairedTests.deLong(yTrue: testCase.yTrue, scoresA: testCase.scoresB, scoresB: testCase.scoresA).value)
        #expect(ba.z == -ab.z)
        #expect(ba.pValue == ab.pValue)
        #expect(abs(ba.pValueBWorse - (1 - ab.pValueBWorse)) <= 1e-15)
        #expect(ba.varianceOfDifference == ab.varianceOfDifference)
    }

    @Test func deLongDependsOnlyOnTheRanks() throws {
        let fixture = try PairedFixture.loaded.get()
        let testCase = try #require(fixture.delong.first { $0.name == "likert_n200" })
        let plain = try PairedTests.deLong(yTrue: testCase.yTrue, scoresA: testCase.scoresA, scoresB: testCase.scoresB)
        let transformed = try PairedTests.deLong(
            yTrue: testCase.yTrue.map { $0 == 1 },
            scoresA: testCase.scoresA.map { exp($0) - 1000 },
            scoresB: testCase.scoresB.map { $0 * $0 * $0 }
        )
        #expect(plain == transformed)
    }

    @Test func deLongOnAQuarterMillionRowsIsNotQuadratic() throws {
        // With integer scores on 1000 levels: every tie group is large, the worst case for a
        // naive tie-handling pass; O(n log n) finishes in well under a second even unoptimized.
        let rows = 250_000
        var generator = Bootstrap.RandomSource(seed: 5)
        var labels = [Int](), a = [Double](), b = [Double]()
        for _ in 0..<rows {
            let label = Int(generator.next(below: 2))
            let noise = Double(generator.next(below: 1000))
            labels.append(label)
            a.append(((noise + Double(label) * 300) / 10).rounded())
            b.append(((noise * 0.5 + Double(generator.next(below: 500)) + Double(label) * 250) / 10).rounded())
        }
        let started = ContinuousClock.now
        let result = try #require(try PairedTests.deLong(yTrue: labels, scoresA: a, scoresB: b).value)
        #expect(ContinuousClock.now - started < .seconds(20))
        #expect(result.aucA > 0.5 && result.aucB > 0.5)
        #expect(result.positives + result.negatives == rows)
    }

    // MARK: McNemar

    @Test func mcNemarMatchesScipyBinomtest() throws {
        let fixture = try PairedFixture.loaded.get()
        #expect(fixture.mcnemar.contains { $0.b + $0.c > 4_000_000 })
        for testCase in fixture.mcnemar {
            let result = try #require(PairedTests.mcNemar(onlyACorrect: testCase.b, onlyBCorrect: testCase.c).value)
            let label = "b = \(testCase.b), c = \(testCase.c)"
            #expect(relativelyClose(result.pValue, testCase.pValue, 1e-9), "\(label): \(result.pValue) vs scipy \(testCase.pValue)")
            #expect(
                relativelyClose(result.pValueBWorse, testCase.pValueBWorse, 1e-9),
                "\(label): \(result.pValueBWorse) vs scipy \(testCase.pValueBWorse)")
            // Against the 50-digit sum, tighter than scipy's own agreement with it.
            #expect(relativelyClose(result.pValue, testCase.exactPValue, 1e-12), "\(label): \(result.pValue) vs exact \(testCase.exactPValue)")
            #expect(
                relativelyClose(result.pValueBWorse, testCase.exactPValueBWorse, 1e-12),
                "\(label): \(result.pValueBWorse) vs exact \(testCase.exactPValueBWorse)")
            #expect(result.discordant == testCase.b + testCase.c)
        }
    }

    @Test func mcNemarWithoutDiscordantRowsHasPOne() throws {
        let result = try #require(PairedTests.mcNemar(onlyACorrect: 0, onlyBCorrect: 0).value)
        #expect(result.pValue == 1)
        #expect(result.pValueBWorse == 1)
        let fromRows = try #require(try PairedTests.mcNemar(correctA: [true, false, true], correctB: [true, false, true]).value)
        #expect(fromRows == result)
    }

    @Test func mcNemarFromRowsCountsTheDiscordantPairs() throws {
        let fixture = try PairedFixture.loaded.get()
        let rows = fixture.mcnemarRows
        let fromLabels = try #require(
            try PairedTests.mcNemar(yTrue: rows.yTrue, predictionsA: rows.predictionsA, predictionsB: rows.predictionsB).value)
        #expect(fromLabels.onlyACorrect == rows.b && fromLabels.onlyBCorrect == rows.c)
        #expect(relativelyClose(fromLabels.pValue, rows.pValue, 1e-9))
        let fromCorrectness = try #require(
            try PairedTests.mcNemar(
                correctA: zip(rows.predictionsA, rows.yTrue).map { $0 == $1 },
                correctB: zip(rows.predictionsB, rows.yTrue).map { $0 == $1 }
            ).value)
        #expect(fromCorrectness == fromLabels)
    }

    @Test func mcNemarRejectsMalformedInput() {
        #expect(PairedTests.mcNemar(onlyACorrect: -1, onlyBCorrect: 3) == .undefined("discordant counts must be non-negative; got b = -1, c = 3"))
        #expect(PairedTests.mcNemar(onlyACorrect: .max, onlyBCorrect: 1).value == nil)
        #expect(throws: MetricInputError.lengthMismatch(field: "correctB", count: 1, expected: 2)) {
            try PairedTests.mcNemar(correctA: [true, false], correctB: [true])
        }
        #expect(throws: MetricInputError.lengthMismatch(field: "predictionsB", count: 3, expected: 2)) {
            try PairedTests.mcNemar(yTrue: ["cat", "dog"], predictionsA: ["cat", "cat"], predictionsB: ["cat", "dog", "dog"])
        }
    }

    @Test func binomialProbabilitiesAreExactWhereDoublesCanSayExactly() {
        // C(n, k)·2⁻ⁿ is exact in a Double for n ≤ 50 (C(50, 25) < 2⁵³).
        for n in [1, 2, 7, 16, 17, 36, 50] {
            var binomial = 1.0  // C(n, 0)
            var cumulative = 0.0
            for k in 0...n {
                let exact = binomial * Double(sign: .plus, exponent: -n, significand: 1)
                cumulative += exact
                let pmf = PairedTests.binomialHalfProbability(k, trials: n)
                #expect(relativelyClose(pmf, exact, 4e-15), "P(X = \(k)), n = \(n): \(pmf) vs \(exact)")
                let tail = PairedTests.binomialHalfLowerTail(k, trials: n)
                #expect(relativelyClose(tail, cumulative, 4e-15), "P(X ≤ \(k)), n = \(n): \(tail) vs \(cumulative)")
                binomial = binomial * Double(n - k) / Double(k + 1)
            }
        }
    }

    @Test func binomialTailsMatch50DigitSumsUpToAHundredMillionTrials() throws {
        let fixture = try PairedFixture.loaded.get()
        var worst = (error: 0.0, n: 0, k: 0)
        for row in fixture.binomialTail {
            let tail = PairedTests.binomialHalfLowerTail(row.k, trials: row.n)
            let error = abs(tail - row.tail) / row.tail
            if error > worst.error { worst = (error, row.n, row.k) }
            // The documented bound: (|ln p| + 20)·4e-16.
            let bound = (abs(log(row.tail)) + 20) * 4e-16
            #expect(error <= bound, "P(X ≤ \(row.k)), n = \(row.n): \(tail) vs \(row.tail), relative \(error)")
        }
        #expect(fixture.binomialTail.count > 60)
        #expect(worst.error < 1e-13, "worst relative error \(worst.error) at n = \(worst.n), k = \(worst.k)")
    }

    // MARK: Normal tail

    @Test func normalUpperTailMatchesMpmath() throws {
        let fixture = try PairedFixture.loaded.get()
        for row in fixture.normalTail {
            let q = PairedTests.normalUpperTail(row.z)
            #expect(relativelyClose(q, row.q, 1e-15), "Q(\(row.z)) = \(q) vs \(row.q), relative \(abs(q - row.q) / row.q)")
        }
        #expect(PairedTests.normalUpperTail(40) == 0)
        #expect(PairedTests.normalUpperTail(-.infinity) == 1)
        #expect(PairedTests.normalUpperTail(.nan).isNaN)
    }

    @Test func erfcMatchesMpmathAndTheCLibrary() throws {
        let fixture = try PairedFixture.loaded.get()
        for row in fixture.erfc {
            let value = PairedTests.erfc(row.x)
            #expect(relativelyClose(value, row.erfc, 1e-15), "erfc(\(row.x)) = \(value) vs \(row.erfc)")
        }
        var worst = 0.0
        var x = -6.0
        while x < 26.5 {
            let reference = Foundation.erfc(x)
            worst = max(worst, abs(PairedTests.erfc(x) - reference) / reference)
            x += 0.001_953_125 * 1.37
        }
        #expect(worst < 1e-14, "worst relative difference from the C library's erfc: \(worst)")
        #expect(PairedTests.erfc(27) == 0)
        #expect(PairedTests.erfc(-27) == 2)
    }
}
