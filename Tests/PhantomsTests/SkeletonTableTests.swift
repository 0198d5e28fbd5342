import Foundation
import Testing
import HarmonicCore
import HarmonicTestSupport
@testable import Phantoms

@Suite("ICRP 143 skeleton tables: parser, generated data, marrow distribution by age")
struct SkeletonTableTests {
    static let folder = SharedData.url("reference/icrp143")
    static let good = try! String(contentsOf: folder.appendingPathComponent("05M_skeleton.dat"), encoding: .utf8)

    @Test("every paediatric skeleton table parses, 22 sites, totals equal to the sum of the sites", arguments: ICRP143SkeletonData.phantoms)
    func parses(phantom: String) throws {
        let t = try ICRP143SkeletonTable(contentsOf: Self.folder.appendingPathComponent("\(phantom)_skeleton.dat"))
        #expect(t.sites.count == 22 && t.phantom == phantom)
    }

    @Test("the 5-year male table reads the printed values by column position")
    func columnPositions() throws {
        let t = try ICRP143SkeletonTable(text: Self.good, file: "05M_skeleton.dat")
        // 05M_skeleton.dat, Craniofacial Bones: AM 119.85, IM 28.51, TBV 294.19, CBV 216.19, TM50 44.98, TBS 3.115, CBSHC 0.382.
        #expect(t.tissues(.craniofacial) == SkeletalSiteTissues(activeMarrow: 119.85, inactiveMarrow: 28.51, trabecularBone: 294.19,
                                                                corticalBone: 216.19, endosteum: 44.98, trabecularSurface: 3.115, corticalSurface: 0.382))
        // Humeri, Upper Half has a CBSMC column (0.001) added to the cortical surface.
        #expect(abs(t.tissues(.humeriUpper).corticalSurface - 0.049) < 1e-12)
        // Totals row: AM 367 g.
        #expect(abs(t.sites.reduce(0) { $0 + $1.activeMarrow } - 367) < 0.5)
    }

    @Test("a mistyped value breaks the totals check, named by file, line and column")
    func totalsMismatch() throws {
        let bad = Self.good.replacingOccurrences(of: "119.85", with: "139.85")
        #expect { try ICRP143SkeletonTable(text: bad, file: "05M_skeleton.dat") } throws: { e in
            let s = "\(e)"
            return s.contains("05M_skeleton.dat") && s.contains("line 25") && s.contains("Totals: AM (g, excl. MST)") && s.contains("387.32")
        }
    }

    @Test("a non-numeric field names the file, line, site and column")
    func nonNumeric() throws {
        let bad = Self.good.replacingOccurrences(of: "7.82", with: "7,82")
        #expect { try ICRP143SkeletonTable(text: bad, file: "05M_skeleton.dat") } throws: { e in
            let s = "\(e)"
            return s.contains("line 4") && s.contains("Mandible: AM (g, excl. MST)") && s.contains("7,82")
        }
    }

    @Test("a missing site, an unknown site and a short row are errors")
    func structure() throws {
        let lines = Self.good.components(separatedBy: "\n")
        let missing = lines.filter { !$0.hasPrefix("Sternum") }.joined(separator: "\n")
        #expect { try ICRP143SkeletonTable(text: missing, file: "x.dat") } throws: { "\($0)".contains("Sternum") && "\($0)".contains("missing") }
        let unknown = Self.good.replacingOccurrences(of: "Mandible", with: "Jaw")
        #expect { try ICRP143SkeletonTable(text: unknown, file: "x.dat") } throws: { "\($0)".contains("Jaw") && "\($0)".contains("line 4") }
        let short = Self.good.replacingOccurrences(of: "7.82\t1.86\t", with: "")
        #expect { try ICRP143SkeletonTable(text: short, file: "x.dat") } throws: { "\($0)".contains("11 or 12 numbers") && "\($0)".contains("line 4") }
    }

    @Test("every site's spongiosa medium is in every media table, mass fractions summing to 1")
    func media() throws {
        for p in ICRP143SkeletonData.phantoms {
            let m = try ICRP143MediaTable(contentsOf: Self.folder.appendingPathComponent("\(p)_media.dat"))
            for site in SkeletalSite.allCases {
                let medium = try #require(m.media[site.icrp143SpongiosaMediumName], "\(p) \(site)")
                #expect(abs(medium.fractions.reduce(0, +) - 1) < 1e-9 && medium.density > 1 && medium.density < 1.5)
            }
        }
    }

    @Test("the committed ICRP143SkeletonRaw.swift is what the generator makes from the shared tables")
    func noDrift() throws {
        let committed = try String(contentsOf: SharedData.repositoryRoot.appendingPathComponent("Sources/Phantoms/Skeleton/ICRP143SkeletonRaw.swift"), encoding: .utf8)
        #expect(try ICRP143SkeletonData.generatedSource(directory: Self.folder) == committed)
    }

    @Test("craniofacial bones hold about a third of the active marrow at 1 and 5 y and ~18% at 10 y (ICRP 143)")
    func craniofacialShare() {
        func share(_ age: Double) -> Double {
            let c = SkeletonComposition.reference(ageYears: age, sex: .female)
            return c.activeMarrowFraction[SkeletalSite.craniofacial.rawValue] + c.activeMarrowFraction[SkeletalSite.mandible.rawValue]
        }
        // 01F: (50.46 + 2.57) / 154.13; 05F: (119.85 + 7.82) / 367.32; 10F: (131.87 + 8.14) / 752.39 (sum of the sites).
        #expect(abs(share(1) - 0.344) < 0.005)
        #expect(abs(share(5) - 0.348) < 0.005)
        #expect(abs(share(10) - 0.186) < 0.005)
    }

    @Test("fractions sum to 1 at every age; between reference ages they interpolate linearly")
    func interpolation() {
        for age in stride(from: 0.0, through: 40, by: 0.5) {
            let c = SkeletonComposition.reference(ageYears: age, sex: .male)
            #expect(abs(c.activeMarrowFraction.reduce(0, +) - 1) < 1e-9 && abs(c.endosteumFraction.reduce(0, +) - 1) < 1e-9)
        }
        let one = SkeletonComposition.reference(ageYears: 1, sex: .male), five = SkeletonComposition.reference(ageYears: 5, sex: .male)
        let three = SkeletonComposition.reference(ageYears: 3, sex: .male)
        for s in SkeletalSite.allCases.map(\.rawValue) {
            #expect(abs(three.activeMarrowFraction[s] - 0.5 * (one.activeMarrowFraction[s] + five.activeMarrowFraction[s])) < 1e-12)
        }
        #expect(abs(three.activeMarrowMass - 0.5 * (one.activeMarrowMass + five.activeMarrowMass)) < 1e-9)
    }

    @Test("the adult takes the ICRP 89 distribution: no marrow in forearms, hands, lower legs or feet; 1170 g male")
    func adult() {
        let a = SkeletonComposition.reference(ageYears: 30, sex: .male)
        #expect(a.activeMarrowMass == 1170)
        for s in [SkeletalSite.radii, .ulnae, .wristsAndHands, .tibiae, .fibulae, .anklesAndFeet, .humeriLower, .femoraLower] {
            #expect(a.activeMarrowFraction[s.rawValue] == 0)
        }
        #expect(abs(a.activeMarrowFraction[SkeletalSite.osCoxae.rawValue] - 0.175 / 0.999) < 1e-9)
    }

    @Test("an individual child's marrow mass scales with body mass at the child's own age")
    func individual() {
        let ref = SkeletonComposition.reference(ageYears: 7, sex: .female)
        let child = StylisedPhantom.individual(ageYears: 7, sex: .female, heightCm: 120, massKg: 2 * ICRP89.bodyMass(atAge: 7, .female))
        #expect(abs(child.skeleton.activeMarrowMass / ref.activeMarrowMass - 2) < 1e-9)
        #expect(child.skeleton.activeMarrowFraction == ref.activeMarrowFraction)
    }
}

@Suite("Spongiosa microstructure from the ICRP 143 tables (Cauchy's mean chords)")
struct SpongiosaMicrostructureTests {
    @Test("newborn male ribs: trabecular chord 4·(8.22 g / 1.92 g/cm³) / 900 cm² = 190 µm, marrow chord 4·(8.14 / 1.03) / 900 = 351 µm")
    func newbornRibs() {
        let s = SpongiosaMicrostructure.reference(ageYears: 0, sex: .male)[SkeletalSite.ribs.rawValue]
        #expect(abs(s.trabecularChord * 1e4 - 190.3) < 0.5)
        #expect(abs(s.marrowChord * 1e4 - 351.2) < 0.5)
        #expect(abs(s.boneToMarrowMass - 8.22 / 8.14) < 1e-9)
    }

    @Test("between reference ages the structure is interpolated; past 15 y it is the 15-y phantom's")
    func interpolation() {
        let a = SpongiosaMicrostructure.reference(ageYears: 5, sex: .female), b = SpongiosaMicrostructure.reference(ageYears: 10, sex: .female)
        let mid = SpongiosaMicrostructure.reference(ageYears: 7.5, sex: .female)
        for i in a.indices { #expect(abs(mid[i].marrowChord - (a[i].marrowChord + b[i].marrowChord) / 2) < 1e-12) }
        #expect(SpongiosaMicrostructure.reference(ageYears: 30, sex: .male) == SpongiosaMicrostructure.reference(ageYears: 15, sex: .male))
    }
}
