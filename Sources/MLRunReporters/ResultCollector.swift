import MLRunCore

/// What file reports (JSON, JUnit) gather from the events before writing at the end.
struct ResultCollector {
    private(set) var header: RunHeader?
    private(set) var results: [TestResult] = []

    /// Records `event`; returns the summary when the run has finished.
    mutating func record(_ event: RunEvent) -> RunSummary? {
        switch event {
        case .runStarted(let header): self.header = header
        case .testStarted: break
        case .testFinished(let result): results.append(result)
        case .runFinished(let summary): return summary
        }
        return nil
    }

    /// The results sorted by id, the order every report uses.
    var sortedResults: [TestResult] { results.sorted { $0.id < $1.id } }
}
