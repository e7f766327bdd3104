import MLRunKit

await MLRun.main(plugins: [NoopPlugin()])
