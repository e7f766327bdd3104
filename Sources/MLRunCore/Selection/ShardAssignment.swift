/// Deals the selected tests out to the shards of `--shard K/N`: every test lands in exactly
/// one shard, the same one on every machine given the same inputs.
///
/// - `hash`: shard = `fnv1a64(utf8(id)) mod N`, plus 1. A test's shard depends on its id
///   alone, so adding or removing other tests never moves it; shard sizes are only
///   balanced on average.
/// - `duration`: greedy longest-processing-time-first (Graham's LPT rule) over all the
///   selected tests: sorted by (duration descending, id ascending), each goes to the shard
///   with the smallest (load, test count, index). A test without a stored duration counts
///   as the median of the stored durations of these tests (1 second when none is stored).
///   With at least N tests no shard is empty, and the longest shard is within 4/3 of the
///   best possible split. Adding a test may move others.
package enum ShardAssignment {
    /// The ids of `ids` that run in shard `spec.index`.
    ///
    /// - Parameter durations: seconds by test id (`suite::name`), as `DurationStore` reads
    ///   them; used by the `duration` strategy only. Negative or non-finite entries count
    ///   as unknown.
    package static func assign(ids: [TestID], spec: ShardSpec, durations: [String: Double]) -> Set<TestID> {
        switch spec.strategy {
        case .hash:
            return Set(ids.filter { hashShard(of: $0, total: spec.total) == spec.index })
        case .duration:
            let shards = durationShards(ids: ids, total: spec.total, durations: durations)
            return Set(ids.filter { shards[$0] == spec.index })
        }
    }

    /// The 1-based shard of every id in `ids` under `strategy`; repeated ids count once.
    package static func shards(ids: [TestID], total: Int, strategy: ShardStrategy, durations: [String: Double]) -> [TestID: Int] {
        switch strategy {
        case .hash:
            var shards: [TestID: Int] = [:]
            for id in ids { shards[id] = hashShard(of: id, total: total) }
            return shards
        case .duration:
            return durationShards(ids: ids, total: total, durations: durations)
        }
    }

    /// The 1-based hash shard of `id` among `total` shards; 1 when `total` is less than 2.
    package static func hashShard(of id: TestID, total: Int) -> Int {
        guard total > 1 else { return 1 }
        return Int(Seeds.fnv1a64(id.description) % UInt64(total)) + 1
    }

    /// The 1-based duration-balanced shard of every id (see the type's documentation).
    static func durationShards(ids: [TestID], total: Int, durations: [String: Double]) -> [TestID: Int] {
        let unique = Array(Set(ids))
        guard total > 1 else { return Dictionary(uniqueKeysWithValues: unique.map { ($0, 1) }) }

        var known: [TestID: Double] = [:]
        for id in unique {
            if let seconds = durations[id.description], seconds.isFinite, seconds >= 0 { known[id] = seconds }
        }
        let fallback = median(Array(known.values)) ?? 1.0
        let jobs =
            unique
            .map { (id: $0, seconds: known[$0] ?? fallback) }
            .sorted { $0.seconds != $1.seconds ? $0.seconds > $1.seconds : $0.id < $1.id }

        var load = [Double](repeating: 0, count: total)
        var count = [Int](repeating: 0, count: total)
        var shards: [TestID: Int] = [:]
        shards.reserveCapacity(jobs.count)
        for job in jobs {
            // The least-loaded shard; ties go to the one with fewer tests, then the lower index,
            // so all-zero or all-unknown durations deal tests out round-robin.
            var best = 0
            for shard in 1..<total where (load[shard], count[shard]) < (load[best], count[best]) {
                best = shard
            }
            load[best] += job.seconds
            count[best] += 1
            shards[job.id] = best + 1
        }
        return shards
    }

    /// The median of `values` (the mean of the middle two for an even count); nil when empty.
    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count.isMultiple(of: 2) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
    }
}
