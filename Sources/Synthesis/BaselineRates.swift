import HarmonicCore

/// Conditions recorded on a patient that change cancer baseline risk or follow-up.
public enum PredisposingCondition: String, CaseIterable, Sendable {
    case downSyndrome = "down_syndrome"
    case deletion22q11 = "22q11_deletion"
    case transplant = "organ_transplant"
    case immunodeficiency

    /// The data dictionary's code (22q11 deletion is one of the "other chromosomal syndromes").
    public var dictionaryCode: String {
        self == .deletion22q11 ? "other_chromosomal_syndrome" : rawValue
    }

    /// Prevalence among children catheterised for congenital heart disease.
    /// Down syndrome: ~6% of CHD children (40-50% of Down syndrome children have CHD;
    /// Freeman et al., Genet Med 2008; Harbron et al. cohort descriptions report 5-8%).
    /// 22q11.2 deletion: ~2% of CHD, higher in conotruncal defects (Goldmuntz, JACC 1998).
    /// Heart transplant: ~1% of catheterised children (later eras). Primary/secondary
    /// immunodeficiency other than the above: ~0.5% (assumed).
    var prevalence: Double {
        switch self {
        case .downSyndrome: 0.06
        case .deletion22q11: 0.02
        case .transplant: 0.01
        case .immunodeficiency: 0.005
        }
    }

    /// Relative baseline risk by outcome. Down syndrome: leukaemia ~15x overall in childhood
    /// (SIR 10-20; Hasle, Clemmensen & Mikkelsen, Lancet 2000), solid tumours about halved
    /// (same source). 22q11 deletion: lymphoma/leukaemia raised ~3x (McDonald-McGinn et al.,
    /// Nat Rev Dis Primers 2015, case series). Solid-organ transplant: lymphoma
    /// (post-transplant lymphoproliferative disorder) ~20x, other cancers ~2x (Engels et al.,
    /// JAMA 2011). Immunodeficiency: lymphoma ~20x, leukaemia ~3x (Mayor et al., JACI 2018).
    func relativeRisk(_ outcome: SynthOutcome) -> Double {
        switch (self, outcome) {
        case (.downSyndrome, .leukaemia): 15
        case (.downSyndrome, .lymphoma): 1
        case (.downSyndrome, _): 0.5
        case (.deletion22q11, .leukaemia), (.deletion22q11, .lymphoma): 3
        case (.deletion22q11, _): 1
        case (.transplant, .lymphoma): 20
        case (.transplant, _): 2
        case (.immunodeficiency, .lymphoma): 20
        case (.immunodeficiency, .leukaemia): 3
        case (.immunodeficiency, _): 1
        }
    }
}

/// Baseline cancer incidence per person-year by outcome, attained age, sex and calendar year.
/// Approximate European rates per 100,000 person-years (childhood: ACCIS, Steliarova-Foucher
/// et al., Lancet 2004 and Lancet Oncol 2017, leukaemia ~4-5 at 0-14 with a peak of ~5-8 at
/// 0-4; adults: GLOBOCAN/ECIS Europe 2020 age-specific rates), rising ~1% per calendar year
/// for childhood cancers (Steliarova-Foucher 2004).
public enum BaselineRates {
    /// Age-band upper limits (years) shared by the rate tables below.
    static let bandUpper: [Double] = [5, 10, 15, 20, 30, 40, 50, 60, 200]
    // Rates per 100,000 person-years in the bands above, both sexes, before sex factors.
    static let table: [SynthOutcome: [Double]] = [
        .leukaemia: [5.0, 3.0, 2.3, 2.0, 2.0, 2.5, 4.0, 8.0, 20.0],
        .lymphoma: [0.6, 1.0, 1.8, 3.5, 4.0, 4.5, 7.0, 12.0, 40.0],
        .brain: [4.0, 3.5, 3.0, 2.5, 3.0, 4.0, 6.0, 9.0, 15.0],
        .thyroid: [0.05, 0.2, 0.8, 2.5, 5.0, 7.0, 9.0, 10.0, 12.0],
        .breast: [0, 0, 0, 0.2, 8.0, 50.0, 150.0, 250.0, 350.0],
        .lung: [0, 0, 0.05, 0.1, 0.3, 2.0, 10.0, 40.0, 100.0],
    ]

    /// Baseline incidence per person-year.
    public static func rate(_ outcome: SynthOutcome, age: Double, sex: Sex, year: Double) -> Double {
        var band = 0
        while band < bandUpper.count - 1 && age >= bandUpper[band] { band += 1 }
        var r = table[outcome]![band] / 100_000
        switch outcome {
        case .leukaemia, .lymphoma, .brain: if sex == .male { r *= 1.2 }
        case .thyroid: r *= sex == .female ? 1.5 : 0.5   // F:M ~3:1 (ECIS)
        case .breast: if sex == .male { r *= 0.01 }     // male breast cancer ~1% of female
        case .lung: break
        }
        if age < 20 { r *= max(0.5, 1 + 0.01 * (year - 1990)) }
        return r
    }

    /// Annual death hazard after cardiac catheterisation for congenital heart disease:
    /// highest in the first year of life and the first year after the first procedure, lower
    /// in later eras. Of the order of published CHD survival (Mandalenakis et al., Circulation
    /// 2017; ~5% first-year mortality after infant catheterisation, ~0.3-0.5%/year later).
    static func deathHazard(age: Double, yearsSinceFirstProcedure: Double, year: Double) -> Double {
        var h = 0.003
        if age < 1 { h += 0.04 }
        if yearsSinceFirstProcedure < 1 { h += 0.02 }
        let eraFactor = year < 1990 ? 2.0 : (year < 2005 ? 1.4 : 1.0)
        return h * eraFactor
    }
    /// Annual emigration hazard (~0.5%/year, of the order of the loss to follow-up reported by
    /// Nordic and UK cohorts).
    static let emigrationHazard = 0.005
}
