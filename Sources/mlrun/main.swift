import MLRunKit

await MLRun.main()
