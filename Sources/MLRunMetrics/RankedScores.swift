import Dispatch
import Foundation

/// One binary ranking problem with its scores sorted: the positives' and the negatives' scores
/// apart, each ascending, read as cumulative (tp, fp) counts at every distinct threshold.
///
/// This is sklearn's `_binary_clf_curve` (the basis of `roc_curve` and
/// `precision_recall_curve`): rows sorted by descending score, one curve point per distinct
/// score value, so tied scores move tp and fp together. Sorting is the only super-linear step.
struct RankedScores {
    /// How the ranking is held.
    private enum Storage {
        /// Sort keys (`RadixSort.key`) of the positive and of the negative rows' scores, each
        /// ascending.
        case sorted(positives: [UInt64], negatives: [UInt64])
        /// The distinct keys ascending, with how many positive and negative rows have each:
        /// for heavily tied scores (rounded probabilities, tree ensembles with few leaves),
        /// counted in one hashed pass instead of sorted.
        case counted(keys: [UInt64], positives: [Int], negatives: [Int])
    }

    private let storage: Storage
    /// The number of positive rows.
    let positiveCount: Int
    /// The number of negative rows.
    let negativeCount: Int

    /// At most this many distinct scores are counted rather than sorted.
    static let countedDistinctLimit = 1 << 16

    /// Splits `scores[offset + i * stride]` by whether `labels[i] == positive`, then sorts (or,
    /// with at most `distinctLimit` distinct scores among 4,096 rows or more, counts).
    ///
    /// The stride reads one column of a row-major probability matrix in place.
    init(
        scores: UnsafeBufferPointer<Double>, stride: Int = 1, offset: Int = 0,
        labels: UnsafeBufferPointer<Int32>, positive: Int32, distinctLimit: Int = countedDistinctLimit
    ) {
        let n = labels.count
        if n >= 4096,
            let counted = Self.count(scores: scores, stride: stride, offset: offset, labels: labels, positive: positive, limit: distinctLimit)
        {
            storage = counted.storage
            positiveCount = counted.positives
            negativeCount = n - counted.positives
            return
        }
        var positiveCount = 0
        for label in labels where label == positive { positiveCount += 1 }
        var positives = [UInt64](repeating: 0, count: positiveCount)
        var negatives = [UInt64](repeating: 0, count: n - positiveCount)
        positives.withUnsafeMutableBufferPointer { pos in
            negatives.withUnsafeMutableBufferPointer { neg in
                var p = 0, q = 0
                for i in 0..<n {
                    let key = RadixSort.key(scores[offset &+ i &* stride])
                    if labels[i] == positive { pos[p] = key; p &+= 1 } else { neg[q] = key; q &+= 1 }
                }
            }
        }
        if n >= 1 << 20 {
            // Two independent sorts of millions of keys: the negatives on a thread of their own.
            let halves = SortSlots(positives: positives, negatives: negatives)
            positives = []
            negatives = []
            let done = DispatchSemaphore(value: 0)
            let thread = Thread {
                halves.sort(1)
                done.signal()
            }
            thread.start()
            halves.sort(0)
            done.wait()
            storage = .sorted(positives: halves.positives, negatives: halves.negatives)
        } else {
            RadixSort.sort(&positives)
            RadixSort.sort(&negatives)
            storage = .sorted(positives: positives, negatives: negatives)
        }
        self.positiveCount = positiveCount
        self.negativeCount = n - positiveCount
    }

    /// Counts rows per distinct key in an open-addressing table (key 0 marks an empty slot:
    /// no finite double has it); nil as soon as there are more than `limit` distinct keys.
    private static func count(
        scores: UnsafeBufferPointer<Double>, stride: Int, offset: Int, labels: UnsafeBufferPointer<Int32>,
        positive: Int32, limit: Int
    ) -> (storage: Storage, positives: Int)? {
        var bits = 4
        while (1 << bits) < 2 * limit { bits += 1 }
        let size = 1 << bits, mask = size - 1
        var table = [UInt64](repeating: 0, count: size)
        var positiveCounts = [Int](repeating: 0, count: size)
        var negativeCounts = [Int](repeating: 0, count: size)
        var distinct = 0
        let complete: Bool = table.withUnsafeMutableBufferPointer { t in
            positiveCounts.withUnsafeMutableBufferPointer { pc in
                negativeCounts.withUnsafeMutableBufferPointer { nc in
                    var lastKey: UInt64 = 0, lastSlot = 0
                    for i in 0..<labels.count {
                        let key = RadixSort.key(scores[offset &+ i &* stride])
                        var slot: Int
                        if key == lastKey {
                            slot = lastSlot
                        } else {
                            // Fibonacci hashing of the key's bits.
                            slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - bits))
                            while t[slot] != key && t[slot] != 0 { slot = (slot &+ 1) & mask }
                            if t[slot] == 0 {
                                distinct &+= 1
                                if distinct > limit { return false }
                                t[slot] = key
                            }
                            lastKey = key
                            lastSlot = slot
                        }
                        if labels[i] == positive { pc[slot] &+= 1 } else { nc[slot] &+= 1 }
                    }
                    return true
                }
            }
        }
        guard complete else { return nil }
        let occupied = (0..<size).filter { table[$0] != 0 }.sorted { table[$0] < table[$1] }
        let positives = occupied.map { positiveCounts[$0] }
        return (
            .counted(keys: occupied.map { table[$0] }, positives: positives, negatives: occupied.map { negativeCounts[$0] }),
            positives.reduce(0, +)
        )
    }

    /// Calls `body(tp, fp)` once per distinct score, highest first, with the numbers of positive
    /// and negative rows scoring at least that much.
    func forEachThreshold(_ body: (_ tp: Int, _ fp: Int) -> Void) {
        switch storage {
        case .counted(let keys, let positives, let negatives):
            var tp = 0, fp = 0
            for index in stride(from: keys.count - 1, through: 0, by: -1) {
                tp &+= positives[index]
                fp &+= negatives[index]
                body(tp, fp)
            }
        case .sorted(let positives, let negatives):
            positives.withUnsafeBufferPointer { pos in
                negatives.withUnsafeBufferPointer { neg in
                    var i = pos.count, j = neg.count
                    var tp = 0, fp = 0
                    while i > 0 || j > 0 {
                        let top: UInt64
                        if i == 0 { top = neg[j - 1] } else if j == 0 { top = pos[i - 1] } else { top = max(pos[i - 1], neg[j - 1]) }
                        while i > 0 && pos[i - 1] == top { tp &+= 1; i &-= 1 }
                        while j > 0 && neg[j - 1] == top { fp &+= 1; j &-= 1 }
                        body(tp, fp)
                    }
                }
            }
        }
    }

    /// The area under the ROC curve; needs at least one positive and one negative.
    ///
    /// Trapezoids over the points (fp/N, tp/P) at every distinct threshold from (0, 0), as
    /// sklearn's `roc_curve` + `auc`; this equals the Mann–Whitney U with midranks for ties
    /// divided by P·N. The sum 2U = Σ Δfp·(tp + tp_prev) is kept in integers, so it is exact.
    var rocArea: Double {
        var twiceU = 0
        var previousTP = 0, previousFP = 0
        forEachThreshold { tp, fp in
            twiceU += (fp - previousFP) * (tp + previousTP)
            previousTP = tp
            previousFP = fp
        }
        return Double(twiceU) / (2.0 * Double(positiveCount) * Double(negativeCount))
    }

    /// Average precision; needs at least one positive.
    ///
    /// sklearn's step-wise AP, no interpolation: Σₙ (Rₙ − Rₙ₋₁)·Pₙ over the distinct thresholds,
    /// with Rₙ = tp/P and Pₙ = tp/(tp + fp).
    var averagePrecision: Double {
        var sum = 0.0
        var previousTP = 0
        forEachThreshold { tp, fp in
            if tp != previousTP {
                sum += Double(tp - previousTP) * (Double(tp) / Double(tp + fp))
                previousTP = tp
            }
        }
        return sum / Double(positiveCount)
    }
}

/// The two arrays `RankedScores` sorts at once, each touched by one iteration only.
private final class SortSlots: @unchecked Sendable {
    var positives: [UInt64]
    var negatives: [UInt64]

    init(positives: [UInt64], negatives: [UInt64]) {
        self.positives = positives
        self.negatives = negatives
    }

    func sort(_ half: Int) {
        if half == 0 { RadixSort.sort(&positives) } else { RadixSort.sort(&negatives) }
    }
}

/// Rankings already sorted for one `Classification`, shared by the metrics that read them.
final class RankingCache: @unchecked Sendable {
    struct Key: Hashable {
        var stride: Int
        var offset: Int
        var positive: Int
    }

    private let lock = NSLock()
    private var rankings: [Key: RankedScores] = [:]

    /// The ranking for `key`, made by `make` on first use (callers for the same key wait for it).
    func value(for key: Key, _ make: () -> RankedScores) -> RankedScores {
        lock.lock()
        defer { lock.unlock() }
        if let ranking = rankings[key] { return ranking }
        let ranking = make()
        rankings[key] = ranking
        return ranking
    }
}
