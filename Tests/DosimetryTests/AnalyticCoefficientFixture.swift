import Foundation
import HarmonicCore
import Dosimetry

/// TEST FIXTURE, not product code: a small analytic coefficient source standing in for the
/// coefficient library in unit tests. Coefficients fall with body weight as weight^(-2/3), the
/// breast gets more in PA than in lateral projections, and everything rises gently with kVp.
/// Effective dose per KAP at 14 kg is 0.9 mSv/(Gy·cm²), the order of Ubeda et al. 2017 for 1-<5 y.
struct AnalyticCoefficientFixture: OrganDoseCoefficientSource {
    /// mGy per Gy·cm² at 14 kg, PA, 70 kVp, per `Organ.allCases` (other organs 0.1).
    static func base(_ organ: Organ) -> Double {
        switch organ {
        case .redMarrow: 0.5
        case .breast: 2.0
        case .lungs: 2.0
        case .heart: 3.5
        case .thyroid: 0.4
        case .oesophagus: 1.3
        case .brain: 0.03
        default: 0.1
        }
    }

    func coefficients(for e: CardiacExposure) throws -> OrganDoseCoefficients {
        let weight = e.patient.weight?.value ?? ReferenceGrowth.medianWeight(age: e.patient.age.value)
        let size = pow(weight / 14, -2.0 / 3.0)
        let lateral = abs(sin(e.primaryDegrees * .pi / 180))
        let quality = pow(e.quality.kVp.value / 70, 0.5)
        var values = [Double](repeating: 0, count: Organ.allCases.count)
        for organ in Organ.allCases {
            var v = Self.base(organ) * size * quality
            if organ == .breast { v *= 1 - 0.6 * lateral }
            values[organ.index] = v
        }
        return OrganDoseCoefficients(perKAP: values, effectiveDosePerKAP: 0.9 * size * quality)
    }
}

/// Builders of small procedure sets for the tests.
enum Cohort {
    /// A procedure in year `year` (day number from the year) for a child of `age` years.
    static func procedure(_ id: String, hospital: String = "H1", year: Int = 2012, age: Double = 3, weight: Double = 14,
                          type: String = "asd_closure", kap: Double = .nan, events: Range<Int> = 0..<0, country: String = "NO",
                          patient: String? = nil) -> ProcedureInput {
        ProcedureInput(site: country, procedureID: id, patient: patient ?? "child-\(id)", day: Int((Double(year - 1970) + 0.5) * 365.25),
                       ageYears: age, sex: .female, weightKg: weight, hospital: hospital, country: country, procedureType: type,
                       totalKAP: kap, eventStart: events.lowerBound, eventCount: events.count)
    }

    /// `count` events of 0.5 Gy·cm² alternating PA and left lateral.
    static func events(_ count: Int, kap: Double = 0.5) -> [EventInput] {
        (0..<count).map { EventInput(kapGyCm2: kap, primaryDegrees: $0 % 2 == 0 ? 0 : 90, secondaryDegrees: 0, kVp: 70,
                                     copperMillimetres: 0.2, fieldAreaCm2: 200) }
    }

    /// `n` event-level procedures (4 events each) of hospital `hospital`, then one totals and one
    /// imputed procedure, with ids prefixed by the hospital.
    static func mixed(hospital: String = "H1", n: Int = 10, eventOffset: Int = 0) -> ([ProcedureInput], [EventInput]) {
        var procedures: [ProcedureInput] = [], events: [EventInput] = []
        for k in 0..<n {
            let start = eventOffset + events.count
            events += Self.events(4)
            procedures.append(procedure("\(hospital)-E\(k)", hospital: hospital, age: 2 + Double(k % 5), weight: 12 + Double(k % 3) * 2,
                                        events: start..<start + 4))
        }
        procedures.append(procedure("\(hospital)-T", hospital: hospital, kap: 3.0))
        procedures.append(procedure("\(hospital)-I", hospital: hospital))
        return (procedures, events)
    }

    /// Runs the reconstruction over all procedures; returns doses and the realisation block.
    static func run(_ engine: DoseReconstruction, compute: [Bool]? = nil, blockSize: Int? = nil) -> ([ProcedureDose?], [Float16]) {
        let n = engine.procedures.count, per = DoseQuantity.count * engine.settings.realisations
        var doses = [ProcedureDose?](repeating: nil, count: n)
        var all = [Float16](repeating: 0, count: n * per)
        let size = blockSize ?? n
        var lo = 0
        while lo < n {
            let hi = min(n, lo + size)
            var block = [Float16](repeating: 0, count: (hi - lo) * per)
            block.withUnsafeMutableBufferPointer { b in doses.withUnsafeMutableBufferPointer { d in engine.compute(lo..<hi, compute: compute, doses: d, block: b) } }
            for k in 0..<block.count { all[lo * per + k] = block[k] }
            lo = hi
        }
        return (doses, all)
    }
}
