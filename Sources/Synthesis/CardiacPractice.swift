import Foundation
import HarmonicCore

/// Cardiac catheterisation practice as synth models it: procedure mixes, equipment,
/// dose levels and dose-record completeness by calendar era.
enum CardiacPractice {
    /// Procedure types (the coded list of the data dictionary) and their class.
    static let interventionalTypes: [(code: String, weight: Double, kapFactor: Double)] = [
        ("asd_closure", 0.16, 1.0), ("pda_closure", 0.16, 0.7), ("balloon_valvuloplasty", 0.18, 1.2),
        ("balloon_angioplasty", 0.12, 1.8), ("stent", 0.08, 2.2), ("balloon_atrial_septostomy", 0.08, 0.4),
        ("ablation", 0.10, 1.5), ("biopsy", 0.08, 0.3), ("other_interventional", 0.04, 1.5),
    ]
    /// Interventional share by calendar year: ~10% before 1985 rising to ~60% after 2005
    /// (diagnostic catheterisation replaced by echocardiography and MRI; Harbron et al.,
    /// Br J Radiol 2015 report ~60% interventional in 2000-2013 UK practice).
    static func interventionalShare(year: Double) -> Double {
        min(0.62, max(0.08, 0.08 + (year - 1980) * 0.022))
    }
    /// Ablation exists from the 1990s; closure devices from the mid-1990s.
    static func available(_ code: String, year: Double) -> Bool {
        switch code {
        case "ablation": year >= 1992
        case "asd_closure", "pda_closure": year >= 1994
        case "stent": year >= 1990
        default: true
        }
    }

    /// Median KAP (Gy·cm²) of a diagnostic procedure in ~2010 by age band. Of the order of
    /// published paediatric cardiac values: Harbron et al., Br J Radiol 2015 (UK multicentre,
    /// median ~1-2 Gy·cm² under 1 year, ~3-4 at 1-5, ~5-8 at 5-10, ~10-20 at 10-16); Ubeda et al.,
    /// Phys Med 2017 (similar ranges); Norwegian national survey (Borretzen et al.).
    static func medianKAP2010(age: Double) -> Double {
        switch age {
        case ..<1: 1.5
        case ..<5: 3.0
        case ..<10: 5.5
        case ..<16: 11.0
        default: 16.0
        }
    }
    /// KAP multiplier by calendar year: falling ~4.5% per year, so ~4-5x higher in the late
    /// 1970s than around 2010 (pulsed fluoroscopy, copper filtration, flat detectors; Harbron et
    /// al., "historical dose estimation", J Radiol Prot 2018 report several-fold higher doses
    /// before the 1990s).
    static func eraFactor(year: Double) -> Double { exp(-0.045 * (year - 2010)) }

    /// Share of procedures with each dose-record completeness level by year: event-level
    /// reports (RDSR) from ~2005, procedure totals (KAP meters) increasingly from ~1990,
    /// nothing before.
    static func doseRecord(year: Double, u: Double) -> DoseRecord {
        let eventShare = year < 2005 ? 0 : min(0.9, 0.3 + (year - 2005) * 0.06)
        let totalsShare = year < 1985 ? 0.05 : min(1 - eventShare, 0.2 + max(0, year - 1990) * 0.05)
        if u < eventShare { return .events }
        if u < eventShare + totalsShare { return .totals }
        return .none
    }

    /// Angiography systems by era (the equipment column).
    static func equipment(year: Double, u: Double) -> String {
        let models: [String]
        switch year {
        case ..<1986: models = ["Philips Poly Diagnost C", "Siemens Bicor", "CGR Angioscop"]
        case ..<1996: models = ["Philips Integris BH3000", "Siemens Angiostar", "GE Advantx LCV"]
        case ..<2006: models = ["Philips Integris Allura", "Siemens Axiom Artis BC", "GE Innova 2000"]
        default: models = ["Philips Allura Xper FD10/10", "Siemens Artis zee biplane", "GE Innova IGS 520", "Canon Infinix-i"]
        }
        return models[min(models.count - 1, Int(u * Double(models.count)))]
    }

    /// Median weight (kg) and height (cm) by age: WHO child growth standards (0-5 years) and
    /// WHO 2007 reference (5-19), both sexes averaged; children with CHD ~10% lighter.
    static let growthAges: [Double] = [0, 0.25, 0.5, 1, 2, 3, 5, 8, 10, 12, 15, 18, 30]
    static let growthWeight: [Double] = [3.3, 6.0, 7.6, 9.6, 12.2, 14.3, 18.3, 25.6, 32.0, 40.5, 56.0, 64.0, 70.0]
    static let growthHeight: [Double] = [50, 61, 67, 75, 87, 96, 110, 128, 138, 150, 167, 173, 174]
    static func interpolate(_ ys: [Double], age: Double) -> Double {
        let a = max(0, min(age, growthAges.last!))
        var i = 1
        while i < growthAges.count - 1 && growthAges[i] < a { i += 1 }
        let t = (a - growthAges[i - 1]) / (growthAges[i] - growthAges[i - 1])
        return ys[i - 1] + t * (ys[i] - ys[i - 1])
    }
}

/// Completeness of a procedure's dose record.
enum DoseRecord: String { case events = "event", totals = "totals", none }

/// The true organ doses synth uses to draw cancers: effective dose per unit KAP by age
/// (Ubeda et al., Phys Med 2017: 1.70, 0.89, 0.58, 0.40 mSv/(Gy·cm²) for ages <1, 1-<5,
/// 5-<10, 10-<16; 0.20 for adults, Karambatsakidou et al. 2009) times organ-to-effective dose
/// ratios typical of PCXMC calculations for paediatric cardiac projections (lungs and breast in
/// the beam ~2-2.5x E, red marrow ~0.6x, thyroid at the field edge ~0.5x, brain out of field
/// ~0.03x; e.g. Yakoumakis et al., Phys Med 2009; Karambatsakidou et al., RPD 2009).
public enum TrueOrganDoseModel {
    public static let organs: [Organ] = [.redMarrow, .lungs, .breast, .thyroid, .brain, .oesophagus, .heart]
    static let ratioToEffective: [Double] = [0.6, 2.2, 2.0, 0.5, 0.03, 1.5, 4.0]

    /// Effective dose per KAP in Sv per Gy·cm².
    public static func effectivePerKAP(age: Double) -> Double {
        let mSv: Double
        switch age {
        case ..<1: mSv = 1.70
        case ..<5: mSv = 0.89
        case ..<10: mSv = 0.58
        case ..<16: mSv = 0.40
        default: mSv = 0.20
        }
        return mSv / 1000
    }
    /// Organ doses (Gy) for `organs` from a procedure KAP at an age.
    static func organDoses(kap: Double, age: Double) -> [Double] {
        let e = kap * effectivePerKAP(age: age)
        return ratioToEffective.map { $0 * e }
    }
    static func index(of organ: Organ) -> Int { organs.firstIndex(of: organ)! }
}
