import Testing
@testable import MLRunStats
