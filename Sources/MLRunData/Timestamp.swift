/// An instant: seconds and nanoseconds since 1970-01-01T00:00:00Z (proleptic Gregorian, no leap
/// seconds), as pandas' `Timestamp` and NumPy's `datetime64[ns]` count.
package struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Whole seconds since the epoch (negative before 1970).
    package var seconds: Int64
    /// Nanoseconds within the second, 0..<1_000_000_000.
    package var nanoseconds: Int32

    package init(seconds: Int64, nanoseconds: Int32 = 0) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    package static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.seconds != rhs.seconds ? lhs.seconds < rhs.seconds : lhs.nanoseconds < rhs.nanoseconds
    }

    /// ISO 8601 in UTC, with as many fraction digits as needed (`2024-03-01T12:00:00.25Z`).
    package var description: String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = Self.civil(fromDays: days)
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var text = "\(year < 0 ? "-" : "")\(String(repeating: "0", count: max(0, 4 - String(abs(year)).count)))\(abs(year))"
        text += "-\(two(month))-\(two(day))T\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))"
        if nanoseconds > 0 {
            var fraction = String(nanoseconds)
            fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text + "Z"
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of a day count since 1970-01-01 (Hinnant's civil_from_days).
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Parses ISO 8601 as written in data files.
    ///
    /// Accepted: `YYYY-MM-DD`; `YYYY-MM-DD` then `T` or one space, then `HH:MM`, `HH:MM:SS` or
    /// `HH:MM:SS.f…` (1 to 9 fraction digits; `,` also separates the fraction); then optionally
    /// `Z`, or an offset `±HH:MM`, `±HHMM` or `±HH`. A value without offset is read as UTC, as
    /// pandas does for naive timestamps. Ranges are checked (month 1–12, the day within its
    /// month with leap years, hour 0–23, minute 0–59, second 0–59; offsets up to ±23:59).
    /// `nil` for anything else.
    package static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        let n = bytes.count
        guard n >= 10 else { return nil }
        @inline(__always) func digits(_ at: Int, _ count: Int) -> Int64? {
            guard at + count <= n else { return nil }
            var value: Int64 = 0
            for i in at..<(at + count) {
                let d = bytes[i] &- 48
                guard d < 10 else { return nil }
                value = value * 10 + Int64(d)
            }
            return value
        }
        guard let year = digits(0, 4), bytes[4] == 0x2D, let month = digits(5, 2), bytes[7] == 0x2D,
            let day = digits(8, 2), (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        var seconds = days(year: year, month: month, day: day) * 86_400
        if n == 10 { return Timestamp(seconds: seconds) }
        guard bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " ") || bytes[10] == UInt8(ascii: "t"),
            let hour = digits(11, 2), hour < 24, n > 13, bytes[13] == 0x3A, let minute = digits(14, 2), minute < 60
        else { return nil }
        seconds += hour * 3600 + minute * 60
        var i = 16
        var nanos: Int64 = 0
        if i < n, bytes[i] == 0x3A {
            guard let second = digits(i + 1, 2), second < 60 else { return nil }
            seconds += second
            i += 3
            if i < n, bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: ",") {
                i += 1
                var count = 0
                while i < n, bytes[i] &- 48 < 10 {
                    guard count < 9 else { return nil }
                    nanos = nanos * 10 + Int64(bytes[i] &- 48)
                    count += 1
                    i += 1
                }
                guard count > 0 else { return nil }
                for _ in count..<9 { nanos *= 10 }
            }
        }
        if i == n { return Timestamp(seconds: seconds, nanoseconds: Int32(nanos)) }
        if bytes[i] == UInt8(ascii: "Z") || bytes[i] == UInt8(ascii: "z") {
            return i + 1 == n ? Timestamp(seconds: seconds, nanoseconds: Int32(nanos)) : nil
        }
        guard bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-"), let offsetHours = digits(i + 1, 2), offsetHours < 24
        else { return nil }
        let sign: Int64 = bytes[i] == UInt8(ascii: "+") ? 1 : -1
        var offsetMinutes: Int64 = 0
        var j = i + 3
        if j < n, bytes[j] == 0x3A { j += 1 }
        if j < n {
            guard let m = digits(j, 2), m < 60, j + 2 == n else { return nil }
            offsetMinutes = m
        }
        // Local time minus its offset is UTC.
        seconds -= sign * (offsetHours * 3600 + offsetMinutes * 60)
        return Timestamp(seconds: seconds, nanoseconds: Int32(nanos))
    }

    /// Parses a string (see `parse(_:)` for the accepted forms).
    package static func parse(_ text: String) -> Timestamp? {
        var text = text
        return text.withUTF8 { parse($0) }
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
