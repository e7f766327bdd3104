#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Exact parsing of numbers written as text (a CSV field, a JSON number).
///
/// `double` returns the double nearest to the decimal value written (ties to even), as
/// `strtod` does, so a double printed with enough digits reads back to the same bits. It reads
/// the bytes once, checking the syntax as it goes, and then takes the first of three routes
/// that can decide: Clinger's exact fast path, the Eisel–Lemire algorithm
/// (`NumberParsing+Lemire.swift`), or `strtod` for the rare inputs neither can settle.
package enum NumberParsing {
    /// A decimal or scientific number: optional sign, digits with an optional `.`, optional
    /// exponent (`e`/`E`, optional sign, digits); or `nan`, `inf`, `infinity` in any case, with
    /// an optional sign. No spaces. `nil` when the bytes are not such a number.
    ///
    /// The result is bit-identical to glibc's `strtod`: round to nearest, ties to even;
    /// overflow gives ±infinity, underflow ±0 or the correctly rounded subnormal; `-0` gives
    /// -0.0 and `-nan` a NaN with its sign bit set. "1." and ".5" are numbers; "." and "e5" are not.
    package static func double(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        let count = bytes.count
        guard count > 0, let p = bytes.baseAddress else { return nil }
        var i = 0
        let negative = p[0] == UInt8(ascii: "-")
        if negative || p[0] == UInt8(ascii: "+") { i = 1 }
        guard i < count else { return nil }
        if p[i] &- 48 >= 10, p[i] != UInt8(ascii: ".") {
            return nonFinite(p + i, count: count - i, negative: negative)
        }

        // Digits accumulate with wrapping arithmetic; more than 19 of them are re-read below.
        var w: UInt64 = 0
        let integerStart = i
        while i < count {
            let digit = p[i] &- 48
            guard digit < 10 else { break }
            w = w &* 10 &+ UInt64(digit)
            i += 1
        }
        let integerDigits = i - integerStart
        var fractionDigits = 0
        if i < count, p[i] == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            if count - i >= 8, let chunk = eightDigits(p + i) {
                w = w &* 100_000_000 &+ chunk
                i += 8
            }
            while i < count {
                let digit = p[i] &- 48
                guard digit < 10 else { break }
                w = w &* 10 &+ UInt64(digit)
                i += 1
            }
            fractionDigits = i - fractionStart
        }
        let digits = integerDigits + fractionDigits
        guard digits > 0 else { return nil }
        let significandEnd = i

        var exponent = 0
        if i < count, p[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var exponentNegative = false
            if i < count, p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+") {
                exponentNegative = p[i] == UInt8(ascii: "-")
                i += 1
            }
            let exponentStart = i
            while i < count {
                let digit = p[i] &- 48
                guard digit < 10 else { break }
                // Saturate at 2^40, beyond any field's digit count, so the outcome (zero or
                // infinity) stays the same and e99999999999999999999 cannot overflow an Int.
                if exponent < 1 << 40 { exponent = exponent &* 10 &+ Int(digit) }
                i += 1
            }
            guard i > exponentStart else { return nil }
            if exponentNegative { exponent = -exponent }
        }
        guard i == count else { return nil }

        var q = exponent - fractionDigits
        var truncated = false
        if digits > 19 {
            (w, q, truncated) = leadingDigits(p + integerStart, count: significandEnd - integerStart, exponent: exponent)
        }

        if !truncated {
            if let value = clingerFastPath(w, q) { return negative ? -value : value }
            if let bits = eiselLemire(w, q) { return signed(bits, negative) }
        } else if let bits = eiselLemire(w, q), let above = eiselLemire(w + 1, q), bits == above {
            // The value lies strictly between w and w + 1 times 10^q; both round to the same double.
            return signed(bits, negative)
        }
        return strtodFallback(bytes)
    }

    /// A decimal integer with an optional sign; `nil` when not one or outside `Int64`.
    ///
    /// Leading zeros are allowed ("007"), as are "+0" and "-0" (both 0).
    package static func int64(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        let count = bytes.count
        guard count > 0, let p = bytes.baseAddress else { return nil }
        var i = 0
        let negative = p[0] == UInt8(ascii: "-")
        if negative || p[0] == UInt8(ascii: "+") { i = 1 }
        guard i < count else { return nil }
        let digitsStart = i
        var magnitude: UInt64 = 0
        while i < count {
            let digit = p[i] &- 48
            guard digit < 10 else { return nil }
            magnitude = magnitude &* 10 &+ UInt64(digit)
            i += 1
        }
        // Up to 19 significant digits fit a UInt64 without wrapping (leading zeros add nothing);
        // more are out of range.
        if count - digitsStart > 19 {
            var first = digitsStart
            while first < count, p[first] == UInt8(ascii: "0") { first += 1 }
            guard count - first <= 19 else { return nil }
        }
        if negative {
            guard magnitude <= UInt64(1) << 63 else { return nil }
            return Int64(bitPattern: 0 &- magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    /// The first 19 significant digits of a significand of more than 19 digits (with its `.`, if
    /// any), the decimal exponent that goes with them, and whether a nonzero digit was dropped.
    static func leadingDigits(
        _ p: UnsafePointer<UInt8>, count: Int, exponent: Int
    ) -> (significand: UInt64, exponent: Int, truncated: Bool) {
        var w: UInt64 = 0
        var kept = 0
        var q = exponent
        var afterPoint = false
        var truncated = false
        for j in 0..<count {
            if p[j] == UInt8(ascii: ".") {
                afterPoint = true
                continue
            }
            let digit = p[j] &- 48
            if kept == 0, digit == 0 {
                if afterPoint { q -= 1 }
            } else if kept < 19 {
                w = w * 10 + UInt64(digit)
                kept += 1
                if afterPoint { q -= 1 }
            } else {
                if !afterPoint { q += 1 }
                if digit != 0 { truncated = true }
            }
        }
        return (w, q, truncated)
    }

    /// The value of the eight ASCII digits at `p`, or `nil` if any byte is not a digit. SWAR: all
    /// eight checked and combined in one 64-bit word, pairs then quads then the whole.
    @inline(__always)
    static func eightDigits(_ p: UnsafePointer<UInt8>) -> UInt64? {
        let word = UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
        // Each byte is 0x30...0x39 when its high nibble is 3, and still 3 after adding 6.
        let highNibbles: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
        let threes: UInt64 = 0x3030_3030_3030_3030
        guard word & highNibbles == threes, (word &+ 0x0606_0606_0606_0606) & highNibbles == threes else { return nil }
        // The first digit is the lowest byte; fold neighbours: 10 × earlier + later, at each width.
        var value = word &- threes
        value = (value &* 10 &+ (value &>> 8)) & 0x00FF_00FF_00FF_00FF
        value = (value &* 100 &+ (value &>> 16)) & 0x0000_FFFF_0000_FFFF
        return (value &* 10_000 &+ (value &>> 32)) & 0xFFFF_FFFF
    }

    /// `nan`, `inf` or `infinity` in any case (the sign already read), else `nil`.
    static func nonFinite(_ p: UnsafePointer<UInt8>, count: Int, negative: Bool) -> Double? {
        func matches(_ word: StaticString) -> Bool {
            guard word.utf8CodeUnitCount == count else { return false }
            let letters = word.utf8Start
            for j in 0..<count where p[j] | 0x20 != letters[j] { return false }
            return true
        }
        if matches("nan") { return negative ? -Double.nan : Double.nan }
        if matches("inf") || matches("infinity") { return negative ? -Double.infinity : Double.infinity }
        return nil
    }

    /// The double with these bits (sign clear) and the given sign.
    @inline(__always)
    static func signed(_ bits: UInt64, _ negative: Bool) -> Double {
        Double(bitPattern: negative ? bits | 1 << 63 : bits)
    }

    /// glibc's `strtod` on bytes already known to follow the accepted syntax; exact for any
    /// length and exponent.
    static func strtodFallback(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { buffer in
            guard let start = buffer.baseAddress else { return nil }
            for i in 0..<bytes.count { buffer[i] = CChar(bitPattern: bytes[i]) }
            buffer[bytes.count] = 0
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(start, &end)
            return end == start + bytes.count ? value : nil
        }
    }
}
