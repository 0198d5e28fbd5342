import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Result slots written by concurrent iterations, each iteration to its own index only.
final class ParallelSlots<T>: @unchecked Sendable {
    var values: [T]
    init(repeating v: T, count: Int) { values = [T](repeating: v, count: count) }
    /// Runs `body(i)` for i in 0..<count on all cores and stores its result in slot i.
    static func map(_ count: Int, initial: T, _ body: @Sendable (Int) -> T) -> [T] {
        let slots = ParallelSlots(repeating: initial, count: count)
        slots.values.withUnsafeMutableBufferPointer { buf in
            let base = UnsafeMutablePointerBox(buf.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: count) { i in (base.pointer + i).pointee = body(i) }
        }
        return slots.values
    }
}

struct UnsafeMutablePointerBox<T>: @unchecked Sendable { let pointer: UnsafeMutablePointer<T>; init(_ p: UnsafeMutablePointer<T>) { pointer = p } }

/// log Γ(x) (C library), for Poisson log-likelihood constants.
@inline(__always) func logGamma(_ x: Double) -> Double {
    #if canImport(Glibc)
    return Glibc.lgamma(x)
    #else
    return Foundation.lgamma(x)
    #endif
}
