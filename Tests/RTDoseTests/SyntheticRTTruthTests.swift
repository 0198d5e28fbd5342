import Foundation
import Testing
import HarmonicCore
@testable import RTDose

@Suite("Synthetic RT truth: each course's own fields and monitor units")
struct SyntheticRTTruthTests {
    let course = try! CourseRecord(targetSite: "thorax", modality: "photon", technique: "imrt", prescribedDoseGy: 30, fractions: 17,
                                   location: .file("test"))

    @Test("with no variation the true doses are the course-record tier's doses (the same fields and models)")
    func identityVariation() throws {
        let cache = try CourseDoseCache()
        let record = try cache.dosesPerGy(course, ageYears: 10, sex: .female)
        let mu = try ModelParameters.resource(ModelParameters.photonFile)["mu_per_gy_modulated"]
        let same = try cache.dosesPerGy(course, ageYears: 10, sex: .female, variation: FieldVariation(monitorUnitsPerGy: mu))
        #expect(record.count == same.count)
        for (a, b) in zip(record, same) {
            #expect(a.organ == b.organ && abs(a.total - b.total) <= 1e-9 * max(a.total, 1e-12), "\(a.organ): \(a.total) vs \(b.total)")
        }
    }

    @Test("a larger field gives more in-field dose to the organs near it; more monitor units more far out-of-field dose")
    func variationActs() throws {
        let cache = try CourseDoseCache()
        let base = try cache.dosesPerGy(course, ageYears: 10, sex: .female, variation: FieldVariation(monitorUnitsPerGy: 250))
        let wide = try cache.dosesPerGy(course, ageYears: 10, sex: .female, variation: FieldVariation(scale: SIMD3(1.3, 1.3, 1.3), monitorUnitsPerGy: 250))
        let moreMU = try cache.dosesPerGy(course, ageYears: 10, sex: .female, variation: FieldVariation(monitorUnitsPerGy: 400))
        func organ(_ d: [OrganComponentsPerGy], _ o: Organ) -> OrganComponentsPerGy { d.first { $0.organ == o }! }
        #expect(organ(wide, .lungs).inField > organ(base, .lungs).inField)
        #expect(organ(moreMU, .bladder).outOfField > organ(base, .bladder).outOfField)
        #expect(organ(moreMU, .heart).inField == organ(base, .heart).inField)
    }

    @Test("a course's variation depends only on its id and the seed, so the truth file is reproducible")
    func reproducible() {
        let a = SyntheticRTTruth.variation(courseID: "BE-R00001-RT1", technique: .vmat, seed: 1)
        #expect(a == SyntheticRTTruth.variation(courseID: "BE-R00001-RT1", technique: .vmat, seed: 1))
        #expect(a != SyntheticRTTruth.variation(courseID: "BE-R00002-RT1", technique: .vmat, seed: 1))
        #expect(SyntheticRTTruth.variation(courseID: "x", technique: .pencilBeamScanning, seed: 1).monitorUnitsPerGy == nil)
    }

    @Test("a course's realisations depend on its own stream, not on the other courses computed with it")
    func streamsPerCourse() {
        let d = [OrganComponentsPerGy(organ: .heart, inField: 0.1, outOfField: 0.02, neutronAbsorbed: 0, neutronEquivalent: 0)]
        let both = CourseRealisations.generate(doses: [d, d], prescribedGy: [50, 50], group: [0, 0], realisations: 16, seed: 9, streams: [11, 22])
        let alone = CourseRealisations.generate(doses: [d], prescribedGy: [50], group: [0], realisations: 16, seed: 9, streams: [22])
        #expect(Array(both[16..<32]) == alone)
    }
}
