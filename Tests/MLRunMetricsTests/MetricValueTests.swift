import Testing
import MLRunMetrics

@Suite struct MetricValueTests {
    @Test func undefinedHasNoNumberAndSaysWhy() {
        #expect(MetricValue.value(0.5).number == 0.5)
        #expect(MetricValue.undefined("only one class in y_true").number == nil)
        #expect(MetricValue.undefined("only one class in y_true").description == "undefined (only one class in y_true)")
    }
}
