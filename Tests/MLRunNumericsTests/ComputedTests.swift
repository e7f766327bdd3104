import MLRunNumerics
import Testing

@Suite struct ComputedTests {
    @Test func undefinedHasNoValueAndSaysWhy() {
        #expect(Computed.value(0.5).value == 0.5)
        #expect(Computed<Double>.undefined("only one class in y_true").value == nil)
        #expect(Computed<Double>.undefined("only one class in y_true").undefinedReason == "only one class in y_true")
        #expect(Computed<Double>.undefined("only one class in y_true").description == "undefined (only one class in y_true)")
        #expect(Computed.value(0.25).description == "0.25")
    }

    @Test func mapTransformsAValueAndKeepsTheReason() {
        #expect(Computed.value(2).map { $0 * 3 } == .value(6))
        #expect(Computed<Int>.undefined("empty sample").map { "\($0)" } == .undefined("empty sample"))
    }
}
