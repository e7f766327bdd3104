import MetricGates
import MLRunKit

// Everything stock mlrun does, plus [[gates]] suites.
await MLRun.main(plugins: [MetricGatesPlugin()])
