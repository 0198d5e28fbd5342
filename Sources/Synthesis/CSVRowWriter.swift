import HarmonicCore

/// Appends CSV fields to a contiguous byte buffer without per-field allocation: the hot
/// path of `harmonic synth`, which writes millions of irradiation-event rows.
struct CSVRowWriter {
    var bytes: [UInt8] = []
    /// Rows completed so far (the header is not in this buffer).
    var rowCount = 0
    private var fieldsInRow = 0

    init(reservingCapacity n: Int = 0) { bytes.reserveCapacity(n) }

    mutating func separator() {
        if fieldsInRow > 0 { bytes.append(UInt8(ascii: ",")) }
        fieldsInRow += 1
    }
    mutating func text(_ s: String) {
        separator()
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
    }
    mutating func empty() { separator() }
    mutating func int(_ v: Int) {
        separator()
        appendInt(v)
    }
    /// A decimal with exactly `digits` digits after the point (rounded half away from zero).
    mutating func decimal(_ v: Double, _ digits: Int) {
        separator()
        appendDecimal(v, digits)
    }
    mutating func date(_ d: CalendarDate) {
        separator()
        appendDate(d)
    }
    /// `YYYY-MM-DDTHH:MM:SS`.
    mutating func dateTime(_ d: CalendarDate, secondOfDay: Int) {
        separator()
        appendDate(d)
        bytes.append(UInt8(ascii: "T"))
        let s = max(0, min(86_399, secondOfDay))
        two(s / 3600); bytes.append(UInt8(ascii: ":")); two(s / 60 % 60); bytes.append(UInt8(ascii: ":")); two(s % 60)
    }
    mutating func endRow() {
        bytes.append(UInt8(ascii: "\n"))
        fieldsInRow = 0
        rowCount += 1
    }

    private mutating func two(_ v: Int) {
        bytes.append(UInt8(48 + v / 10)); bytes.append(UInt8(48 + v % 10))
    }
    private mutating func appendDate(_ d: CalendarDate) {
        appendInt(d.year); bytes.append(UInt8(ascii: "-")); two(d.month)
        if d.precision == .day { bytes.append(UInt8(ascii: "-")); two(d.day) }
    }
    mutating func appendInt(_ v: Int) {
        if v < 0 { bytes.append(UInt8(ascii: "-")); appendInt(-v); return }
        if v < 10 { bytes.append(UInt8(48 + v)); return }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0, x = v
        withUnsafeMutableBytes(of: &digits) { buf in
            while x > 0 { buf[n] = UInt8(48 + x % 10); x /= 10; n += 1 }
            for i in stride(from: n - 1, through: 0, by: -1) { bytes.append(buf[i]) }
        }
    }
    mutating func appendDecimal(_ v: Double, _ digits: Int) {
        guard v.isFinite else { bytes.append(contentsOf: Array("nan".utf8)); return }
        var scale = 1
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(v) * Double(scale)).rounded()
        guard scaled < 9e17 else { appendInt(Int(v.rounded())); return }
        let n = Int(scaled)
        if v < 0 && n != 0 { bytes.append(UInt8(ascii: "-")) }
        appendInt(n / scale)
        if digits > 0 {
            bytes.append(UInt8(ascii: "."))
            var frac = n % scale, div = scale / 10
            while div > 0 { bytes.append(UInt8(48 + frac / div)); frac %= div; div /= 10 }
        }
    }
}

extension CSVRowWriter {
    /// A field `base` + `suffix` + `n` (e.g. `BE-C000123-P2-E17`) without building a String.
    mutating func id(_ base: String, _ suffix: StaticString, _ n: Int) {
        separator()
        var b = base
        b.withUTF8 { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: UnsafeBufferPointer(start: suffix.utf8Start, count: suffix.utf8CodeUnitCount))
        appendInt(n)
    }
}
