/// Escapes text for XML/HTML content and attribute values.
public func escapeMarkup(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.count)
    for c in s {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(c)
        }
    }
    return out
}

/// A short, locale-independent number for labels: 1234567 → "1,234,567", 0.0123 → "0.0123".
public func formatNumber(_ v: Double) -> String {
    guard v.isFinite else { return "–" }
    if v == 0 { return "0" }
    let a = abs(v)
    if a >= 1e15 { return String(format: "%.3g", v) }  // beyond exact integers (and Int): scientific
    if a >= 1000 && v == v.rounded() {
        var digits = String(Int(a)), out = ""
        while digits.count > 3 { out = "," + digits.suffix(3) + out; digits = String(digits.dropLast(3)) }
        return (v < 0 ? "-" : "") + digits + out
    }
    if a >= 100 { return trimmed(v, 0) }
    if a >= 10 { return trimmed(v, 1) }
    if a >= 1 { return trimmed(v, 2) }
    var d = 3, x = a  // three significant digits below 1
    while x < 0.1 && d < 10 { x *= 10; d += 1 }
    return trimmed(v, d)
}

private func trimmed(_ v: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let r = (abs(v) * scale).rounded() / scale
    var intPart = Int(r.rounded(.down))
    var frac = Int(((r - Double(intPart)) * scale).rounded())
    if Double(frac) >= scale { intPart += 1; frac = 0 }
    var s = String(intPart)
    if digits > 0 && frac > 0 {
        var f = String(frac)
        while f.count < digits { f = "0" + f }
        while f.hasSuffix("0") { f.removeLast() }
        s += "." + f
    }
    return (v < 0 && r > 0 ? "-" : "") + s
}

/// A number for SVG coordinates (two decimals, no exponent).
func coord(_ v: Double) -> String { trimmed(v.isFinite ? v : 0, 2) }
