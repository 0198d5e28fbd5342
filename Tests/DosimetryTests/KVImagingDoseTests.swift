import Foundation
import HarmonicCore
import Phantoms
import Testing
import Transport
@testable import Dosimetry

@Suite("Radiotherapy kV imaging organ doses: CBCT per CTDIw, planar kV pair per entrance air kerma, bad input")
struct KVImagingDoseTests {
    static let calculator = try! ImagingDoseCalculator.loadDefault()

    func exam(_ modality: ImagingModality, _ region: String, age: Double, sex: Sex = .male, index: Double? = nil, mAs: Double? = nil) -> ImagingExam {
        var e = ImagingExam(modality: modality, region: region, ageYears: age, sex: sex)
        e.doseIndex = index; e.mAs = mAs
        return e
    }

    @Test("the committed table covers both modalities, every region, reference age and sex with every organ of the sex")
    func tableComplete() throws {
        let t = try #require(Self.calculator.kv)
        for m in KVImagingDoses.Modality.allCases { for region in [CTRegion.head, .neck, .chest, .abdomen, .pelvis] {
            for age in ReferenceAge.allCases { for sex in Sex.allCases {
                let e = t.entries[.init(modality: m, region: region, age: age.rawValue, sex: sex)]
                #expect(e != nil, "missing \(m) \(region) \(age) \(sex)")
                if let e { #expect(e.organs.count == Organ.allCases.filter { $0.exists(in: sex) }.count && e.effective103 > 0) }
                if let e, m == .cbct { #expect(e.indexPerMAs > 0 && e.index == (region.isHeadScan ? .ctdiw16 : .ctdiw32)) }
            } }
        } }
    }

    @Test("a pelvis CBCT gives the organs in its cone much more dose than organs far outside it, and a head CBCT the reverse")
    func inCone() throws {
        let pelvis = try Self.calculator.estimate(exam(.cbct, "pelvis", age: 8, index: 10))
        #expect(pelvis.dose(.bladder)!.dose.central > 10 * pelvis.dose(.thyroid)!.dose.central)
        #expect(pelvis.dose(.bladder)!.dose.central > 5, "in-cone bladder gets about the CTDIw or more: \(pelvis.dose(.bladder)!.dose.central) mGy")
        let head = try Self.calculator.estimate(exam(.cbct, "head", age: 8, index: 10))
        #expect(head.dose(.brain)!.dose.central > 10 * head.dose(.bladder)!.dose.central)
    }

    @Test("CBCT organ doses are proportional to the recorded CTDIw; with only the mAs they use the tube's CTDIw per mAs and a wider interval")
    func linearAndMAs() throws {
        let a = try Self.calculator.estimate(exam(.cbct, "chest", age: 5, index: 4))
        let b = try Self.calculator.estimate(exam(.cbct, "chest", age: 5, index: 8))
        #expect(abs(b.dose(.lungs)!.dose.central - 2 * a.dose(.lungs)!.dose.central) < 1e-9)
        let perMAs = try Self.calculator.kv!.lookup(.cbct, region: .chest, ageYears: 5, sex: .male).indexPerMAs
        let m = try Self.calculator.estimate(exam(.cbct, "chest", age: 5, mAs: 4 / perMAs))
        #expect(abs(m.dose(.lungs)!.dose.central - a.dose(.lungs)!.dose.central) < 1e-9 * a.dose(.lungs)!.dose.central)
        #expect(m.dose(.lungs)!.dose.high95 / m.dose(.lungs)!.dose.central > a.dose(.lungs)!.dose.high95 / a.dose(.lungs)!.dose.central)
        #expect(m.uncertainty.contains { $0.component == "cbct_tube_output" } && m.notes.contains { $0.contains("mAs") })
    }

    @Test("a planar kV pair doses the organs under its field, per entrance air kerma of each image")
    func planarPair() throws {
        let r = try Self.calculator.estimate(exam(.planarKV, "chest", age: 4, sex: .female, index: 0.3))
        let lung = r.dose(.lungs)!.dose.central
        // Two images at 0.3 mGy entrance air kerma: the lungs behind the entrance surface get a fraction of 0.6 mGy.
        #expect(lung > 0.03 && lung < 0.6, "lungs \(lung) mGy")
        #expect(lung > 10 * r.dose(.bladder)!.dose.central)
    }

    @Test("bad kV imaging input is refused with the field, value and what was expected, never a default")
    func badInput() {
        func message(_ e: ImagingExam) -> String {
            do { _ = try Self.calculator.estimate(e); return "" } catch { return "\(error)" }
        }
        #expect(message(exam(.cbct, "pelvis", age: 8)).contains("never a silent default"))
        #expect(message(exam(.planarKV, "pelvis", age: 8)).contains("entrance air kerma"))
        #expect(message(exam(.cbct, "pelvis", age: 8, index: 400)).contains("400") && message(exam(.cbct, "pelvis", age: 8, index: 400)).contains("plausible"))
        #expect(message(exam(.planarKV, "chest", age: 8, index: 50)).contains("plausible"))
        #expect(message(exam(.cbct, "elbow", age: 8, index: 3)).contains("elbow"))
        #expect(message(exam(.cbct, "chest_abdomen_pelvis", age: 8, index: 3)).contains("one rotation"))
        #expect(message(exam(.cbct, "chest", age: 8, mAs: 1e6)).contains("mAs"))
    }

    /// Plausibility, not validation: Deng et al. (Int J Radiat Oncol Biol Phys 2012, "Kilovoltage imaging doses
    /// in the radiotherapy of pediatric cancer patients", EGS4 Monte Carlo on four patients; abstract values,
    /// docs/imaging-dose.md) give for one 125 kV half-fan CBCT 2.9 cGy (testes), 4.7 (liver), 7.7 (kidneys).
    /// Their machine's CTDIw and mAs are not in the abstract, and their patients are not Harmonic's phantoms,
    /// so the check is indirect: the CTDIw each organ implies (Deng dose / Harmonic's dose per CTDIw, 10-year-old
    /// boy, half fan, pelvis for the testes, abdomen for liver and kidneys) must agree between the organs in the
    /// cone (liver, kidneys) within a factor 3, and every organ's must lie within the 1-150 mGy that Varian OBI
    /// 1.3-1.4 half-fan scans delivered in an adult phantom (Palm et al., J Appl Clin Med Phys 2010;11(1):229: mean
    /// doses 3-35 mGy (v1.4) and ~100 mGy (v1.3)). The testes lie at the edge of Harmonic's 16 cm cone centred on
    /// the pelvis, where the dose falls steeply: since the table has 10⁶ histories (the testes were 97% noise at
    /// 12,000), they imply ~110 mGy against the liver's and kidneys' 30-41, so Deng's cones covered them more
    /// than Harmonic's; they are held to the plausible range only (docs/imaging-dose.md).
    @Test("Deng et al. 2012's paediatric half-fan CBCT organ doses imply one consistent CTDIw in the cone (liver, kidneys) and a plausible one at its edge (testes) through Harmonic's coefficients")
    func dengPlausibility() throws {
        let t = try #require(Self.calculator.kv)
        let pelvis = try t.lookup(.cbct, region: .pelvis, ageYears: 10, sex: .male)
        let abdomen = try t.lookup(.cbct, region: .abdomen, ageYears: 10, sex: .male)
        let inCone = [47 / abdomen.organs[.liver]!.value, 77 / abdomen.organs[.kidneys]!.value]
        let edge = 29 / pelvis.organs[.testes]!.value
        #expect(inCone.max()! / inCone.min()! < 3, "implied CTDIw in the cone \(inCone) mGy")
        #expect((inCone + [edge]).allSatisfy { (1...150).contains($0) }, "implied CTDIw \(inCone), testes \(edge) mGy")
    }
}
