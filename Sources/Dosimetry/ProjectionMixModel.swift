import Foundation

/// Projection classes used to describe how a procedure's KAP was shared between beam
/// directions, by positioner primary angle (DICOM convention: + = LAO, detector at the
/// patient's left; 0 = PA). Each class is dosed at its representative angle.
public enum ProjectionClass: Int, CaseIterable, Sendable {
    case pa, lao, leftLateral, rao, rightLateral, ap

    /// Representative primary angle, degrees.
    public var primaryDegrees: Double { [0, 45, 90, -45, -90, 180][rawValue] }
    public var label: String { ["PA", "LAO", "LAT", "RAO", "RLAT", "AP"][rawValue] }
    public static let count = 6

    /// The class of a primary angle (±20° around PA, 20-70° oblique, 70-110° lateral, beyond: AP).
    public static func of(primaryDegrees a: Double) -> ProjectionClass {
        let x = abs(a)
        if x <= 20 { return .pa }
        if x > 110 { return .ap }
        if x <= 70 { return a > 0 ? .lao : .rao }
        return a > 0 ? .leftLateral : .rightLateral
    }

    /// Parses "PA", "LAO", "LAT" (= left lateral), "RAO", "RLAT", "AP" (case-insensitive).
    public static func parse(_ s: String) -> ProjectionClass? {
        let u = s.trimmingCharacters(in: .whitespaces).uppercased()
        if u == "LLAT" { return .leftLateral }
        return allCases.first { $0.label == u }
    }
}

/// What the event-level records of a group of procedures show: the KAP-weighted share of each
/// projection class, the KAP-weighted beam quality and field, and how much the mix varies
/// between procedures (the spread of the unshared projection-mix error).
public struct ProjectionMix: Sendable, Hashable {
    /// KAP share per `ProjectionClass` (sums to 1).
    public var shares: [Double]
    public var kVp: Double
    public var copperMillimetres: Double
    public var fieldAreaCm2: Double
    /// Log-scale SD of each class share between procedures of the group (logistic-normal spread).
    public var spread: Double
    /// Procedures behind the estimate (0 for a built-in default).
    public var procedures: Int
    /// Which group it came from (e.g. "hospital/era/type"), recorded with the dose.
    public var source: String

    public init(shares: [Double], kVp: Double, copperMillimetres: Double, fieldAreaCm2: Double, spread: Double,
                procedures: Int, source: String) {
        self.shares = shares; self.kVp = kVp; self.copperMillimetres = copperMillimetres; self.fieldAreaCm2 = fieldAreaCm2
        self.spread = spread; self.procedures = procedures; self.source = source
    }

    /// Used when no event-level record exists at all: paediatric cardiac catheterisation is
    /// mostly biplane frontal + lateral (assumption of this reconstruction: PA 50%, left lateral
    /// 30%, LAO 10%, RAO 10%), wide spread (0.8).
    public static let builtInDefault = ProjectionMix(shares: [0.5, 0.1, 0.3, 0.1, 0, 0], kVp: 70, copperMillimetres: 0.2,
                                                     fieldAreaCm2: 150, spread: 0.8, procedures: 0, source: "built-in default")

    /// Beam quality for eras before event-level reporting when the mix comes from another era:
    /// copper (spectral) filtration was not used on cardiac systems before the mid-1990s
    /// (assumption of this reconstruction: 0 mm Cu and 75 kVp before 1995, 0.1 mm Cu 1995-2004).
    public static func eraQuality(_ era: DoseEra) -> (kVp: Double, copper: Double)? {
        if era.start < 1995 { return (75, 0) }
        if era.start < 2005 { return (72, 0.1) }
        return nil
    }
}

/// Projection mix and beam quality by group, learned from event-level procedures, with the
/// documented fallback from fine to coarse groups: hospital/era/type → hospital/era →
/// country/era/type → era/type → type → all event data → built-in default. A group is used
/// when it holds at least `minimumProcedures` event-level procedures.
public struct ProjectionMixModel: Sendable {
    public static let minimumProcedures = 5
    public static let levels = ["hospital/era/type", "hospital/era", "country/era/type", "era/type", "type", "all"]

    struct Accumulator {
        var shares = [Double](repeating: 0, count: ProjectionClass.count)
        var shareSquares = [Double](repeating: 0, count: ProjectionClass.count)
        var kap = 0.0, kVpKAP = 0.0, kVpWeight = 0.0, cuKAP = 0.0, cuWeight = 0.0, fieldKAP = 0.0, fieldWeight = 0.0
        var procedures = 0
    }
    var groups: [String: ProjectionMix] = [:]

    static func keys(_ p: ProcedureInput) -> [String] {
        let e = p.era.description
        return ["H|\(p.hospital)|\(e)|\(p.procedureType)", "H|\(p.hospital)|\(e)", "C|\(p.country)|\(e)|\(p.procedureType)",
                "E|\(e)|\(p.procedureType)", "T|\(p.procedureType)", "*"]
    }

    /// Learns the groups from the procedures of tier `event` (the others are ignored).
    public init(procedures: [ProcedureInput], tiers: [DoseTier], events: [EventInput]) {
        var acc: [String: Accumulator] = [:]
        var fractions = [Double](repeating: 0, count: ProjectionClass.count)
        for (i, p) in procedures.enumerated() where tiers[i] == .event {
            for k in 0..<fractions.count { fractions[k] = 0 }
            var kap = 0.0, kVp = 0.0, kVpW = 0.0, cu = 0.0, cuW = 0.0, field = 0.0, fieldW = 0.0
            for e in events[p.eventStart ..< p.eventStart + p.eventCount] {
                let w = e.kapGyCm2
                kap += w
                fractions[ProjectionClass.of(primaryDegrees: e.primaryDegrees.isFinite ? e.primaryDegrees : 0).rawValue] += w
                if e.kVp.isFinite { kVp += w * e.kVp; kVpW += w }
                if e.copperMillimetres.isFinite { cu += w * e.copperMillimetres; cuW += w }
                if e.fieldAreaCm2.isFinite { field += w * e.fieldAreaCm2; fieldW += w }
            }
            guard kap > 0 else { continue }
            for key in Self.keys(p) {
                var a = acc[key] ?? Accumulator()
                for k in 0..<fractions.count { let f = fractions[k] / kap; a.shares[k] += f; a.shareSquares[k] += f * f }
                a.kap += kap; a.kVpKAP += kVp; a.kVpWeight += kVpW; a.cuKAP += cu; a.cuWeight += cuW
                a.fieldKAP += field; a.fieldWeight += fieldW; a.procedures += 1
                acc[key] = a
            }
        }
        for (key, a) in acc where a.procedures >= Self.minimumProcedures {
            let n = Double(a.procedures)
            let shares = a.shares.map { $0 / n }
            // Spread: share-weighted coefficient of variation of the class shares between procedures.
            var cv = 0.0
            for k in 0..<shares.count where shares[k] > 0 {
                let variance = max(0, a.shareSquares[k] / n - shares[k] * shares[k])
                cv += shares[k] * variance.squareRoot() / shares[k]
            }
            let level = Self.levels[Self.levelIndex(key)]
            groups[key] = ProjectionMix(shares: shares, kVp: a.kVpWeight > 0 ? a.kVpKAP / a.kVpWeight : 70,
                                        copperMillimetres: a.cuWeight > 0 ? a.cuKAP / a.cuWeight : 0,
                                        fieldAreaCm2: a.fieldWeight > 0 ? a.fieldKAP / a.fieldWeight : 150,
                                        spread: min(1.5, max(0.1, cv)), procedures: a.procedures, source: level)
        }
    }

    static func levelIndex(_ key: String) -> Int {
        let parts = key.split(separator: "|", omittingEmptySubsequences: false)
        switch parts[0] {
        case "H": return parts.count == 4 ? 0 : 1
        case "C": return 2
        case "E": return 3
        case "T": return 4
        default: return 5
        }
    }

    /// The mix for a procedure: the finest group with enough event-level procedures. When the
    /// group is not of the procedure's own era, the era's beam quality replaces the group's.
    public func mix(for p: ProcedureInput) -> ProjectionMix {
        var found = ProjectionMix.builtInDefault
        for (level, key) in Self.keys(p).enumerated() {
            if let m = groups[key] { found = m; if level <= 3 { return m }; break }
        }
        if let q = ProjectionMix.eraQuality(p.era) {
            found.kVp = q.kVp; found.copperMillimetres = q.copper
            found.source += " + era beam quality"
        }
        return found
    }

    /// Number of groups learned (all levels).
    public var groupCount: Int { groups.count }
}
