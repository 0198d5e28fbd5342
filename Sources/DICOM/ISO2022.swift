import Foundation

/// ISO 2022 code extensions of DICOM (PS3.3 C.12.1.1.2, PS3.5 §6.1.2.5): G0 starts as ASCII
/// (ISO-IR 6) and G1 as the first value of Specific Character Set; escape sequences in a value
/// switch G0 or G1. Decoded: ISO-IR 6 (`ESC ( B`), JIS X 0201 Romaji (`ESC ( J`, as ASCII),
/// JIS X 0201 Katakana (IR 13, `ESC ) I`), JIS X 0208 Kanji (IR 87, `ESC $ B`) and Latin-1
/// (IR 100, `ESC - A`). Other designated sets (IR 149 Korean, IR 159, IR 58 …) give U+FFFD per
/// character, never an error.
struct ISO2022Decoder {
    enum G0 { case ascii, jisX0208, unsupportedDoubleByte }
    enum G1 { case none, latin1, katakana, unsupported }

    let initialG1: G1

    /// `terms`: the values of Specific Character Set (e.g. ["", "ISO 2022 IR 87"]).
    init(terms: [String]) {
        switch terms.first?.trimmingCharacters(in: .whitespaces) ?? "" {
        case "ISO 2022 IR 100": initialG1 = .latin1
        case "ISO 2022 IR 13": initialG1 = .katakana
        case "", "ISO 2022 IR 6": initialG1 = .none
        default: initialG1 = .unsupported
        }
    }

    func decode(_ bytes: UnsafeRawBufferPointer) -> String {
        var out = String.UnicodeScalarView()
        var g0 = G0.ascii, g1 = initialG1
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b == 0x1B {
                // ESC I [I] F: intermediates 0x20-0x2F, final 0x30-0x7E.
                var j = i + 1
                while j < n, (0x20...0x2F).contains(bytes[j]) { j += 1 }
                guard j < n else { break }
                let seq = Array(bytes[(i + 1)..<j]) + [bytes[j]]
                switch seq {
                case [0x28, 0x42], [0x28, 0x4A]: g0 = .ascii                 // ESC ( B, ESC ( J
                case [0x24, 0x42], [0x24, 0x40]: g0 = .jisX0208              // ESC $ B (and 1978 ESC $ @)
                case [0x24, 0x28, 0x44]: g0 = .unsupportedDoubleByte         // ESC $ ( D  JIS X 0212
                case [0x29, 0x49]: g1 = .katakana                            // ESC ) I
                case [0x2D, 0x41]: g1 = .latin1                              // ESC - A
                default: g1 = .unsupported                                   // e.g. ESC $ ) C (IR 149), ESC - F
                }
                i = j + 1
                continue
            }
            if b < 0x80 {
                switch g0 {
                case .ascii:
                    out.append(Unicode.Scalar(b)); i += 1
                case .jisX0208, .unsupportedDoubleByte:
                    // Control characters and space stay single bytes; graphic bytes come in pairs.
                    if b <= 0x20 || b == 0x7F || i + 1 >= n || bytes[i + 1] < 0x21 || bytes[i + 1] > 0x7E {
                        out.append(b <= 0x20 ? Unicode.Scalar(b) : "\u{FFFD}"); i += 1; continue
                    }
                    let code = g0 == .jisX0208 ? JISX0208.unicode[(Int(b) - 0x21) * 94 + Int(bytes[i + 1]) - 0x21] : 0
                    out.append(code == 0 ? "\u{FFFD}" : Unicode.Scalar(code) ?? "\u{FFFD}")
                    i += 2
                }
                continue
            }
            switch g1 {
            case .latin1 where b >= 0xA0: out.append(Unicode.Scalar(b))
            case .katakana where (0xA1...0xDF).contains(b): out.append(Unicode.Scalar(0xFF61 + UInt32(b) - 0xA1)!)
            default: out.append("\u{FFFD}")
            }
            i += 1
        }
        return String(out)
    }
}
