import Dispatch
import Foundation

/// Rows grouped by a key hash, in bounded memory, to find duplicated keys (`unique`) and keys
/// seen under more than one tag (`leakage`: the tag is the split, or the file).
///
/// Each row is a 32-byte record (key hash, tag, line, byte offset), kept in one of 256
/// partitions by the hash's top byte. While the records fit in `memoryBudget` they stay in
/// memory; past it, every partition is appended to a temporary file of its own, so memory
/// stays bounded whatever the number of rows, and disk use is 32 bytes a row. At the end
/// each partition is sorted on its own (on all cores) and scanned for groups. Keys are
/// compared by their 64-bit `KeyHash` (see there for the odds of a collision).
public final class KeyGroups: @unchecked Sendable {
    /// One row.
    public struct Record: Sendable {
        public var key: UInt64
        public var tag: UInt64
        public var line: Int64
        public var offset: Int64

        public init(key: UInt64, tag: UInt64, line: Int64, offset: Int64) {
            self.key = key
            self.tag = tag
            self.line = line
            self.offset = offset
        }
    }

    /// A row in a finding's sample.
    public struct Row: Sendable, Equatable {
        public var line: Int64
        public var offset: Int64
        public var tag: UInt64
    }

    /// How many rows (or keys) are unexpected, and the first of them by line.
    public struct Finding: Sendable {
        public var count: Int
        public var sample: [Row]
    }

    private static let partitionCount = 256
    private let memoryBudget: Int
    private var buffers: [[Record]]
    private var buffered = 0
    private var files: [URL?]
    private var handles: [FileHandle?]
    private let folder: URL
    public private(set) var rowCount = 0

    /// `memoryBudget` bytes of records are kept in memory before spilling to temporary files.
    public init(memoryBudget: Int = 32 << 20) {
        self.memoryBudget = max(1 << 12, memoryBudget)
        buffers = Array(repeating: [], count: Self.partitionCount)
        files = Array(repeating: nil, count: Self.partitionCount)
        handles = Array(repeating: nil, count: Self.partitionCount)
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("mlrun-keys-\(UUID().uuidString)")
    }

    deinit {
        for handle in handles { try? handle?.close() }
        try? FileManager.default.removeItem(at: folder)
    }

    /// Whether records went to disk.
    public var spilled: Bool { files.contains { $0 != nil } }

    /// Adds one row.
    @inline(__always)
    public func add(key: UInt64, tag: UInt64 = 0, line: Int64, offset: Int64) throws(DataError) {
        buffers[Int(key >> 56)].append(Record(key: key, tag: tag, line: line, offset: offset))
        buffered += 1
        rowCount += 1
        if buffered * MemoryLayout<Record>.stride > memoryBudget { try spill() }
    }

    /// Adds rows, in file order.
    public func add(_ records: [Record]) throws(DataError) {
        var start = 0
        while start < records.count {
            // Up to the budget, then spill, then go on.
            let room = max(1, memoryBudget / MemoryLayout<Record>.stride - buffered)
            let end = min(records.count, start + room)
            buffers.withUnsafeMutableBufferPointer { partitions in
                for index in start..<end {
                    let record = records[index]
                    partitions[Int(record.key >> 56)].append(record)
                }
            }
            buffered += end - start
            rowCount += end - start
            start = end
            if buffered * MemoryLayout<Record>.stride > memoryBudget { try spill() }
        }
    }

    private func spill() throws(DataError) {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for partition in 0..<Self.partitionCount where !buffers[partition].isEmpty {
                if handles[partition] == nil {
                    let url = folder.appendingPathComponent("\(partition).bin")
                    _ = FileManager.default.createFile(atPath: url.path, contents: nil)
                    files[partition] = url
                    handles[partition] = try FileHandle(forWritingTo: url)
                }
                let data = buffers[partition].withUnsafeBytes { Data($0) }
                try handles[partition]?.write(contentsOf: data)
                buffers[partition].removeAll(keepingCapacity: true)
            }
        } catch {
            throw DataError(file: folder.path, "cannot write temporary key file: \(error.localizedDescription)")
        }
        buffered = 0
    }

    /// All records of a partition, in the order they were added (file order).
    private func records(of partition: Int) throws(DataError) -> [Record] {
        var records: [Record] = []
        if let url = files[partition] {
            do {
                let data = try Data(contentsOf: url)
                records = data.withUnsafeBytes { raw in Array(raw.bindMemory(to: Record.self)) }
            } catch {
                throw DataError(file: url.path, "cannot read temporary key file: \(error.localizedDescription)")
            }
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
    private func scan(sampleLimit: Int,
                      _ scanPartition: @Sendable ([Record], Groups) -> (count: Int, rows: [Row])) throws(DataError) -> Finding {
        for handle in handles { try? handle?.synchronize() }
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
        sample.sort { $0.line < $1.line }
        return Finding(count: total, sample: Array(sample.prefix(sampleLimit)))
    }

    /// Rows whose key occurs more than once, all of them counted (pandas'
    /// `duplicated(keep=False)`); the sample is the first rows by line.
    public func duplicates(sampleLimit: Int = 20) throws(DataError) -> Finding {
        try scan(sampleLimit: sampleLimit) { records, groups in
            var count = 0
            var rows: [Row] = []
            for record in records where groups.counts[groups.slot(record.key)] > 1 {
                count += 1
                if rows.count < sampleLimit { rows.append(Row(line: record.line, offset: record.offset, tag: record.tag)) }
            }
            return (count, rows)
        }
    }

    /// Keys that occur under more than one tag, each counted once; the sample holds, for each
    /// such key, its first row under a tag other than `excludingTag` (rows of another file).
    public func keysWithSeveralTags(excludingTag: UInt64? = nil, sampleLimit: Int = 20) throws(DataError) -> Finding {
        try scan(sampleLimit: sampleLimit) { records, groups in
            let count = groups.mixed.reduce(0) { $0 + ($1 ? 1 : 0) }
            var shown = Set<UInt64>()
            var rows: [Row] = []
            for record in records where rows.count < sampleLimit && record.tag != excludingTag {
                let slot = groups.slot(record.key)
                if groups.mixed[slot], shown.insert(record.key).inserted {
                    rows.append(Row(line: record.line, offset: record.offset, tag: record.tag))
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
