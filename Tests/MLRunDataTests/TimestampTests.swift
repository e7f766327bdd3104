import Testing

@testable import MLRunData

@Suite struct TimestampTests {
    /// Expected seconds from Python's `datetime.fromisoformat(...).timestamp()` (naive read as UTC).
    @Test(arguments: [
        ("2024-02-29T12:34:56.789+02:00", Int64(1_709_202_896), Int32(789_000_000)),
        ("1969-12-31T23:59:59Z", -1, 0),
        ("2000-01-01", 946_684_800, 0),
        ("1900-03-01 00:00", -2_203_891_200, 0),
        ("2024-03-10T02:30:00-0530", 1_710_057_600, 0),
        ("2024-03-10T02:30:00.123456789", 1_710_037_800, 123_456_789),
        ("2024-03-10T02:30:00,5+01", 1_710_034_200, 500_000_000),
    ])
    func parsesISO8601(text: String, seconds: Int64, nanoseconds: Int32) {
        #expect(Timestamp.parse(text) == Timestamp(seconds: seconds, nanoseconds: nanoseconds))
    }

    @Test(arguments: [
        "2023-02-29", "2024-13-01", "2024-00-10", "2024-01-32", "2024-01-01T24:00", "2024-01-01T10:60",
        "2024-01-01T10:00:60", "2024-01-01T10:00:00.", "2024-01-01T10:00:00.1234567891", "2024-1-01",
        "2024-01-01T10", "2024-01-01Z", "2024-01-01T10:00+2", "2024-01-01T10:00:00Zx", "20240101", "", "yesterday",
    ])
    func rejectsInvalidDates(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test func printsAsUTC() {
        #expect(Timestamp(seconds: 1_709_202_896, nanoseconds: 789_000_000).description == "2024-02-29T10:34:56.789Z")
        #expect(Timestamp(seconds: -1).description == "1969-12-31T23:59:59Z")
    }
}
