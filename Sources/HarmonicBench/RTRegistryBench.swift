import ArgumentParser
import Foundation
import HarmonicCore
import RTDose

/// `harmonic-bench rt-registry`: organ doses of N radiotherapy course records (course-record
/// tier) and R uncertainty realisations with errors shared by site/era/technique (issue 14
/// target: 2,300 children x 1,000 realisations in under 30 s). Courses are drawn with the site
/// mix, ages and proton share of `RadiotherapyChildSimulator`.
struct RTRegistryBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rt-registry",
        abstract: "Organ doses and realisations of the RT registry from course records (target < 30 s).",
        discussion: "Example: swift run -c release harmonic-bench rt-registry --children 2300 --realisations 1000")
    @Option(help: "Number of children (one course each).") var children = 2300
    @Option(help: "Realisations per course and organ.") var realisations = 1000
    @Option(help: "Seed.") var seed: UInt64 = 14

    func run() throws {
        let t0 = Date()
        let sites: [(String, Double, Double)] = [("craniospinal", 36, 0.18), ("brain", 54, 0.25), ("head_neck", 50.4, 0.12),
                                                  ("thorax", 30, 0.10), ("abdomen", 14.4, 0.12), ("pelvis", 45, 0.10), ("extremity", 50.4, 0.13)]
        var rng = RandomStream(seed: seed)
        var courses: [(CourseRecord, Double, Sex, Int)] = []
        var groupIndex: [String: Int] = [:]
        for _ in 0..<children {
            var u = rng.uniform(), site = sites[0]
            for s in sites { u -= s.2; if u <= 0 { site = s; break } }
            let proton = rng.uniform() < 0.3
            let year = 2005 + Int(rng.uniform() * 16)
            let technique = proton ? (year < 2014 ? "passive_scattering" : "pencil_beam_scanning") : (year < 2010 ? "3d_crt" : (rng.uniform() < 0.5 ? "imrt" : "vmat"))
            let course = try CourseRecord(targetSite: site.0, modality: proton ? "proton" : "photon", technique: technique,
                                          prescribedDoseGy: site.1, fractions: Int(site.1 / 1.8), location: .file("bench"))
            let era = year < 2010 ? "2005-09" : year < 2015 ? "2010-14" : "2015-20"
            let key = "\(site.0)|\(era)|\(technique)"
            let g = groupIndex[key] ?? groupIndex.count
            groupIndex[key] = g
            courses.append((course, 0.5 + rng.uniform() * 17.5, rng.uniform() < 0.55 ? .male : .female, g))
        }
        let cache = try CourseDoseCache()
        // Organ order shared by both sexes: the organs of each course are aligned to this list
        // (an organ the sex lacks gets zero components).
        let organs = Organ.allCases
        let doses: [[OrganComponentsPerGy]] = try courses.map { c in
            let d = try cache.dosesPerGy(c.0, ageYears: c.1, sex: c.2)
            let byOrgan = Dictionary(uniqueKeysWithValues: d.map { ($0.organ, $0) })
            return organs.map { byOrgan[$0] ?? OrganComponentsPerGy(organ: $0, inField: 0, outOfField: 0, neutronAbsorbed: 0, neutronEquivalent: 0) }
        }
        let t1 = Date()
        let values = CourseRealisations.generate(doses: doses, prescribedGy: courses.map(\.0.prescribedDoseGy), group: courses.map(\.3),
                                                 realisations: realisations, seed: seed)
        let t2 = Date()
        let heart = organs.firstIndex(of: .heart)!
        var heartMeans: [Double] = []
        for c in 0..<courses.count {
            let base = (c * organs.count + heart) * realisations
            var s = 0.0
            for r in 0..<realisations { s += Double(values[base + r]) }
            heartMeans.append(s / Double(realisations))
        }
        heartMeans.sort()
        print(String(format: "%d courses (%d shared-error groups), %d organs, %d realisations: doses %.2f s, realisations %.2f s, total %.2f s",
                     courses.count, groupIndex.count, organs.count, realisations, t1.timeIntervalSince(t0), t2.timeIntervalSince(t1), t2.timeIntervalSince(t0)))
        print(String(format: "heart dose, mean of realisations: median %.3g Gy, 95th percentile %.3g Gy", heartMeans[heartMeans.count / 2],
                     heartMeans[Int(0.95 * Double(heartMeans.count))]))
    }
}
