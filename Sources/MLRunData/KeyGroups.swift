import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Rows grouped by a key hash, in bounded memory, to find duplicated keys (`unique`) and keys
/// seen under more than one tag (`leakage`: the tag is the split, or the file).
///
/// Each row is a 24-byte record (key hash, tag, the byte offset where the row starts; the
/// line is worked out from the offset for the few rows a sample shows), kept in one of 256
/// partitions by the hash's top byte. While the records fit in `memoryBudget` they stay in
/// memory; past it, every partition is appended to a temporary file of its own, so memory
/// stays bounded whatever the number of rows, and disk use is 24 bytes a row. At the end
/// each partition is sorted on its own (on all cores) and scanned for groups. Keys are
/// compared by their 64-bit `KeyHash` (see there for the odds of a collision).
package final class KeyGroups: @unchecked Sendable {
    /// One row.
    package struct Record: Sendable {
        package var key: UInt64
        package var tag: UInt64
        /// Where the row starts in its file (rows are added in file order).
        package var offset: Int64

        package init(key: UInt64, tag: UInt64, offset: Int64) {
            self.key = key
            self.tag = tag
            self.offset = offset
        }
    }

    /// A row in a finding's sample.
    package struct Row: Sendable, Equatable {
        package var offset: Int64
        package var tag: UInt64
    }

    /// How many rows (or keys) are unexpected, and the first of them in the file.
    package struct Finding: Sendable {
        package var count: Int
        package var sample: [Row]
    }

    private static let partitionCount = 256
    private let memoryBudget: Int
    private var buffers: [[Record]]
    private var buffered = 0
    /// Per partition: its temporary file (-1 while none) and how many records it holds.
    private var descriptors: [Int32]
    private var spilledCounts: [Int]
    private let folder: URL
    package private(set) var rowCount = 0

    /// `memoryBudget` bytes of records are kept in memory before spilling to temporary files.
    package init(memoryBudget: Int = 32 << 20) {
        self.memoryBudget = max(1 << 12, memoryBudget)
        buffers = Array(repeating: [], count: Self.partitionCount)
        descriptors = Array(repeating: -1, count: Self.partitionCount)
        spilledCounts = Array(repeating: 0, count: Self.partitionCount)
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("mlrun-keys-\(UUID().uuidString)")
    }

    deinit {
        for descriptor in descriptors where descriptor >= 0 { close(descriptor) }
        try? FileManager.default.removeItem(at: folder)
    }

    /// Whether records went to disk.
    package var spilled: Bool { descriptors.contains { $0 >= 0 } }

    /// Records grouped by partition (a counting sort, file order kept inside each), made on the
    /// examining threads so that adding them is one bulk copy per partition.
    package struct Partitioned: Sendable {
        var records: [Record]
        /// Partition p's records are `records[starts[p]..<starts[p + 1]]`.
        var starts: [Int]
    }

    /// Groups `records` (in file order) by partition.
    package static func partitioned(_ records: [Record]) -> Partitioned {
        var starts = [Int](repeating: 0, count: partitionCount + 1)
        for record in records { starts[Int(record.key >> 56) + 1] += 1 }
        for p in 0..<partitionCount { starts[p + 1] += starts[p] }
        var next = starts
        var sorted = [Record](repeating: Record(key: 0, tag: 0, offset: 0), count: records.count)
        sorted.withUnsafeMutableBufferPointer { out in
            for record in records {
                let p = Int(record.key >> 56)
                out[next[p]] = record
                next[p] += 1
            }
        }
        return Partitioned(records: sorted, starts: starts)
    }

    /// Adds rows, in file order.
    package func add(_ records: [Record]) throws(DataError) {
        try add(Self.partitioned(records))
    }

    /// Adds rows grouped by `partitioned(_:)`, in file order.
    package func add(_ group: Partitioned) throws(DataError) {
        for p in 0..<Self.partitionCount where group.starts[p + 1] > group.starts[p] {
            buffers[p].append(contentsOf: group.records[group.starts[p]..<group.starts[p + 1]])
        }
        buffered += group.records.count
        rowCount += group.records.count
        if buffered * MemoryLayout<Record>.stride > memoryBudget { try spill() }
    }

    private func spill() throws(DataError) {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw DataError(file: folder.path, "cannot make a temporary folder: \(error.localizedDescription)")
        }
        for partition in 0..<Self.partitionCount where !buffers[partition].isEmpty {
            if descriptors[partition] < 0 {
                let path = folder.appendingPathComponent("\(partition).bin").path
                descriptors[partition] = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
                guard descriptors[partition] >= 0 else {
                    throw DataError(file: path, "cannot write temporary key file: \(String(cString: strerror(errno)))")
                }
            }
            let ok = buffers[partition].withUnsafeBytes { bytes in Self.writeAll(descriptors[partition], bytes) }
            guard ok else {
                throw DataError(file: folder.path, "cannot write temporary key file: \(String(cString: strerror(errno)))")
            }
            spilledCounts[partition] += buffers[partition].count
            buffers[partition].removeAll(keepingCapacity: true)
        }
        buffered = 0
    }

    private static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var done = 0
        while done < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + done, bytes.count - done)
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            done += written
        }
        return true
    }

    /// All records of a partition, in the order they were added (file order).
    private func records(of partition: Int) throws(DataError) -> [Record] {
        let spilledCount = spilledCounts[partition]
        var records = [Record](repeating: Record(key: 0, tag: 0, offset: 0), count: spilledCount)
        if spilledCount > 0 {
            let ok = records.withUnsafeMutableBytes { bytes -> Bool in
                var done = 0
                while done < bytes.count {
                    let got = pread(descriptors[partition], bytes.baseAddress! + done, bytes.count - done, off_t(done))
                    if got < 0 && errno == EINTR { continue }
                    if got <= 0 { return false }
                    done += got
                }
                return true
            }
            guard ok else { throw DataError(file: folder.path, "cannot read temporary key file back") }
        }
        return records + buffers[partition]
    }

    /// Per key of one partition: how many rows, and whether they carry different tags. An
    /// open-addressing table (the keys are hashes already), linear probing.
    private struct Groups {
        var mask: Int
        var keys: [UInt64]
        var counts: [Int32]
        var firstTags: [UInt64]
        var mixed: [Bool]

        init(_ records: [Record]) {
            var capacity = 16
            while capacity < records.count * 2 { capacity <<= 1 }
            mask = capacity - 1
            keys = Array(repeating: 0, count: capacity)
            counts = Array(repeating: 0, count: capacity)
            firstTags = Array(repeating: 0, count: capacity)
            mixed = Array(repeating: false, count: capacity)
            for record in records {
                let slot = self.slot(record.key)
                if counts[slot] == 0 {
                    keys[slot] = record.key
                    firstTags[slot] = record.tag
                } else if firstTags[slot] != record.tag {
                    mixed[slot] = true
                }
                counts[slot] &+= 1
            }
        }

        /// The slot holding `key`, or the empty one where it belongs.
        @inline(__always)
        func slot(_ key: UInt64) -> Int {
            var slot = Int(truncatingIfNeeded: key ^ (key >> 29)) & mask
            while counts[slot] != 0 && keys[slot] != key { slot = (slot + 1) & mask }
            return slot
        }
    }

    /// Runs `scanPartition` on every partition (on all cores) and merges the findings.
    private func scan(
        sampleLimit: Int,
        _ scanPartition: @Sendable ([Record], Groups) -> (count: Int, rows: [Row])
    ) throws(DataError) -> Finding {
        let results = ResultSlots(count: Self.partitionCount)
        DispatchQueue.concurrentPerform(iterations: Self.partitionCount) { partition in
            do throws(DataError) {
                let records = try self.records(of: partition)
                guard !records.isEmpty else { return }
                let found = scanPartition(records, Groups(records))
                results.set(partition, .success((found.count, Array(found.rows.prefix(sampleLimit)))))
            } catch {
                results.set(partition, .failure(error))
            }
        }
        var total = 0
        var sample: [Row] = []
        for result in results.values {
            switch result {
            case .success(let found):
                total += found.0
                sample += found.1
            case .failure(let error):
                throw error
            case nil:
                break
            }
        }
        sample.sort { $0.offset < $1.offset }
        return Finding(count: total, sample: Array(sample.prefix(sampleLimit)))
    }

    /// Rows whose key occurs more than once, all of them counted (pandas'
    /// `duplicated(keep=False)`); the sample is the first rows in the file.
    package func duplicates(sampleLimit: Int = 20) throws(DataError) -> Finding {
        try scan(sampleLimit: sampleLimit) { records, groups in
            var count = 0
            var rows: [Row] = []
            for record in records where groups.counts[groups.slot(record.key)] > 1 {
                count += 1
                if rows.count < sampleLimit { rows.append(Row(offset: record.offset, tag: record.tag)) }
            }
            return (count, rows)
        }
    }

    /// Keys that occur under more than one tag, each counted once; the sample holds, for each
    /// such key, its first row under a tag other than `excludingTag` (rows of another file).
    package func keysWithSeveralTags(excludingTag: UInt64? = nil, sampleLimit: Int = 20) throws(DataError) -> Finding {
        try scan(sampleLimit: sampleLimit) { records, groups in
            let count = groups.mixed.reduce(0) { $0 + ($1 ? 1 : 0) }
            var shown = Set<UInt64>()
            var rows: [Row] = []
            for record in records where rows.count < sampleLimit && record.tag != excludingTag {
                let slot = groups.slot(record.key)
                if groups.mixed[slot], shown.insert(record.key).inserted {
                    rows.append(Row(offset: record.offset, tag: record.tag))
                }
            }
            return (count, rows)
        }
    }
}

/// One result slot per partition, each written by one thread of `concurrentPerform` and read
/// after it returns.
private final class ResultSlots: @unchecked Sendable {
    private(set) var values: [Result<(Int, [KeyGroups.Row]), DataError>?]
    private let lock = NSLock()

    init(count: Int) { values = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Result<(Int, [KeyGroups.Row]), DataError>) {
        lock.lock()
        values[index] = value
        lock.unlock()
    }
}
