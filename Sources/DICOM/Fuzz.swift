import HarmonicCore

/// Random mutations of DICOM bytes for robustness tests and the `dicom-fuzz` benchmark:
/// byte flips, length fields set to extremes, truncation, and spliced duplicate ranges.
public enum Fuzz {
    public static func mutate(_ b: inout [UInt8], rng: inout RandomStream) {
        guard !b.isEmpty else { return }
        func index() -> Int { min(b.count - 1, Int(rng.uniform() * Double(b.count))) }
        let kind = Int(rng.uniform() * 5)
        switch kind {
        case 0: // flip a few bytes
            for _ in 0..<(1 + Int(rng.uniform() * 8)) { b[index()] = UInt8(truncatingIfNeeded: Int(rng.uniform() * 256)) }
        case 1: // extreme 32-bit value (lengths)
            let i = index(); let v: [UInt8] = rng.uniform() < 0.5 ? [0xFF, 0xFF, 0xFF, 0xFF] : [0xFE, 0xFF, 0xFF, 0x7F]
            for k in 0..<4 where i + k < b.count { b[i + k] = v[k] }
        case 2: // truncate
            b.removeLast(b.count - index())
        case 3: // extreme 16-bit value
            let i = index(); b[i] = 0xFF; if i + 1 < b.count { b[i + 1] = 0xFF }
        default: // duplicate a range
            let i = index(), n = min(b.count - i, Int(rng.uniform() * 64))
            b.insert(contentsOf: b[i ..< i + n], at: index())
        }
    }

    /// Runs one input through everything a user's command would do with it: parse, dump the
    /// whole tree, and extract dose events where it is a dose report. Returns normally when the
    /// input parsed; throws the reader's `InputError` when it was rejected. Anything else
    /// (a crash, a hang, another error type) is a robustness bug.
    public static func exercise(_ bytes: [UInt8], name: String) throws {
        let file = try DICOMFile(bytes: bytes, name: name)
        _ = DICOMDump.dataSet(file.dataSet)
        _ = try? RadiationDoseReport(file: file)
    }
}
