#if canImport(Glibc)
import Glibc
#endif

/// How freed memory goes back to the system.
package enum FreedMemory {
    /// Keeps up to 64 MB of freed memory in the heap (glibc) instead of handing every freed
    /// multi-megabyte block back to the kernel.
    ///
    /// A pass over a large file allocates a few megabytes of columns per block, and a drift or
    /// quality suite sorts and copies whole columns; by default glibc maps each such block
    /// anew and unmaps it when freed, so every reuse pays page faults again (about 15 % of a
    /// `[[data]]` pass, 10 % of a `[[drift]]` run). Process-wide and idempotent.
    package static func keepInHeap() {
        #if canImport(Glibc)
        // mallopt is not in Swift's Glibc module; glibc's M_TRIM_THRESHOLD is -1, M_MMAP_THRESHOLD -3.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        _ = mallopt(-3, 64 << 20)
        _ = mallopt(-1, 64 << 20)
        #endif
    }
}
