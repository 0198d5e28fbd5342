import Foundation
import HarmonicCore

/// Draws the diagnostic imaging of one cardiac child (CT and chest radiography) into
/// `diagnostic_imaging.csv`, and each exam's true technique into `truth/imaging_exams.csv`
/// (true organ doses: `SyntheticImagingTruth` in Dosimetry, which has the CT coefficients).
///
/// Every child draws from a stream of its own (salted seed, keyed by country and child number),
/// so adding imaging changed none of the rows synth wrote before.
///
/// Rates. One published rate was found, and it is used for every country and era with its
/// uncertainty: Afroz et al., Pediatr Radiol 2023;53:2502-2514 (doi:10.1007/s00247-023-05774-8),
/// Norwegian HARMONIC centre, 3,609 children with CHD, 33,768 examinations 2000-2020: 91.0%
/// radiography, 4.0% CT (3.6% fluoroscopy, 1.2% nuclear medicine, not synthesised). That is 0.374 CT
/// and 8.52 radiographs per child. Per child-year Harmonic divides by 9.4 years, the mean observed
/// childhood of children born uniformly in 2000-2020 and followed to the end of 2020 or age 18 (an
/// assumption: the paper's mean follow-up was not found). Each country's rates are multiplied by a
/// lognormal factor (GSD 1.5, drawn once per country from the seed and written to truth.json): the
/// rate's uncertainty outside Norway. No rate before 2000 was found, so no exam before 2000 is
/// synthesised.
struct DiagnosticImagingSimulator {
    let config: SynthesisConfiguration
    static let seedSalt: UInt64 = 0xD1A6_1319_0000_0000
    static let firstDay = CalendarDate(year: 2000, month: 1, day: 1)!.dayNumber
    static let lastDay = CalendarDate(year: 2020, month: 12, day: 31)!.dayNumber
    /// CT and radiography per child-year (Afroz et al. 2023, 0.374 and 8.52 per child over 9.4 years).
    static let ctPerChildYear = 0.374 / 9.4
    static let radiographyPerChildYear = 8.52 / 9.4
    /// GSD of the per-country rate factor (Harmonic's assumption: one centre's rate applied to seven countries).
    static let countryRateGSD = 1.5
    /// CT body region shares: assumption. Afroz et al. 2025 (Acta Radiol 66:790, doi:10.1177/02841851251327896)
    /// collected only thoracic CT for this population, so chest is taken as the commonest.
    static let ctRegions: [(region: String, share: Double)] = [("chest", 0.70), ("head", 0.20), ("abdomen", 0.10)]

    static let columns = ["site", "imaging_id", "patient_id", "exam_date", "age_years", "sex", "modality", "body_region",
                          "kvp", "ctdivol_true_mgy", "reference_phantom_cm", "size_age_years", "scan_length_cm",
                          "ctdivol_display_factor", "recorded", "entrance_air_kerma_true_mgy"]
    static let truthFileName = "imaging_exams.csv"

    /// The rate factor of a country (lognormal, median 1, GSD `countryRateGSD`), fixed by the seed.
    static func countryRateFactor(_ country: Country, seed: UInt64) -> Double {
        let index = UInt64(Country.allCases.firstIndex(of: country) ?? 0)
        var rng = RandomStream(seed: seed ^ seedSalt, stream: (1 << 50) + index)
        return exp(log(countryRateGSD) * rng.normal())
    }

    /// 75th-percentile CTDIvol (mGy) of the youngest and oldest paediatric groups, 2019 practice:
    /// Ploussi et al., Br J Radiol 2020;93:20190358 (largest children's hospital in Greece; local
    /// DRLs by age and weight group: head 22-68, chest 2-5, abdomen-pelvis 2-10 mGy). Harmonic
    /// interpolates linearly in age from 0 to 18 years between the two (an assumption), and reads
    /// the head values in the 16 cm and the body values in the 32 cm CTDI phantom (the paper's
    /// phantom was not stated in the abstract). Cross-check: Boulanouar et al., Radioprotection
    /// 2025;60:297, Table 3, chest CT P75 3.7-5.8 mGy for ages 1-15.
    static func drlCTDIvol(region: String, age: Double) -> (p75: Double, phantom: Double) {
        let t = min(max(age, 0), 18) / 18
        switch region {
        case "head": return (22 + t * (68 - 22), 16)
        case "chest": return (2 + t * (5 - 2), 32)
        default: return (2 + t * (10 - 2), 32)
        }
    }
    /// Spread of CTDIvol within an age group and era (lognormal GSD): Harmonic's assumption.
    static let ctdivolGSD = 1.5
    /// Era factor on CTDIvol before 2010: iterative reconstruction lowered head CT effective dose
    /// by 22-27% (Moorin et al., PLoS ONE 2015;10:e0138329), so 2000-2009 practice is taken as
    /// 1/(1 − 0.245) = 1.32 times the 2019 DRLs, for every region (extension to the body: assumption).
    static func eraFactor(year: Double) -> Double { year < 2010 ? 1 / (1 - 0.245) : 1 }
    /// First year whose CT exams keep a dose in the archive (the DLP; CTDIvol too from 2010):
    /// Harmonic's assumption. Scanners display CTDIvol since IEC 60601-2-44 ed. 2 (2001) and DLP
    /// with multislice scanners; an archived exam before that keeps images but no dose page. The
    /// store gives such exams the typical CTDIvol of their era (`typical_technique`).
    static let firstYearWithCTDose = 2002.0
    /// CTDIvol display calibration error of a scanner (lognormal GSD), the same assumption as the
    /// dose reconstruction's `ctdivol_display` component (Resources/imaging-dose-uncertainty.csv).
    static let displayGSD = 1.10

    func simulate(country: Country, number: Int, pid: String, sex: Sex, birthDay: Int, exitDay: Int, hospital: Int,
                  ofRejectedChild: Bool, out: inout ChunkOutput) {
        let start = max(birthDay, Self.firstDay)
        let end = min(exitDay, Self.lastDay, birthDay + Int(18 * 365.25) - 1)
        guard end > start else { return }
        let countryIndex = UInt64(Country.allCases.firstIndex(of: country) ?? 0)
        var rng = RandomStream(seed: config.seed ^ Self.seedSalt, stream: UInt64(number) &* 16 &+ countryIndex)
        let factor = Self.countryRateFactor(country, seed: config.seed)
        var days: [(day: Int, ct: Bool)] = []
        for (ct, rate) in [(true, Self.ctPerChildYear), (false, Self.radiographyPerChildYear)] {
            let perDay = rate * factor / 365.25
            var t = Double(start) + rng.exponential() / perDay
            while t <= Double(end) { days.append((Int(t), ct)); t += rng.exponential() / perDay }
        }
        days.sort { $0.day < $1.day }
        var used = Set<Int>()
        var k = 0
        for e in days {
            // One exam per child and day: the store's truth comparison matches on child and date.
            var day = e.day
            while used.contains(day) { day += 1 }
            guard day <= end else { continue }
            used.insert(day)
            k += 1
            if ofRejectedChild { out.markCorrupted(.diagnosticImaging, "child_of_corrupted_row") }
            writeExam(ct: e.ct, day: day, number: k, country: country, pid: pid, sex: sex, birthDay: birthDay,
                      hospital: hospital, rng: &rng, out: &out)
        }
    }

    func writeExam(ct: Bool, day: Int, number: Int, country: Country, pid: String, sex: Sex, birthDay: Int,
                   hospital: Int, rng: inout RandomStream, out: inout ChunkOutput) {
        let age = Double(day - birthDay) / 365.25
        let year = 1970 + Double(day) / 365.25
        let date = CalendarDate(dayNumber: day)
        var w = out[.diagnosticImaging]
        out[.diagnosticImaging] = CSVRowWriter()
        var t = out.imagingTruth
        out.imagingTruth = CSVRowWriter()
        w.id(pid, "-D", number); w.text(pid); w.date(date)
        t.text(country.rawValue); t.id(pid, "-D", number); t.text(pid); t.date(date); t.decimal(age, 3); t.text(sex.rawValue)
        guard ct else {
            writeRadiograph(day: day, age: age, year: year, country: country, pid: pid, number: number, hospital: hospital, w: &w, t: &t)
            out[.diagnosticImaging] = w; out.imagingTruth = t
            return
        }
        var u = rng.uniform(), region = Self.ctRegions[0].region
        for r in Self.ctRegions { u -= r.share; if u <= 0 { region = r.region; break } }
        // The true dose follows the phantom of the child's size age, the reconstruction the phantom of the true age.
        let sizeAge = Self.sizeAge(age: age, rng: &rng)
        let height = CardiacPractice.interpolate(CardiacPractice.growthHeight, age: age) * exp(0.04 * rng.normal())
        // Scan length from the child's height (anatomical extent, Harmonic's approximation of the
        // phantoms' ranges) with a per-exam spread GSD 1.15 (over- and under-ranging: assumption).
        // Chest: the phantoms' lung apices to lung bases are 0.17-0.20 of the height (`CTRegion`;
        // Fujii et al. 2009 planned 186-205 mm for a 6-year-old, an adult chest CT is ~32 cm).
        let extent: Double = switch region {
        case "head": 10 + 0.065 * (height - 50)
        case "chest": 0.175 * height
        default: 0.11 * height
        }
        let length = extent * exp(log(1.15) * min(2, max(-2, rng.normal())))
        let drl = Self.drlCTDIvol(region: region, age: age)
        let median = drl.p75 / exp(0.6745 * log(Self.ctdivolGSD)) * Self.eraFactor(year: year)
        let trueCTDIvol = median * exp(log(Self.ctdivolGSD) * min(2, max(-2, rng.normal())))
        let kvp: Double = region == "head" ? 120 : (age < 5 ? 80 : age < 12 ? 100 : 120)
        let era = Int((year - 2000) / 5) + 1
        let scanner = "\(country.rawValue)-H\(hospital)-CT\(era)"
        let display = Self.displayFactor(scanner: scanner, seed: config.seed)
        let shown = trueCTDIvol * display
        let modern = year >= 2010
        let recordsDose = year >= Self.firstYearWithCTDose
        w.text("ct"); w.text(region)
        if modern { w.decimal(shown, 2) } else { w.empty() }
        if recordsDose { w.decimal(shown * length, 1) } else { w.empty() }
        w.empty()
        if modern { w.decimal(kvp, 0); w.text(scanner); w.decimal(drl.phantom, 0) } else { w.empty(); w.empty(); w.empty() }
        w.empty()
        w.endRow()
        // Before 2010 no kVp is recorded and 120 kV is true (no material change in kVp over
        // 1978-2008 in Great Britain: PMC4846191, survey of 1,073 paediatric CT film sets).
        t.text("ct"); t.text(region); t.decimal(modern ? kvp : 120, 0); t.decimal(trueCTDIvol, 4); t.decimal(drl.phantom, 0)
        t.decimal(sizeAge, 3); t.decimal(length, 2); t.decimal(display, 4); t.text(modern ? "ctdivol_dlp" : recordsDose ? "dlp_only" : "none"); t.empty()
        t.endRow()
        out[.diagnosticImaging] = w; out.imagingTruth = t
    }

    /// Spread of a hospital's radiographic technique around the typical entrance air kerma (lognormal
    /// GSD, shared by the hospital's exams of a 5-year era): the reconstruction's
    /// `radiography_typical_technique` assumption (newborn entrance doses spanned 26-668 µGy across
    /// hospitals in Brindhaban & Eze 2006). Exam to exam within a hospital: GSD 1.3 (Harmonic's assumption).
    static let radiographyHospitalGSD = 2.0, radiographyExamGSD = 1.3

    /// A chest radiograph: the true entrance air kerma (free in air at the skin) is the typical value
    /// for the child's age (`TypicalRadiographyTechnique`, FDA 2017) × the hospital's technique factor
    /// × the exam's, from streams keyed by the hospital and era and by the exam (so no other row
    /// changes). From 2010 the room's dose display records it (DICOM Entrance Dose), with a display
    /// factor per room and era (GSD 1.10, as the CT display); before 2010 nothing is recorded. The
    /// child's size is drawn as for a CT (the truth uses the phantom of its size age).
    func writeRadiograph(day: Int, age: Double, year: Double, country: Country, pid: String, number: Int, hospital: Int,
                         w: inout CSVRowWriter, t: inout CSVRowWriter) {
        let era = Int((year - 2000) / 5) + 1
        let room = "\(country.rawValue)-H\(hospital)-XR\(era)"
        var hospitalRNG = RandomStream(seed: config.seed ^ Self.seedSalt ^ 0x0058_5241_5953, stream: StableHash.fnv1a(room))
        var examRNG = RandomStream(seed: config.seed ^ Self.seedSalt ^ 0x0058_5241_5953, stream: StableHash.fnv1a("\(pid)-D\(number)"))
        let technique = exp(log(Self.radiographyHospitalGSD) * min(2, max(-2, hospitalRNG.normal())))
            * exp(log(Self.radiographyExamGSD) * min(2, max(-2, examRNG.normal())))
        let sizeAge = Self.sizeAge(age: age, rng: &examRNG)
        let trueESAK = (TypicalRadiographyTechnique.entranceAirKerma(region: "chest", ageYears: age) ?? .nan) * technique
        let modern = year >= 2010
        let display = modern ? Self.displayFactor(scanner: room, seed: config.seed) : 1
        w.text("radiography"); w.text("chest")
        for _ in 0..<4 { w.empty() }
        if modern { w.text(room) } else { w.empty() }
        w.empty()
        if modern { w.decimal(trueESAK * display, 4) } else { w.empty() }
        w.endRow()
        t.text("radiography"); t.text("chest")
        for _ in 0..<3 { t.empty() }
        t.decimal(sizeAge, 3); t.empty(); t.decimal(display, 4); t.text(modern ? "entrance_air_kerma" : "none"); t.decimal(trueESAK, 5)
        t.endRow()
    }

    /// The scanner's CTDIvol display factor (lognormal, median 1, GSD `displayGSD`), from a
    /// stream keyed by the scanner's name, so every exam of that scanner shares it.
    static func displayFactor(scanner: String, seed: UInt64) -> Double {
        var rng = RandomStream(seed: seed ^ seedSalt ^ 0x5CA7, stream: StableHash.fnv1a(scanner))
        return exp(log(displayGSD) * min(2, max(-2, rng.normal())))
    }

    /// A child's size at an exam, drawn: children with CHD are ~10% lighter than the median (as the
    /// cardiac procedures), spread GSD exp(0.12); returned as the age whose median weight this is
    /// (the "size age"). One normal draw from `rng`.
    static func sizeAge(age: Double, rng: inout RandomStream) -> Double {
        ageOfMedianWeight(CardiacPractice.interpolate(CardiacPractice.growthWeight, age: age) * 0.9 * exp(0.12 * rng.normal()))
    }

    /// The age (years) whose median weight (`CardiacPractice.growthWeight`) is `kg`, clamped to 0-30.
    static func ageOfMedianWeight(_ kg: Double) -> Double {
        let ages = CardiacPractice.growthAges, ws = CardiacPractice.growthWeight
        if kg <= ws[0] { return 0 }
        for i in 1..<ws.count where kg <= ws[i] {
            return ages[i - 1] + (kg - ws[i - 1]) / (ws[i] - ws[i - 1]) * (ages[i] - ages[i - 1])
        }
        return ages.last!
    }
}
