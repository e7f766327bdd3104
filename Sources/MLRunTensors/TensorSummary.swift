import Crypto
import Foundation

/// What the static checks of a tensor need, read in one pass over its bytes: the SHA-256, the
/// first non-finite element, whether all elements are zero, whether all are equal.
///
/// The bytes are read in chunks of about 4 MiB; after each, ``TensorBuffer/doneWith(_:)`` lets
/// the kernel drop the chunk's pages, so summarising a large mapped file keeps little of it
/// resident. Decisions are made on bit patterns:
/// - a float is non-finite when its exponent bits are all ones (F16, BF16, F32, F64, F8_E5M2,
///   and each half of a C64), or it is its format's NaN (F8_E4M3: S.1111.111; the FNUZ
///   formats: 0x80; F8_E8M0: 0xFF). F4 and F6 have no infinities or NaNs; integers and bools
///   are always finite.
/// - an element is zero when all its bits but the sign are zero (so −0.0 is zero); integers
///   and bools when all bits are; F8_E8M0 has no zero; F6 counts as zero only when all its bits
///   are (mlrun does not decode its packing).
/// - elements are equal (``isConstant``) when their bit patterns are equal: +0.0 and −0.0
///   differ, and NaNs with the same bits are equal. F6 elements are compared as 3-byte groups
///   of four.
///
/// A tensor with no elements is all-zero and constant (vacuously) and finite.
package struct TensorSummary: Sendable, Equatable {
    /// The number of elements.
    package let count: Int
    /// SHA-256 of the tensor's bytes as stored (little-endian, C order), in lowercase hex.
    package let sha256: String
    /// The C-order flat index of the first NaN or infinity, or nil when there is none.
    package let firstNonFinite: Int?
    /// Whether every element is zero (±0 for floats).
    package let isAllZero: Bool
    /// Whether every element has the same bit pattern.
    package let isConstant: Bool

    /// Bytes read between two `doneWith` calls: 4 MiB rounded down to a multiple of 24, so a
    /// chunk holds whole elements of every dtype (1, 2, 3-byte F6 groups, 4, 8 bytes).
    package static let chunkSize = (4 << 20) / 24 * 24

    /// Reads `tensor`'s bytes once.
    package init(of tensor: Tensor) {
        let bytes = tensor.bytes
        var hasher = SHA256()
        var scan = ElementScan(dtype: tensor.dtype)
        var start = 0
        while start < bytes.count {
            let end = min(start + Self.chunkSize, bytes.count)
            let chunk = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
            hasher.update(bufferPointer: chunk)
            scan.consume(chunk)
            tensor.buffer.doneWith(tensor.byteRange.lowerBound + start..<tensor.byteRange.lowerBound + end)
            start = end
        }
        count = tensor.count
        sha256 = hasher.finalize().map { String($0 >> 4, radix: 16) + String($0 & 0xF, radix: 16) }.joined()
        firstNonFinite = scan.firstNonFinite
        isAllZero = scan.isAllZero
        isConstant = scan.isConstant
    }

    /// The summaries of `tensors`, in their order, computed on up to `threads` threads (the
    /// largest tensors first, each on one thread).
    package static func summaries(of tensors: [Tensor], threads: Int = ProcessInfo.processInfo.activeProcessorCount) -> [TensorSummary] {
        guard threads > 1, tensors.count > 1 else { return tensors.map { TensorSummary(of: $0) } }
        let order = tensors.indices.sorted { tensors[$0].byteRange.count > tensors[$1].byteRange.count }
        let results = SummarySlots(count: tensors.count)
        let next = NextIndex()
        DispatchQueue.concurrentPerform(iterations: min(threads, tensors.count)) { _ in
            while let position = next.take(below: order.count) {
                let index = order[position]
                results.store(TensorSummary(of: tensors[index]), at: index)
            }
        }
        return results.collect()
    }
}

/// The shared output of ``TensorSummary/summaries(of:threads:)``: each slot written by exactly
/// one thread, read after all have finished.
private final class SummarySlots: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<TensorSummary?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    func store(_ summary: TensorSummary, at index: Int) { slots[index] = summary }

    func collect() -> [TensorSummary] { slots.compactMap { $0 } }
}

/// A counter that hands each index out once, across threads.
private final class NextIndex: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func take(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}
