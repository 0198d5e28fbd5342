#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// Immutable bytes at a 2 MiB boundary which Linux may back with transparent huge pages
/// (`madvise(MADV_HUGEPAGE)`; elsewhere just aligned memory), for the tracking grid.
///
/// Why: every Woodcock step reads one byte of the voxel grid at an unpredictable place (0.86 MB
/// for the 5-year-old: 219 pages of 4 kB, beyond a core's first-level TLB of 64 entries), so most
/// steps also walked the second-level TLB. On one 2 MB page the grid needs one TLB entry. The
/// bytes are the same: results are bit-identical. Measured: whole-process user time 0.969 of the
/// same binary with the advice off (one thread, 6 × 10⁶ histories; docs/transport-performance.md).
final class HugePageBytes: @unchecked Sendable {   // immutable after init
    private let base: UnsafeMutablePointer<UInt8>
    let count: Int

    init(_ bytes: [UInt8]) {
        let page = 1 << 21
        let size = max((bytes.count + page - 1) / page * page, page)
        var raw: UnsafeMutableRawPointer? = nil
        guard posix_memalign(&raw, page, size) == 0, let raw else { fatalError("out of memory for the tracking grid (\(size) bytes)") }
        #if os(Linux)
        _ = madvise(raw, size, MADV_HUGEPAGE)   // advice only: without it, ordinary pages
        #endif
        let p = raw.bindMemory(to: UInt8.self, capacity: size)
        bytes.withUnsafeBufferPointer { if let b = $0.baseAddress { p.initialize(from: b, count: $0.count) } }
        base = p
        count = bytes.count
    }

    deinit { free(base) }

    /// The bytes; valid while this object lives.
    var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }
}
