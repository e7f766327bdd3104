/// How two tensors of the same shape differ, element by element.
///
/// Built by ``init(actual:expected:rule:)`` in one pass. Elements compare as `Double`s for
/// readable dtypes; a dtype that is not readable (sub-byte floats, complex) compares its bytes
/// only, and reports no magnitudes.
package struct TensorDifference: Sendable, Equatable {
    /// When two elements count as equal.
    package enum Rule: Sendable, Equatable {
        /// The same bits (so a NaN equals the same NaN, and +0 differs from −0).
        case bitIdentical
        /// `|actual − expected| ≤ atol + rtol × |expected|`, as torch.testing.assert_close
        /// (equal infinities are close; a NaN is never close: equal_nan=False).
        case close(atol: Double, rtol: Double)
    }

    /// Elements that break the rule.
    package var mismatched: Int
    /// The number of elements compared.
    package var count: Int
    /// The largest `|actual − expected|` over all elements (0 when none differ; NaN-free pairs only).
    package var maxAbsDiff: Double
    /// The largest `|actual − expected| / |expected|` over all elements with `expected ≠ 0`.
    package var maxRelDiff: Double
    /// The C-order index of the first mismatched element, if any.
    package var firstMismatch: Int?
    /// The C-order index of the element with the largest absolute difference, if any differ.
    package var worstIndex: Int?

    /// Compares `actual` with `expected`; both must have the same element count, and for
    /// ``Rule/bitIdentical`` the same dtype.
    package init(actual: Tensor, expected: Tensor, rule: Rule) {
        count = min(actual.count, expected.count)
        mismatched = 0
        maxAbsDiff = 0
        maxRelDiff = 0
        let readable = actual.dtype.isReadable && expected.dtype.isReadable
        guard readable else {
            let a = actual.bytes, e = expected.bytes
            if a.count != e.count || !a.elementsEqual(e) {
                mismatched = 1
                firstMismatch = zip(a, e).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            }
            return
        }
        let width = actual.dtype.bitWidth / 8
        let sameBits = actual.dtype == expected.dtype
        let a = actual.bytes, e = expected.bytes
        for index in 0..<count {
            // Both dtypes are readable and `index < count`, so neither is nil.
            let x = actual.double(at: index) ?? .nan
            let y = expected.double(at: index) ?? .nan
            let equal: Bool
            switch rule {
            case .bitIdentical:
                let start = index * width
                equal = sameBits && (start..<start + width).allSatisfy { a[$0] == e[$0] }
            case .close(let atol, let rtol):
                equal = x == y || (x.isFinite && y.isFinite && abs(x - y) <= atol + rtol * abs(y))
            }
            let diff = abs(x - y)
            if !diff.isNaN, diff > maxAbsDiff {
                maxAbsDiff = diff
                worstIndex = index
            }
            if y != 0, !diff.isNaN {
                let relative = diff / abs(y)
                if relative > maxRelDiff { maxRelDiff = relative }
            }
            if !equal {
                mismatched += 1
                if firstMismatch == nil { firstMismatch = index }
                if worstIndex == nil { worstIndex = index }
            }
        }
    }
}
