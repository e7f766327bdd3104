import Foundation
import Testing

@testable import MLRunStats

@Suite struct CategoricalTests {
    @Test func chiSquareMatchesScipy() throws {
        let fixture = try StatsFixture.loaded.get()
        for c in fixture.chi2 {
            let outcome = try ChiSquare.test(reference: c.reference, current: c.current)
            guard c.defined else {
                #expect(outcome.value == nil, "\(c.name): \(outcome)")
                continue
            }
            let result = try #require(outcome.value, "\(c.name): \(outcome)")
            #expect(agreesWithScipy(result.statistic, c.statistic!), "\(c.name): \(result.statistic) vs \(c.statistic!)")
            #expect(agreesWithScipy(result.pValue, c.pValue!), "\(c.name): \(result.pValue) vs \(c.pValue!)")
            #expect(agreesWithScipy(result.uncorrectedStatistic, c.uncorrectedStatistic!), "\(c.name)")
            #expect(agreesWithScipy(result.cramersV, c.cramersV!), "\(c.name): V \(result.cramersV) vs \(c.cramersV!)")
            #expect(result.degreesOfFreedom == c.dof, "\(c.name)")
            #expect(result.yatesCorrected == (c.dof == 1))
            #expect(result.effectSize == result.cramersV)
        }
    }

    @Test func oneCategoryIsUndefinedWithAReason() throws {
        let outcome = try ChiSquare.test(reference: ["a": 3, "b": 0], current: ["a": 5])
        #expect(outcome.undefinedReason == "the chi-square test needs at least two categories; both samples have only one (\"a\")")
    }

    @Test func malformedCountsThrow() {
        #expect(throws: StatsInputError.negativeCount(sample: .current, category: "b", count: -1)) {
            try ChiSquare.test(reference: ["a": 3], current: ["b": -1])
        }
        #expect(throws: StatsInputError.lengthMismatch(field: "current", count: 1, expected: 2)) {
            try CategoryCounts(categories: ["a", "b"], reference: [1, 2], current: [1])
        }
        #expect(throws: StatsInputError.duplicateCategory("a")) {
            try CategoryCounts(categories: ["a", "a"], reference: [1, 2], current: [1, 1])
        }
    }

    @Test func alignedArraysAndDictionariesAgree() throws {
        let counts = try CategoryCounts(categories: ["x", "y", "z"], reference: [10, 0, 5], current: [7, 0, 9])
        #expect(counts.categories == ["x", "z"])
        let fromArrays = try #require(ChiSquare.test(counts).value)
        let fromDictionaries = try #require(try ChiSquare.test(reference: ["x": 10, "z": 5], current: ["z": 9, "x": 7]).value)
        #expect(fromArrays == fromDictionaries)
    }
}
