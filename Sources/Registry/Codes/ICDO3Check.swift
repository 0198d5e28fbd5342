/// Checks of ICD-O-3 codes whose rejection reasons say what is wrong and how to fix it.
/// Topography: the WHO ICD-O-3 list (`ICDO3Topography`). Morphology: a histology code of
/// ICD-O-3 or ICD-O-3.2 (`ICDO3Histology`) and a behaviour digit of the ICD-O-3 behaviour code
/// (WHO ICD-O-3, 2000, "5th digit behavior code"); any histology may take any behaviour digit
/// (ICD-O-3 coding rule F, the behaviour code matrix).
enum ICDO3Check {
    /// ICD-10 categories that have no ICD-O-3 topography, with where ICD-O-3 codes their tumours
    /// instead (ICD-O-3 introduction, "Differences between ICD-O and ICD-10"; SEER training,
    /// coding primary site, unit 2, table 5).
    static let icd10Only: [(sites: ClosedRange<Int>, hint: String)] = [
        (43...43, "C43 is the ICD-10 category for melanoma of skin: code the skin site C44.x with a melanoma morphology (8720-8790)"),
        (45...46, "C45-C46 are ICD-10 categories for mesothelioma and Kaposi sarcoma: code the site of the tumour with morphology 9050-9055 or 9140"),
        (78...79, "C78-C79 are ICD-10 categories for secondary sites: code the primary site (C80.9 if unknown); a metastasis has behaviour /6 in the morphology"),
        (81...96, "C81-C96 are ICD-10 categories for lymphoid and haematopoietic tumours: code the site (lymph nodes C77.x, bone marrow C42.1, blood C42.0) and the type in the morphology (9590-9993)"),
        (97...97, "C97 is the ICD-10 category for multiple primaries: give each primary tumour its own row"),
    ]

    /// Behaviour digits of ICD-O-3 and their meaning.
    static let behaviours: [(digit: Character, meaning: String)] = [
        ("0", "benign"), ("1", "uncertain whether benign or malignant"), ("2", "in situ"),
        ("3", "malignant, primary site"), ("6", "malignant, metastatic site"),
        ("9", "malignant, uncertain whether primary or metastatic"),
    ]

    /// The four-character codes of each site, in order (e.g. "C42" -> C42.0 ... C42.4).
    static let subsites: [String: [String]] = Dictionary(grouping: ICDO3Topography.codes.keys.sorted()) { String($0.prefix(3)) }

    /// Why `code` (already upper-cased) is not an ICD-O-3 topography code; nil when it is one.
    static func topographyProblem(_ code: String) -> String? {
        if ICDO3Topography.codes[code] != nil { return nil }
        let u = Array(code.utf8)
        func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
        let example = "e.g. C71.9 (brain, NOS) or C42.1 (bone marrow)"
        if u.count == 4, u[0] == UInt8(ascii: "C"), u[1...].allSatisfy(isDigit) {
            let dotted = "C\(String(decoding: u[1...2], as: UTF8.self)).\(Character(UnicodeScalar(u[3])))"
            let known = ICDO3Topography.codes[dotted] != nil
            return "ICD-O-3 topography is written with a point, Cxx.x" + (known ? ": write \(dotted)" : " (\(example))")
        }
        guard u.count == 5, u[0] == UInt8(ascii: "C"), isDigit(u[1]), isDigit(u[2]), u[3] == UInt8(ascii: "."), isDigit(u[4]) else {
            let icd10 = u.first == UInt8(ascii: "D") ? "; D codes are ICD-10 categories of benign or in situ tumours: code the site as Cxx.x and the behaviour in the morphology" : ""
            return "expected an ICD-O-3 topography code Cxx.x (letter C, two digits, a point, one digit; \(example))\(icd10)"
        }
        let site = String(code.prefix(3))
        let number = Int(u[1] - 48) * 10 + Int(u[2] - 48)
        guard let title = ICDO3Topography.sites[site] else {
            if let hint = icd10Only.first(where: { $0.sites.contains(number) })?.hint {
                return "\(site) is not an ICD-O-3 topography site. \(hint)"
            }
            return "\(site) is not an ICD-O-3 topography site (ICD-O-3 sites run C00-C80 without C27-C29, C35-C36, C43, C45-C46, C59, C78-C79); check the code against the ICD-O-3 topography list"
        }
        let valid = subsites[site] ?? []
        let nos = valid.last.map { $0.hasSuffix(".9") ? "; \($0) is \(ICDO3Topography.codes[$0]!)" : "" } ?? ""
        return "\(code) is not an ICD-O-3 topography code: \(site) (\(title.lowercased())) has only \(valid.joined(separator: ", "))\(nos)"
    }

    /// Why `code` is not an ICD-O-3 morphology code dddd/b; nil when it is one.
    static func morphologyProblem(_ code: String) -> String? {
        let u = Array(code.utf8)
        func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
        let form = "ICD-O-3 morphology is four histology digits, a slash and the behaviour digit, e.g. 9861/3"
        if let first = u.first, first == UInt8(ascii: "M") || first == UInt8(ascii: "m") {
            let rest = String(decoding: u.drop { !isDigit($0) }, as: UTF8.self)
            return "\(form): drop the M prefix\(morphologyProblem(rest) == nil ? " and write \(rest)" : "")"
        }
        guard u.count >= 4, u[0..<4].allSatisfy(isDigit) else { return "\(form)" }
        let histology = Int(String(decoding: u[0..<4], as: UTF8.self))!
        if u.count == 4 { return "\(form): the behaviour digit is missing (write \(code)/3 for a malignant tumour)" }
        if u.count == 5, isDigit(u[4]) { return "\(form): the slash is missing (write \(String(decoding: u[0..<4], as: UTF8.self))/\(Character(UnicodeScalar(u[4]))))" }
        guard u[4] == UInt8(ascii: "/"), u.count >= 6, isDigit(u[5]) else { return form }
        if u.count == 7, isDigit(u[6]) {
            return "\(form): the sixth digit (grade or cell lineage) is not part of the morphology code (write \(String(decoding: u[0..<6], as: UTF8.self)))"
        }
        guard u.count == 6 else { return form }
        if !(8000...9993).contains(histology) {
            return "histology \(histology) is outside the ICD-O-3 morphology range 8000-9993"
        }
        let b = Character(UnicodeScalar(u[5]))
        if !behaviours.contains(where: { $0.digit == b }) {
            return "behaviour digit \(b) is not an ICD-O-3 behaviour code: " + behaviours.map { "\($0.digit) \($0.meaning)" }.joined(separator: ", ")
        }
        if !ICDO3Histology.all.contains(histology) {
            let near = ICDO3Histology.all.filter { $0 / 10 == histology / 10 }.sorted().map(String.init)
            let hint = near.isEmpty ? "" : "; codes of group \(histology / 10)x are \(near.joined(separator: ", "))"
            return "histology \(histology) is not an ICD-O-3 (2000) or ICD-O-3.2 morphology code\(hint); check the code against the ICD-O-3.2 list"
        }
        return nil
    }
}
