/// A DICOM attribute tag (group, element) packed as `group << 16 | element`.
public struct Tag: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let raw: UInt32
    public init(_ raw: UInt32) { self.raw = raw }
    public init(group: UInt16, element: UInt16) { raw = UInt32(group) << 16 | UInt32(element) }
    public var group: UInt16 { UInt16(raw >> 16) }
    public var element: UInt16 { UInt16(raw & 0xFFFF) }
    /// Odd groups are private (PS3.5 §7.8).
    public var isPrivate: Bool { group & 1 == 1 }
    public static func < (a: Tag, b: Tag) -> Bool { a.raw < b.raw }
    /// "(gggg,eeee)" as in dcmdump.
    public var description: String {
        let h = String(raw, radix: 16, uppercase: true)
        let p = String(repeating: "0", count: 8 - h.count) + h
        return "(\(p.prefix(4)),\(p.suffix(4)))"
    }
    /// The keyword from the data dictionary, if the tag is a public one we know.
    public var keyword: String? { DataDictionary.entry(self)?.keyword }

    public static let item = Tag(0xFFFE_E000)
    public static let itemDelimitation = Tag(0xFFFE_E00D)
    public static let sequenceDelimitation = Tag(0xFFFE_E0DD)
    public static let transferSyntaxUID = Tag(0x0002_0010)
    public static let specificCharacterSet = Tag(0x0008_0005)
    public static let sopClassUID = Tag(0x0008_0016)
    public static let sopInstanceUID = Tag(0x0008_0018)
    public static let modality = Tag(0x0008_0060)
    public static let manufacturer = Tag(0x0008_0070)
    public static let manufacturerModelName = Tag(0x0008_1090)
    public static let patientName = Tag(0x0010_0010)
    public static let patientID = Tag(0x0010_0020)
    public static let studyInstanceUID = Tag(0x0020_000D)
    public static let pixelData = Tag(0x7FE0_0010)
}

/// Value representation (PS3.5 §6.2), two ASCII letters packed big-endian into a UInt16.
public struct VR: Hashable, Sendable, CustomStringConvertible {
    public let code: UInt16
    public init(code: UInt16) { self.code = code }
    public init?(_ text: some StringProtocol) {
        let u = Array(text.utf8)
        guard u.count == 2 else { return nil }
        code = UInt16(u[0]) << 8 | UInt16(u[1])
    }
    public var description: String {
        String(decoding: [UInt8(code >> 8), UInt8(code & 0xFF)], as: UTF8.self)
    }
    /// Explicit VR with a 2-byte reserved field and 4-byte length (PS3.5 Table 7.1-1).
    var hasLongLength: Bool {
        switch self {
        case .OB, .OD, .OF, .OL, .OV, .OW, .SQ, .SV, .UC, .UN, .UR, .UT, .UV: true
        default: false
        }
    }
    /// Known VR letters; anything else in an explicit VR stream is an error.
    var isKnown: Bool { VR.all.contains(self) }
    var isString: Bool {
        switch self {
        case .AE, .AS, .CS, .DA, .DS, .DT, .IS, .LO, .LT, .PN, .SH, .ST, .TM, .UC, .UI, .UR, .UT: true
        default: false
        }
    }

    public static let AE = VR("AE")!, AS = VR("AS")!, AT = VR("AT")!, CS = VR("CS")!, DA = VR("DA")!
    public static let DS = VR("DS")!, DT = VR("DT")!, FD = VR("FD")!, FL = VR("FL")!, IS = VR("IS")!
    public static let LO = VR("LO")!, LT = VR("LT")!, OB = VR("OB")!, OD = VR("OD")!, OF = VR("OF")!
    public static let OL = VR("OL")!, OV = VR("OV")!, OW = VR("OW")!, PN = VR("PN")!, SH = VR("SH")!
    public static let SL = VR("SL")!, SQ = VR("SQ")!, SS = VR("SS")!, ST = VR("ST")!, SV = VR("SV")!
    public static let TM = VR("TM")!, UC = VR("UC")!, UI = VR("UI")!, UL = VR("UL")!, UN = VR("UN")!
    public static let UR = VR("UR")!, US = VR("US")!, UT = VR("UT")!, UV = VR("UV")!
    /// Dictionary placeholders for "US or SS" and "OB or OW", resolved while reading implicit VR.
    static let ambiguousUSSS = VR("xs")!, ambiguousOBOW = VR("ox")!
    static let all: Set<VR> = [AE, AS, AT, CS, DA, DS, DT, FD, FL, IS, LO, LT, OB, OD, OF, OL, OV, OW,
                               PN, SH, SL, SQ, SS, ST, SV, TM, UC, UI, UL, UN, UR, US, UT, UV]
}
