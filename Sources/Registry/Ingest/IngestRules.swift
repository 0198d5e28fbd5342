import Foundation
import GRDB
import HarmonicCore

/// Why a row was rejected: the field, its value and the rule it broke.
public struct RowProblem: Error, Sendable, Equatable {
    public let field: String
    public let value: String
    public let reason: String
}

/// What the checks need to know about a child already loaded (from the store or earlier in the load).
struct PatientFacts: Sendable {
    var birth: Int          // day number
    var lastContact: Int
    var death: Int?
    var emigration: Int?
}

/// What the checks need about a parent row (procedure, course, sample): its child and date.
struct ParentFacts: Sendable {
    var patient: String     // pseudonym
    var date: Int?          // day number of the procedure / course start / collection
}

/// The row checks of `harmonic ingest`. `documentation` lists them for the data dictionary.
enum IngestRules {
    static let documentation = [
        "Required columns present in the header; required values non-empty.",
        "Types: integers, decimals (a decimal comma is refused: it is usually a unit or locale error), dates `YYYY-MM-DD` (`YYYY-MM` where allowed), date-times `YYYY-MM-DDTHH:MM:SS`, codes from the column's list.",
        "Plausible ranges of every numeric column (table above); negative KAP is refused.",
        "Kerma-area product per kg of body weight at most \(Int(maxKAPPerKg)) Gy·cm²/kg (catches cGy·cm²/µGy·m² unit errors; Ghelani et al. 2014 benchmarks); without a recorded weight, against \(heavyChildFactor) times the ICRP 89 reference weight for the child's age at the procedure.",
        "Header columns the dictionary does not know are reported as warnings in the validation report (their values are not stored).",
        "Age at exposure (procedure, radiotherapy start, imaging) between 0 and 18 years.",
        "Date order: birth ≤ exposure ≤ last contact; last contact ≤ death (death ends follow-up) and ≤ emigration; vital status `dead` needs a death date and a death date needs `dead`.",
        "Irradiation events within a day of their procedure's date; course end not before start; course end and radiotherapy imaging dates within the child's life and not after the last contact; imaging last date not before its first.",
        "ICD-O-3: topography one of the \(ICDO3Topography.codes.count) codes of the WHO ICD-O-3 topography list (sites C00-C80 that exist, each with its own fourth digits; table `scripts/data/icdo3-topography.tsv`, unchanged in ICD-O-3.1 and 3.2); morphology `dddd/b` with a histology code of ICD-O-3 (2000) or ICD-O-3.2 (\(ICDO3Histology.all.count) codes, `scripts/data/icdo3-histology.tsv`) and behaviour 0,1,2,3,6,9 matching `behaviour`.",
        "Chemotherapy: start at ages 0-18 and not after the last contact or death; end not before start; one row's anthracycline dose at most \(Int(maxDoxorubicinEquivalentMgPerM2)) mg/m² doxorubicin-equivalent (IGHG factors: daunorubicin 0.6, epirubicin 0.8, idarubicin 5, mitoxantrone 10).",
        "Transplants (hsct) and surgery: the date at ages 0-18 and not after the last contact or death.",
        "References: the patient, procedure, course or sample must be known (in the store or earlier in the same load).",
        "Duplicates: a key seen twice in one file keeps the first row and quarantines the second.",
    ]

    /// Upper bound on KAP per kg of body weight: the plausibility limit is `maxKAPPerKg × weight`.
    /// Weight-normalised KAP is how paediatric cardiac dose benchmarks are given: the US multicentre
    /// benchmarks (Ghelani et al., JACC Cardiovasc Interv 2014;7:1060-9, 7,000+ cases) have
    /// 95th percentiles of at most about 4-5 Gy·cm²/kg even for the longest interventions, and
    /// medians 0.1-1 Gy·cm²/kg (Harbron et al. 2015, Br J Radiol 88:20140852; Bernier et al. 2012,
    /// PLoS One 7:e51543). 20 Gy·cm²/kg is four times the highest 95th percentile yet catches the
    /// 100x of a cGy·cm² vs Gy·cm² (or µGy·m²) unit error.
    static let maxKAPPerKg = 20.0

    /// Reference body weight (kg) by age when a procedure gives none: ICRP Publication 89 (2002),
    /// Table 2.9, reference values at 0, 1, 5, 10 and 15 years and adult (sexes averaged).
    static let referenceAges: [Double] = [0, 1, 5, 10, 15, 18]
    static let referenceWeights: [Double] = [3.5, 10, 19, 32, 54.5, 66.5]
    /// Heavy children: the WHO 97th centile of weight for age is up to about 1.5 times the median
    /// (WHO child growth standards 2006; WHO reference 2007), so without a recorded weight the
    /// bound uses 1.5 times the reference weight.
    static let heavyChildFactor = 1.5

    /// The largest plausible weight (kg) of a child of `age` years with no recorded weight.
    static func plausibleWeightLimit(age: Double) -> Double {
        let a = max(0, min(age, referenceAges.last!))
        var i = 1
        while i < referenceAges.count - 1 && referenceAges[i] < a { i += 1 }
        let t = (a - referenceAges[i - 1]) / (referenceAges[i] - referenceAges[i - 1])
        return heavyChildFactor * (referenceWeights[i - 1] + t * (referenceWeights[i] - referenceWeights[i - 1]))
    }
    /// Upper bound on one chemotherapy row's anthracycline dose, in doxorubicin-equivalent mg/m²
    /// (`AnthracyclineEquivalence`). Cumulative doxorubicin above 550 mg/m² was abandoned after
    /// Von Hoff et al. (Ann Intern Med 91 (1979) 710) showed the steep rise of heart failure;
    /// 1,000 mg/m², nearly twice that, is beyond any protocol and catches entry and unit errors
    /// (mg/kg or µg/m² written as mg/m², a per-cycle dose multiplied twice).
    static let maxDoxorubicinEquivalentMgPerM2 = 1000.0

    /// Cohort age limits at exposure (issue 2: children aged 0-18): before the 19th birthday.
    static let maxAgeYears = 19.0

    /// Parses one CSV value for a column; nil value means empty.
    static func parse(_ raw: String, _ c: ColumnSpec) throws(RowProblem) -> DatabaseValue {
        let s = trimmed(raw)
        if s.isEmpty {
            if c.required { throw RowProblem(field: c.name, value: raw, reason: "required value is missing") }
            return .null
        }
        switch c.type {
        case .text, .identifier:
            return s.databaseValue
        case .integer:
            guard let v = Int(s) else { throw RowProblem(field: c.name, value: s, reason: "expected a whole number") }
            try checkRange(Double(v), s, c)
            return v.databaseValue
        case .real:
            guard let v = plainDecimal(s) ?? Double(s), v.isFinite else {
                throw RowProblem(field: c.name, value: s, reason: "expected a decimal number\(s.contains(",") ? " with a point, not a comma" : "")\(c.unit.map { " in \($0)" } ?? "")")
            }
            try checkRange(v, s, c)
            return v.databaseValue
        case .date:
            guard let d = CalendarDate(iso: s), s.utf8.count == 10 || (c.monthPrecision && s.utf8.count == 7) else {
                throw RowProblem(field: c.name, value: s, reason: c.monthPrecision ? "expected a date YYYY-MM-DD or YYYY-MM" : "expected a date YYYY-MM-DD")
            }
            return d.description.databaseValue
        case .dateTime:
            guard isDateTime(s) else {
                throw RowProblem(field: c.name, value: s, reason: "expected a date-time YYYY-MM-DDTHH:MM:SS")
            }
            return s.databaseValue
        case .code:
            if c.name == "topography" { try checkTopography(s); return s.uppercased().databaseValue }
            if c.name == "morphology" { try checkMorphology(s); return s.databaseValue }
            let lower = c.codes.contains(s) ? s : s.lowercased()
            guard c.codes.contains(lower) else {
                throw RowProblem(field: c.name, value: s, reason: "expected one of \(c.codes.joined(separator: ", "))")
            }
            // Country and sex keep the upper-case form of HarmonicCore's `Country` and `Sex`.
            return (c.name == "country" || c.name == "sex" ? s.uppercased() : lower).databaseValue
        }
    }

    /// Exact powers of ten as doubles (10^0 ... 10^22 are all exactly representable).
    static let powersOfTen: [Double] = (0...22).map { pow(10, Double($0)) }

    /// Fast exact parse of a plain decimal `[-]digits[.digits]` with at most 15 significant digits
    /// (nil otherwise, and the caller falls back to `Double(String)`). The integer mantissa and the
    /// power of ten are exact doubles, so the one division is correctly rounded and the result is
    /// the same double strtod gives (Clinger, "How to read floating point numbers accurately",
    /// PLDI 1990, the fast path). Saves the strtod call of nearly every decimal of an extract.
    static func plainDecimal(_ s: String) -> Double? {
        var copy = s
        return copy.withUTF8 { u -> Double? in
            var i = 0
            var negative = false
            if u.count > 0 && u[0] == 45 { negative = true; i = 1 }
            var mantissa: UInt64 = 0
            var significant = 0, fraction = 0
            var dot = false, digit = false
            while i < u.count {
                let c = u[i]
                if c >= 48 && c <= 57 {
                    if significant > 0 || c != 48 { significant += 1 }
                    if significant > 15 { return nil }
                    mantissa = mantissa * 10 + UInt64(c - 48)
                    digit = true
                    if dot { fraction += 1 }
                } else if c == 46 && !dot {
                    dot = true
                } else {
                    return nil
                }
                i += 1
            }
            guard digit, fraction < powersOfTen.count else { return nil }
            let v = Double(mantissa) / powersOfTen[fraction]
            return negative ? -v : v
        }
    }

    /// The string without surrounding whitespace; no copy in the usual case of none.
    @inline(__always)
    static func trimmed(_ raw: String) -> String {
        var copy = raw
        let edge = copy.withUTF8 { b -> Bool in
            guard let f = b.first, let l = b.last else { return false }
            return f == 32 || f == 9 || f == 13 || f == 10 || l == 32 || l == 9 || l == 13 || l == 10
        }
        return edge ? raw.trimmingWhitespace() : raw
    }

    /// `YYYY-MM-DDTHH:MM:SS[.ffffff]` (or a space instead of T) with a valid calendar date and clock time.
    static func isDateTime(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { u -> Bool in
            guard u.count >= 19, u[4] == 45, u[7] == 45, u[10] == 84 || u[10] == 32, u[13] == 58, u[16] == 58 else { return false }
            func n(_ a: Int, _ b: Int) -> Int? {
                var v = 0
                for i in a..<b { guard u[i] >= 48, u[i] <= 57 else { return nil }; v = v * 10 + Int(u[i] - 48) }
                return v
            }
            guard let y = n(0, 4), let mo = n(5, 7), let d = n(8, 10), let h = n(11, 13), let mi = n(14, 16), let sec = n(17, 19),
                  CalendarDate(year: y, month: mo, day: d) != nil, h < 24, mi < 60, sec < 61 else { return false }
            if u.count > 19 {
                guard u[19] == 46, u.count > 20 else { return false }
                for i in 20..<u.count where u[i] < 48 || u[i] > 57 { return false }
            }
            return true
        }
    }

    static func checkRange(_ v: Double, _ s: String, _ c: ColumnSpec) throws(RowProblem) {
        if let r = c.range, !r.contains(v) {
            throw RowProblem(field: c.name, value: s, reason: "outside the plausible range \(r.lowerBound)...\(r.upperBound)\(c.unit.map { " \($0)" } ?? "")")
        }
    }

    /// ICD-O-3 topography: one of the codes of the WHO ICD-O-3 topography list (`ICDO3Topography`).
    static func checkTopography(_ s: String) throws(RowProblem) {
        if let reason = ICDO3Check.topographyProblem(s.uppercased()) { throw RowProblem(field: "topography", value: s, reason: reason) }
    }

    /// ICD-O-3 morphology: a four-digit histology code of ICD-O-3 or ICD-O-3.2, slash, behaviour 0,1,2,3,6,9.
    static func checkMorphology(_ s: String) throws(RowProblem) {
        if let reason = ICDO3Check.morphologyProblem(s) { throw RowProblem(field: "morphology", value: s, reason: reason) }
    }

    static func day(_ v: DatabaseValue) -> Int? {
        guard case .string(let s) = v.storage else { return nil }
        return CalendarDate(iso: s)?.dayNumber
    }

    static func dateText(_ v: DatabaseValue) -> String {
        if case .string(let s) = v.storage { return s }
        return ""
    }

    /// A parsed value as the site wrote it, near enough for a quarantine entry (numbers without
    /// a trailing `.0`).
    static func valueText(_ v: DatabaseValue) -> String {
        switch v.storage {
        case .string(let s): s
        case .int64(let i): String(i)
        case .double(let d): d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        default: ""
        }
    }
}
