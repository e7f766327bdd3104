import MLRunKit
import MetricGates

// Everything stock mlrun does, plus [[gates]] suites.
await MLRun.main(plugins: [MetricGatesPlugin()])
