import Foundation
import Testing
import HarmonicCore
@testable import RTDose

@Suite("RT realisations: errors shared by site/era/technique group, mean preserved")
struct CourseRealisationTests {
    let dose = [OrganComponentsPerGy(organ: .heart, inField: 0.1, outOfField: 0.02, neutronAbsorbed: 0.001, neutronEquivalent: 0.01)]

    func correlation(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Double {
        let x = a.map { log(Double($0)) }, y = b.map { log(Double($0)) }
        let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in x.indices { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) * (x[i] - mx); syy += (y[i] - my) * (y[i] - my) }
        return sxy / (sxx * syy).squareRoot()
    }

    @Test("two courses of one group are correlated across realisations; courses of different groups are not")
    func shared() {
        let n = 4000
        let v = CourseRealisations.generate(doses: [dose, dose, dose], prescribedGy: [50, 50, 50], group: [0, 0, 1], realisations: n, seed: 3)
        let c0 = v[0..<n], c1 = v[n..<2 * n], c2 = v[2 * n..<3 * n]
        // Shared in-field GSD 1.10 vs unshared 1.25: expected log correlation about
        // ln(1.1)^2 / (ln(1.1)^2 + ln(1.25)^2) = 0.16 (in-field dominates this organ); different groups: 0.
        #expect(correlation(c0, c1) > 0.08)
        #expect(abs(correlation(c0, c2)) < 0.05)
    }

    @Test("the mean of the realisations is the point dose (mean-one errors), within 3%")
    func meanPreserved() {
        let n = 20000
        let v = CourseRealisations.generate(doses: [dose], prescribedGy: [50], group: [0], realisations: n, seed: 5)
        let mean = v.reduce(0.0) { $0 + Double($1) } / Double(n)
        let point = 50 * (0.1 + 0.02 + 0.001)
        #expect(abs(mean / point - 1) < 0.03, "mean \(mean) vs \(point)")
    }

    @Test("the course-dose cache gives the same organ doses per Gy as the course-record calculation")
    func cacheMatches() throws {
        let course = try CourseRecord(targetSite: "thorax", modality: "photon", technique: "3d_crt", prescribedDoseGy: 30, fractions: 17,
                                      location: .file("test"))
        let cached = try CourseDoseCache().dosesPerGy(course, ageYears: 10, sex: .female)
        let full = try CourseRecordDose.run(course, patient: PatientDescription(ageYears: 10, sex: .female))
        for o in full.organs {
            let c = try #require(cached.first { $0.organ == o.organ })
            #expect(abs(c.total * 30 - o.meanDoseGy) <= 1e-9 * o.meanDoseGy + 1e-12, "\(o.organ)")
        }
    }
}
