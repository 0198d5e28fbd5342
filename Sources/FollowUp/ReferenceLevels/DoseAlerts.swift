import Foundation
import HarmonicCore

/// The alert thresholds of a site, kept in a JSON file the site edits (`harmonic drl --alerts
/// --thresholds FILE`; `harmonic drl --write-thresholds FILE` writes these defaults to start from).
///
/// The defaults are starting points, not regulatory values:
/// - `drlMultiple` 2: a procedure above twice the local DRL of its group is worth a look (ICRP 135
///   para 110 asks for a review when a facility's *median* exceeds the DRL; one procedure twice
///   above it is the usual trigger of dose-management systems for an individual review);
/// - `windowMonths` 12 (the issue's default);
/// - `cumulativeKAPGyCm2` 50: about 1.3 times the highest published paediatric interventional DRL
///   (OPRIPALC, 10-<16 y: 38.1 Gy·cm²), so only children with repeated large procedures pass it;
/// - `cumulativeDoses` `effective_dose_msv` 100: the cumulative effective dose of recurrent imaging
///   that Rehani et al., Eur Radiol 30 (2020) 1828, single out (≥ 100 mSv), here within the window.
public struct AlertThresholds: Sendable, Codable, Hashable {
    public var drlMultiple: Double = 2
    public var windowMonths: Int = 12
    public var cumulativeKAPGyCm2: Double? = 50
    /// Thresholds on the cumulative reconstructed dose, by `procedure_organ_dose` column
    /// (`red_marrow_mgy`, `breast_mgy`, …, `effective_dose_msv`).
    public var cumulativeDoses: [String: Double] = ["effective_dose_msv": 100]
    public var minProceduresPerHospital: Int = 10

    public init() {}

    /// Columns a threshold may name.
    public static let doseColumns = ["red_marrow_mgy", "breast_mgy", "lung_mgy", "heart_mgy", "thyroid_mgy",
                                     "oesophagus_mgy", "brain_mgy", "effective_dose_msv"]

    /// Reads and checks a thresholds file; errors name the file, the field and the value.
    public static func load(path: String) throws -> AlertThresholds {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(.file(path), expected: "a readable JSON thresholds file (write one to edit with `harmonic drl --write-thresholds \(path)`)")
        }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw InputError(.file(path), expected: "JSON (\(error.localizedDescription))")
        }
        guard let dict = object as? [String: Any] else { throw InputError(.file(path), expected: "a JSON object of thresholds") }
        let known: Set<String> = ["drlMultiple", "windowMonths", "cumulativeKAPGyCm2", "cumulativeDoses", "minProceduresPerHospital"]
        if let unknown = dict.keys.sorted().first(where: { !known.contains($0) }) {
            throw InputError(.file(path), field: unknown, expected: "one of \(known.sorted().joined(separator: ", "))")
        }
        var t = AlertThresholds()
        func positive(_ key: String) throws -> Double? {
            guard let v = dict[key], !(v is NSNull) else { return nil }
            guard let d = (v as? NSNumber)?.doubleValue, d.isFinite, d > 0 else {
                throw InputError(.file(path), field: key, value: "\(v)", expected: "a positive number")
            }
            return d
        }
        if let v = try positive("drlMultiple") { t.drlMultiple = v }
        if let v = try positive("windowMonths") {
            guard v == v.rounded(), v <= 240 else { throw InputError(.file(path), field: "windowMonths", value: "\(v)", expected: "a whole number of months, 1-240") }
            t.windowMonths = Int(v)
        }
        if dict.keys.contains("cumulativeKAPGyCm2") { t.cumulativeKAPGyCm2 = try positive("cumulativeKAPGyCm2") }
        if let v = try positive("minProceduresPerHospital") { t.minProceduresPerHospital = Int(v) }
        if let raw = dict["cumulativeDoses"] {
            guard let doses = raw as? [String: Any] else {
                throw InputError(.file(path), field: "cumulativeDoses", expected: "an object of column: threshold, e.g. {\"red_marrow_mgy\": 20}")
            }
            t.cumulativeDoses = [:]
            for (k, v) in doses {
                guard doseColumns.contains(k) else {
                    throw InputError(.file(path), field: "cumulativeDoses.\(k)", expected: "one of \(doseColumns.joined(separator: ", "))")
                }
                guard let d = (v as? NSNumber)?.doubleValue, d.isFinite, d > 0 else {
                    throw InputError(.file(path), field: "cumulativeDoses.\(k)", value: "\(v)", expected: "a positive number")
                }
                t.cumulativeDoses[k] = d
            }
        }
        return t
    }

    /// The window as days (months of 365.25/12 days).
    public var windowDays: Int { Int((Double(windowMonths) * 365.25 / 12).rounded()) }
}

/// A procedure whose KAP exceeds `drlMultiple` × the local DRL of its group.
public struct ProcedureAlert: Sendable, Codable, Hashable {
    public var procedure: String
    public var child: String
    public var hospital: String
    public var date: String
    /// The group whose DRL was used, e.g. "type asd_closure, 5-<10 y" (the procedure type's DRL
    /// when its group has one, else the class's).
    public var group: String
    public var kapGyCm2: Double
    public var localDRLGyCm2: Double
    public var multipleOfDRL: Double
}

/// A child whose cumulative KAP or reconstructed dose within the window passes a threshold.
public struct CumulativeAlert: Sendable, Codable, Hashable {
    public var child: String
    /// `kap_gycm2` or a `procedure_organ_dose` column.
    public var quantity: String
    public var threshold: Double
    /// Date of the procedure at which the window sum first passed the threshold.
    public var firstPassed: String
    /// The largest sum over any window of the child's history, and the number of procedures in it.
    public var maximumWindowSum: Double
    public var proceduresInWindow: Int
}

/// `harmonic drl --alerts`: procedures far above the DRL, and children with high cumulative dose.
public struct DoseAlertReport: Sendable, Codable {
    public var thresholds: AlertThresholds
    public var procedureAlerts: [ProcedureAlert]
    public var cumulativeAlerts: [CumulativeAlert]

    public static func compute(_ procedures: [ProcedureDose], table: ReferenceLevelTable, thresholds: AlertThresholds) -> DoseAlertReport {
        var drls: [String: Double] = [:]
        for g in table.groups where g.band.kind == .age {
            if let d = g.localDRLGyCm2 { drls["\(g.grouping.rawValue)|\(g.procedure)|\(g.band.lower)"] = d }
        }
        var procedureAlerts: [ProcedureAlert] = []
        for p in procedures {
            guard let kap = p.kapGyCm2, let band = p.band(.age) else { continue }
            let typeKey = "type|\(p.procedureType)|\(band.lower)", classKey = "class|\(p.procedureClass)|\(band.lower)"
            let (drl, label): (Double?, String) = drls[typeKey].map { ($0, "type \(p.procedureType), \(band)") }
                ?? (drls[classKey], "class \(p.procedureClass), \(band)")
            guard let drl, drl > 0, kap > thresholds.drlMultiple * drl else { continue }
            procedureAlerts.append(ProcedureAlert(procedure: p.procedure, child: p.child, hospital: p.hospitalKey, date: p.date.description,
                                                  group: label, kapGyCm2: kap, localDRLGyCm2: drl, multipleOfDRL: kap / drl))
        }
        procedureAlerts.sort { ($0.multipleOfDRL, $0.procedure) > ($1.multipleOfDRL, $1.procedure) }

        var byChild: [String: [ProcedureDose]] = [:]
        for p in procedures { byChild[p.child, default: []].append(p) }
        var quantities: [(String, Double, (ProcedureDose) -> Double?)] = []
        if let k = thresholds.cumulativeKAPGyCm2 { quantities.append(("kap_gycm2", k, { $0.kapGyCm2 })) }
        for (column, limit) in thresholds.cumulativeDoses.sorted(by: { $0.key < $1.key }) {
            quantities.append((column, limit, { $0.organDoses[column] }))
        }
        var cumulative: [CumulativeAlert] = []
        let window = thresholds.windowDays
        for child in byChild.keys.sorted() {
            let list = byChild[child]!.sorted { $0.date < $1.date }
            guard list.count > 0 else { continue }
            for (name, limit, value) in quantities {
                if let a = windowAlert(list, window: window, quantity: name, limit: limit, value: value) { cumulative.append(a) }
            }
        }
        return DoseAlertReport(thresholds: thresholds, procedureAlerts: procedureAlerts, cumulativeAlerts: cumulative)
    }

    /// Sliding window over one child's procedures (sorted by date): sums over (date − window, date].
    static func windowAlert(_ list: [ProcedureDose], window: Int, quantity: String, limit: Double,
                            value: (ProcedureDose) -> Double?) -> CumulativeAlert? {
        var start = 0, sum = 0.0, firstPassed: CalendarDate?, best = 0.0, bestCount = 0
        for end in list.indices {
            sum += value(list[end]) ?? 0
            while list[end].date.dayNumber - list[start].date.dayNumber >= window {
                sum -= value(list[start]) ?? 0
                start += 1
            }
            if sum > best { best = sum; bestCount = end - start + 1 }
            if sum > limit, firstPassed == nil { firstPassed = list[end].date }
        }
        guard let firstPassed else { return nil }
        return CumulativeAlert(child: list[0].child, quantity: quantity, threshold: limit, firstPassed: firstPassed.description,
                               maximumWindowSum: best, proceduresInWindow: bestCount)
    }
}
