import Foundation
import HarmonicCore
import Transport

/// Paediatric reference CTDIvol by body region and age (75th percentiles of a published survey,
/// `Resources/paediatric-ct-ctdivol-p75.csv`, Ploussi et al., Br J Radiol 2020;93:20190358) and the
/// plausibility bounds Harmonic derives from it for a recorded CTDIvol: from 1/20 to 5 times the
/// reference for the child's age and region, the upper bound raised for older practice (× 1.32
/// before 2010: iterative reconstruction lowered doses 22-27%, Moorin et al., PLoS ONE
/// 2015;10:e0138329; × a further 1.37 in the 1990s and 1.89 before 1990: paediatric CT mAs fell
/// ~47% from before 1990 to after 2000 in Great Britain, survey PMC4846191), and never outside the
/// absolute 0.1-150 mGy (head, neck) or 0.1-100 mGy (body). The factors 1/20 and 5 are Harmonic's
/// choice (no published tolerance exists): wide enough for the spread within an age group and era
/// (the 95th percentile of a lognormal with GSD 1.5 is 1.6 times its 75th) and for protocols not
/// adapted to the child, narrow enough to catch unit errors (×10, ×1000).
public struct PaediatricCTReference: Sendable {
    /// (age, P75 in mGy) points per reference group (`head`, `chest`, `abdomen_pelvis`), in the group's phantom.
    let points: [String: [(age: Double, p75: Double)]]
    let phantoms: [String: Double]
    public static let fileName = "paediatric-ct-ctdivol-p75.csv"
    public static let lowerFactor = 1.0 / 20, upperFactor = 5.0

    public init(csv: String, file: String) throws {
        var points: [String: [(Double, Double)]] = [:], phantoms: [String: Double] = [:]
        var sawHeader = false
        for (n, raw) in csv.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if !sawHeader {
                guard f == ["region", "age_years", "p75_ctdivol_mgy", "phantom_cm"] else {
                    throw DoseModelError("\(file) line \(n + 1): header '\(line)', expected 'region,age_years,p75_ctdivol_mgy,phantom_cm'")
                }
                sawHeader = true; continue
            }
            guard f.count == 4, ["head", "chest", "abdomen_pelvis"].contains(f[0]), let age = Double(f[1]), let p75 = Double(f[2]), p75 > 0,
                  let phantom = Double(f[3]), phantom == 16 || phantom == 32 else {
                throw DoseModelError("\(file) line \(n + 1): '\(line)', expected head|chest|abdomen_pelvis, an age, a positive CTDIvol and 16 or 32")
            }
            points[f[0], default: []].append((age, p75)); phantoms[f[0]] = phantom
        }
        guard points.count == 3 else { throw DoseModelError("\(file): expected rows for head, chest and abdomen_pelvis") }
        self.points = points.mapValues { $0.sorted { $0.0 < $1.0 }.map { (age: $0.0, p75: $0.1) } }
        self.phantoms = phantoms
    }

    /// The table's content in one line (part of the imaging run's model identity).
    public var identity: String {
        points.keys.sorted().map { k in k + ":" + points[k]!.map { "\($0.age)=\($0.p75)" }.joined(separator: ";") }.joined(separator: "|")
    }

    public static func loadDefault() throws -> PaediatricCTReference {
        guard let url = Bundle.module.url(forResource: "paediatric-ct-ctdivol-p75", withExtension: "csv", subdirectory: "Resources") else {
            throw DoseModelError("Resources/\(fileName) is missing from the Dosimetry bundle")
        }
        return try PaediatricCTReference(csv: String(contentsOf: url, encoding: .utf8), file: fileName)
    }

    /// The reference group of a CT region: head and neck use the head values (neck: assumption),
    /// chest the chest values, every other body region the abdomen-pelvis values.
    static func group(_ region: CTRegion) -> String {
        region.isHeadScan ? "head" : region == .chest ? "chest" : "abdomen_pelvis"
    }

    /// 75th-percentile CTDIvol (mGy, in the group's phantom) at an age, linear between the table's ages (clamped).
    public func p75(_ region: CTRegion, ageYears: Double) -> Double {
        let p = points[Self.group(region)]!
        guard let hi = p.firstIndex(where: { $0.age >= ageYears }) else { return p.last!.p75 }
        guard hi > 0 else { return p[0].p75 }
        let a = p[hi - 1], b = p[hi]
        return a.p75 + (ageYears - a.age) / (b.age - a.age) * (b.p75 - a.p75)
    }

    /// Factor on the upper bound for the practice of a year; without a year, the oldest era's (most permissive).
    public static func eraFactor(year: Double?) -> Double {
        guard let year else { return 1.32 * 1.89 }
        switch year {
        case 2010...: return 1
        case 2000..<2010: return 1.32
        case 1990..<2000: return 1.32 * 1.37
        default: return 1.32 * 1.89
        }
    }

    /// Spread (lognormal GSD) of CTDIvol within an age group and era that places the median below
    /// the published 75th percentile: median = P75 / GSD^0.6745. Harmonic's assumption, the same as
    /// the synthetic registry's (`DiagnosticImagingSimulator.ctdivolGSD`); not from a publication.
    public static let withinGroupGSD = 1.5

    /// The typical CTDIvol (mGy, in the region group's phantom) of a CT exam that records no dose:
    /// the median implied by the paediatric 75th percentile for the age (Ploussi et al. 2020, 2019
    /// practice; `withinGroupGSD`) times the dose of the exam's era relative to 2010 onward
    /// (`eraFactor`: iterative reconstruction from 2010, Moorin et al. 2015; the fall of paediatric
    /// CT mAs from before 1990 to after 2000, PMC4846191). Without a year, current practice (factor 1),
    /// said in the basis. The `ct_typical_technique` error carries how far a hospital's practice
    /// may be from it.
    public func typicalCTDIvol(_ region: CTRegion, ageYears: Double, year: Double?) -> (ctdivol: Double, phantom: Double, basis: String) {
        let p = p75(region, ageYears: ageYears)
        let era = year == nil ? 1 : Self.eraFactor(year: year)
        let median = p / pow(Self.withinGroupGSD, 0.6745)
        let phantom = phantoms[Self.group(region)]!
        let basis = String(format: "typical %.3g mGy (%g cm phantom): the median below the paediatric 75th percentile %.3g mGy of a %@ scan at age %.1f (Ploussi et al. 2020, within-group GSD %.1f)%@",
                           median * era, phantom, p, Self.group(region), ageYears, Self.withinGroupGSD,
                           year == nil ? ", current practice (no year given)"
                               : era == 1 ? String(format: ", practice of %.0f", year!) : String(format: " x %.2f for the practice of %.0f", era, year!))
        return (median * era, phantom, basis)
    }

    /// The plausible CTDIvol range (mGy, in the region's reference phantom) and a sentence naming the bound's source.
    public func range(_ region: CTRegion, ageYears: Double, year: Double?) -> (range: ClosedRange<Double>, basis: String) {
        let absolute = CTPlausibility.ctdivolRange(region)
        let ref = p75(region, ageYears: ageYears), era = Self.eraFactor(year: year)
        let lo = max(absolute.lowerBound, ref * Self.lowerFactor)
        let hi = max(lo, min(absolute.upperBound, ref * Self.upperFactor * era))
        let basis = String(format: "1/20 to 5 times the paediatric 75th percentile %.3g mGy for a %@ scan at age %.1f (Ploussi et al. 2020)%@, within %g-%g mGy",
                           ref, Self.group(region), ageYears, era == 1 ? "" : String(format: " x %.2f for %@ practice", era, year.map { String(format: "%.0f", $0) } ?? "an unknown year's"),
                           absolute.lowerBound, absolute.upperBound)
        return (lo...hi, basis)
    }
}
