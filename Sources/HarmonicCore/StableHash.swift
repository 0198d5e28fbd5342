/// FNV-1a 64-bit hash of values, identical on every platform and run (input hashes, stream keys).
public struct StableHash: Sendable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325
    public init() {}
    public mutating func add(_ bytes: some Sequence<UInt8>) {
        for b in bytes { value = (value ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    }
    public mutating func add(_ s: String) { add(s.utf8); add([0xFF]) }
    /// Adds the 8 bytes of a value (all NaNs hash alike); no allocation.
    public mutating func add(_ v: Double) { add64((v.isNaN ? Double.nan : v).bitPattern) }
    public mutating func add(_ v: Int) { add64(UInt64(bitPattern: Int64(v))) }
    mutating func add64(_ x: UInt64) {
        for k in 0..<8 { value = (value ^ ((x >> (8 * UInt64(k))) & 0xFF)) &* 0x0000_0100_0000_01B3 }
    }
    /// The hash of a string with a terminator byte (0xFF), so that ("ab", "c") and ("a", "bc") differ when added in turn.
    public static func of(_ s: String) -> UInt64 { var h = StableHash(); h.add(s); return h.value }
    /// The plain FNV-1a hash of a string's UTF-8 bytes, no terminator: the stream key of synth's named groups (scanners, rooms, sites and eras).
    public static func fnv1a(_ s: String) -> UInt64 { var h = StableHash(); h.add(s.utf8); return h.value }
}
