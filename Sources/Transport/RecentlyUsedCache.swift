import Foundation

/// A process-wide cache of the few most recently used values: setup that many runs share (a
/// phantom's tracking grid, a skeleton mixture's cross sections, a spongiosa's photoelectron
/// factors) is built once, and a long-running process keeps at most `capacity` of them.
/// Values are built outside the lock, so two threads may build the same one at once; the first
/// stored is kept and returned to both.
final class RecentlyUsedCache<Key: Equatable, Value>: @unchecked Sendable {   // state guarded by `lock`
    let capacity: Int
    private let lock = NSLock()
    private var entries: [(key: Key, value: Value)] = []   // most recently used last

    init(capacity: Int) { self.capacity = capacity }

    /// The value kept for `key`, or `build()`'s, kept from now on.
    func value(for key: Key, build: () -> Value) -> Value {
        lock.lock()
        if let k = entries.firstIndex(where: { $0.key == key }) {
            let entry = entries.remove(at: k)
            entries.append(entry)
            lock.unlock()
            return entry.value
        }
        lock.unlock()
        let built = build()
        lock.lock(); defer { lock.unlock() }
        if let other = entries.first(where: { $0.key == key }) { return other.value }
        entries.append((key, built))
        if entries.count > capacity { entries.removeFirst() }
        return built
    }
}
