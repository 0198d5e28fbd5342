import Foundation

/// Runs `body(i)` for i in 0..<count on all cores and returns the results in order; each
/// iteration writes only its own slot.
func parallelMap<T>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    let slots = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
    slots.initialize(repeating: nil)
    defer { slots.deallocate() }
    let box = SlotBox(slots)
    DispatchQueue.concurrentPerform(iterations: count) { i in box.slots[i] = body(i) }
    return slots.map { $0! }
}

private struct SlotBox<T>: @unchecked Sendable {
    let slots: UnsafeMutableBufferPointer<T?>
    init(_ s: UnsafeMutableBufferPointer<T?>) { slots = s }
}
