import Foundation
import HarmonicCore

/// Draws one child of the paediatric radiotherapy registry: the primary cancer, an RT course
/// with modality and technique by era, imaging during treatment, biobank samples with
/// biomarkers, and patient-reported outcome scores.
struct RadiotherapyChildSimulator {
    let config: SynthesisConfiguration

    /// Target sites with the typical prescription (Gy) and primary diagnosis (ICD-O-3), of the
    /// order of current paediatric protocols (SIOP-Europe: medulloblastoma CSI 23.4-36 Gy +
    /// boost to 54 Gy, ependymoma 54-59.4 Gy, rhabdomyosarcoma 41.4-50.4 Gy, Wilms flank 14.4 Gy,
    /// Hodgkin lymphoma 19.8-30 Gy).
    static let sites: [(site: String, dose: Double, topo: String, morph: String, weight: Double)] = [
        ("craniospinal", 54.0, "C71.6", "9470", 0.18), ("brain", 54.0, "C71.9", "9391", 0.25),
        ("head_neck", 50.4, "C49.0", "8900", 0.12), ("thorax", 30.0, "C77.1", "9650", 0.10),
        ("abdomen", 14.4, "C64.9", "8960", 0.12), ("pelvis", 45.0, "C49.5", "8900", 0.10),
        ("extremity", 50.4, "C40.2", "9260", 0.13),
    ]

    func simulate(country: Country, number: Int, rng: inout RandomStream, out: inout ChunkOutput) {
        let pid = "\(country.rawValue)-R\(String(number + 100_000).dropFirst())"
        let sex: Sex = rng.uniform() < 0.55 ? .male : .female
        let startDay = CalendarDate(year: 2005, month: 1, day: 1)!.dayNumber + Int(rng.uniform() * 16 * 365.25)
        let year = 1970 + Double(startDay) / 365.25
        let age = 0.5 + rng.uniform() * 17.5
        let birthDay = startDay - Int(age * 365.25)
        var u = rng.uniform() * Self.sites.reduce(0) { $0 + $1.weight }
        var site = Self.sites[0]
        for s in Self.sites { u -= s.weight; if u <= 0 { site = s; break } }
        let diagnosisDay = startDay - 20 - Int(rng.uniform() * 60)
        let dead = rng.uniform() < 0.15  // ~80-85% 5-year survival of children given RT (ACCIS)
        let exitDay = dead ? min(config.followUpEnd.dayNumber, startDay + 100 + Int(rng.exponential() * 700))
            : config.followUpEnd.dayNumber

        out[.patients].text(pid); out[.patients].text(country.rawValue); out[.patients].text(sex.rawValue)
        out[.patients].date(CalendarDate(dayNumber: birthDay)); out[.patients].text("radiotherapy")
        out[.patients].text("none"); out[.patients].text(dead ? "dead" : "alive"); out[.patients].empty()
        out[.patients].date(CalendarDate(dayNumber: exitDay))
        if dead { out[.patients].date(CalendarDate(dayNumber: exitDay)) } else { out[.patients].empty() }
        out[.patients].endRow()

        // Primary cancer.
        out[.cancers].id(pid, "-K", 1); out[.cancers].text(pid); out[.cancers].date(CalendarDate(dayNumber: diagnosisDay))
        out[.cancers].text(site.topo); out[.cancers].text(site.morph + "/3"); out[.cancers].text("3"); out[.cancers].text("7")
        out[.cancers].text("\(country.rawValue)-cancer-registry"); out[.cancers].endRow()

        // Course: protons rising from ~10% (2005) to ~40% (2020) of this registry's children.
        let proton = rng.uniform() < 0.1 + (year - 2005) * 0.02
        let technique = proton ? (year < 2014 && rng.uniform() < 0.7 ? "passive_scattering" : "pencil_beam_scanning")
            : (year < 2009 ? (rng.uniform() < 0.7 ? "3d_crt" : "imrt") : (rng.uniform() < 0.6 ? "vmat" : "imrt"))
        var dose = site.dose, fractions = Int((site.dose / 1.8).rounded())
        var courseKind: String? = nil
        if config.corruptFraction > 0 && rng.uniform() < config.corruptFraction {
            courseKind = "dose_in_cgy"; dose *= 100
        }
        if let courseKind { out.markCorrupted(.rtCourses, courseKind) }
        let endDay = startDay + fractions * 7 / 5
        let course = "\(pid)-RT1"
        out[.rtCourses].text(course); out[.rtCourses].text(pid)
        out[.rtCourses].date(CalendarDate(dayNumber: startDay)); out[.rtCourses].date(CalendarDate(dayNumber: endDay))
        out[.rtCourses].text(proton ? "proton" : "photon"); out[.rtCourses].text(technique)
        out[.rtCourses].text(site.site); out[.rtCourses].decimal(dose, 1); out[.rtCourses].int(fractions)
        out[.rtCourses].int(proton ? Int(100 + rng.uniform() * 130) : 6)
        out[.rtCourses].endRow()
        fractions = max(fractions, 1)

        // Imaging: planning CT, daily or weekly CBCT, planar kV pairs; dose per session of the
        // order of AAPM TG-180 (Ding et al., Med Phys 2018): CT 10-30 mGy CTDIvol, CBCT 1-30 mGy,
        // planar kV 0.1-1 mGy.
        let cbct = rng.uniform() < 0.5 ? fractions : max(1, fractions / 5)
        let imaging: [(String, Int, Int, Int, Double)] = [
            ("ct", 1, startDay - 10, startDay - 10, 10 + 20 * rng.uniform()),
            ("cbct", cbct, startDay, endDay, 1 + 29 * rng.uniform()),
            ("planar_kv", fractions / 5 + 1, startDay, endDay, 0.1 + 0.9 * rng.uniform()),
        ]
        for (k, im) in imaging.enumerated() {
            // Imaging of a corrupted (rejected) course cannot load either: recorded as such.
            if courseKind != nil { out.markCorrupted(.rtImaging, "child_of_corrupted_row") }
            out[.rtImaging].id(pid, "-I", k + 1); out[.rtImaging].text(course); out[.rtImaging].text(im.0)
            out[.rtImaging].date(CalendarDate(dayNumber: im.2)); out[.rtImaging].date(CalendarDate(dayNumber: im.3))
            out[.rtImaging].int(im.1); out[.rtImaging].decimal(im.4, 2); out[.rtImaging].endRow()
        }
        let countryIndex = UInt64(Country.allCases.firstIndex(of: country) ?? 0)

        // MV portal images (`planar_mv`) of photon courses: weekly, an orthogonal MV pair of 20-100 mGy
        // at the isocentre per session (AAPM TG-180, Ding et al., Med Phys 2018: a few cGy per MV
        // portal image). Share of photon courses: 80% before 2010, 20% after, as kV image guidance
        // replaced MV portal imaging (Harmonic's assumption of practice, not a cited rate). From a
        // stream of its own, after every other imaging row, so that the other rows stay as before.
        var portalRNG = RandomStream(seed: config.seed ^ 0x4D56_0000_0000_0000, stream: UInt64(number) &* 16 &+ countryIndex)
        if !proton, portalRNG.uniform() < (year < 2010 ? 0.8 : 0.2) {
            if courseKind != nil { out.markCorrupted(.rtImaging, "child_of_corrupted_row") }
            out[.rtImaging].id(pid, "-I", imaging.count + 1); out[.rtImaging].text(course); out[.rtImaging].text("planar_mv")
            out[.rtImaging].date(CalendarDate(dayNumber: startDay)); out[.rtImaging].date(CalendarDate(dayNumber: endDay))
            out[.rtImaging].int(fractions / 5 + 1); out[.rtImaging].decimal(20 + 80 * portalRNG.uniform(), 2); out[.rtImaging].endRow()
        }

        // Chemotherapy, from a stream of its own so that adding it left every other table as before.
        var chemoRNG = RandomStream(seed: config.seed ^ 0xC4E3_0000_0000_0000, stream: UInt64(number) &* 16 &+ countryIndex)
        let chemoStart = diagnosisDay + 7, chemoEnd = max(endDay, startDay + 120 + Int(chemoRNG.uniform() * 120))
        for (k, c) in ChemotherapyRegimens.draw(site: site.site, rng: &chemoRNG).enumerated() where chemoEnd <= exitDay {
            out[.chemotherapy].id(pid, "-C", k + 1); out[.chemotherapy].text(pid); out[.chemotherapy].text(c.agent)
            out[.chemotherapy].date(CalendarDate(dayNumber: chemoStart)); out[.chemotherapy].date(CalendarDate(dayNumber: chemoEnd))
            out[.chemotherapy].decimal(c.doseMgPerM2, 1); out[.chemotherapy].endRow()
        }

        // Transplants and operations (dictionary 1.3.0), from a stream of their own so that every other
        // table stays as before; a date after the end of follow-up or past the 19th birthday is not drawn.
        var treatmentRNG = RandomStream(seed: config.seed ^ 0x45C7_0000_0000_0000, stream: UInt64(number) &* 16 &+ countryIndex)
        let extra = TransplantSurgeryDraws.draw(site: site.site, rng: &treatmentRNG)
        func drawable(_ day: Int) -> Bool { day <= exitDay && day > diagnosisDay && Double(day - birthDay) / 365.25 < 18.9 }
        for (k, t) in extra.transplants.enumerated() where drawable(startDay + t.dayOffset) {
            out[.hsct].id(pid, "-H", k + 1); out[.hsct].text(pid); out[.hsct].date(CalendarDate(dayNumber: startDay + t.dayOffset))
            out[.hsct].text(t.type); out[.hsct].text(t.tbi ? "yes" : "no"); out[.hsct].endRow()
        }
        for (k, o) in extra.operations.enumerated() where drawable(startDay + o.dayOffset) {
            out[.surgery].id(pid, "-O", k + 1); out[.surgery].text(pid); out[.surgery].date(CalendarDate(dayNumber: startDay + o.dayOffset))
            out[.surgery].text(o.region); out[.surgery].endRow()
        }

        // Biobank samples (before, end of RT, 1 year) and biomarkers.
        let points: [(String, Int)] = [("before_rt", startDay - 3), ("end_of_rt", endDay), ("follow_up", endDay + 365)]
        let analytes: [(String, String, Double, String)] = [
            ("nt_probnp", "pg/mL", 60, "Roche Elecsys proBNP II"), ("troponin_t", "ng/L", 5, "Roche hs-TnT"),
            ("tsh", "mU/L", 2, "Abbott Architect TSH"), ("crp", "mg/L", 1.5, "Siemens Atellica CRP"),
        ]
        var m = 0
        for (k, pt) in points.enumerated() where pt.1 <= exitDay && rng.uniform() < 0.8 {
            let sid = "\(pid)-S\(k + 1)"
            let type = ["blood", "plasma", "saliva"][Int(rng.uniform() * 3)]
            out[.biobankSamples].text(sid); out[.biobankSamples].text(pid); out[.biobankSamples].text(type)
            out[.biobankSamples].date(CalendarDate(dayNumber: pt.1)); out[.biobankSamples].text(pt.0)
            out[.biobankSamples].text("\(country.rawValue)-biobank-freezer-\(1 + Int(rng.uniform() * 4))")
            out[.biobankSamples].endRow()
            guard type != "saliva" else { continue }
            for a in analytes where rng.uniform() < 0.6 {
                m += 1
                out[.biomarkers].id(pid, "-M", m); out[.biomarkers].text(sid); out[.biomarkers].text(a.0)
                out[.biomarkers].decimal(a.2 * exp(0.5 * rng.normal()) * (k == 1 ? 1.3 : 1), 2)
                out[.biomarkers].text(a.1); out[.biomarkers].text(a.3)
                out[.biomarkers].date(CalendarDate(dayNumber: pt.1 + 7)); out[.biomarkers].endRow()
            }
        }
        // PedsQL 4.0 total scores (0-100; population mean ~80, childhood cancer survivors ~70-75:
        // Varni et al., Cancer 2002).
        for k in 0..<3 where rng.uniform() < 0.7 {
            let d = endDay + 180 + k * 365
            guard d <= exitDay else { break }
            out[.proScores].id(pid, "-Q", k + 1); out[.proScores].text(pid); out[.proScores].text("pedsql_total")
            out[.proScores].decimal(min(100, max(0, 72 + 14 * rng.normal())), 1)
            out[.proScores].date(CalendarDate(dayNumber: d)); out[.proScores].endRow()
        }
    }
}
