import Foundation
import Testing
import HarmonicTestSupport
@testable import XRayPhysics

/// The tube spectrum model against SpekPy (Poludniowski et al., Phys. Med. Biol. 66 (2021) 135008),
/// the peer tool named by issue 4, over 40-125 kVp and three filtrations, 12° anode.
@Suite("X-ray spectrum versus SpekPy")
struct SpectrumVersusSpekPyTests {
    static let kVps = [40.0, 50, 70, 90, 110, 125]
    static let filtrations = ["2.5mmAl", "3.5mmAl+0.1mmCu", "3mmAl+0.3mmCu"]

    struct Reference { let hvl, mean, kerma: Double }

    /// SpekPy's first HVL (mm Al), mean energy (keV) and air kerma (µGy/mAs at 1 m) on the grid, with
    /// its default physics (`casim`: anisotropic emission) or another of its models.
    static func spekPy(physics: String? = nil) throws -> [String: Reference] {
        let physicsArgument = physics.map { ", physics='\($0)'" } ?? ""
        let script = """
        import spekpy as sp
        for kvp in (40,50,70,90,110,125):
          for name, filt in (("2.5mmAl", [("Al",2.5)]), ("3.5mmAl+0.1mmCu", [("Al",3.5),("Cu",0.1)]), ("3mmAl+0.3mmCu", [("Al",3.0),("Cu",0.3)])):
            s = sp.Spek(kvp=kvp, th=12, dk=0.5\(physicsArgument))
            s.multi_filter(filt)
            print(kvp, name, s.get_hvl1(), s.get_emean(), s.get_kerma(norm=False))
        """
        var out: [String: Reference] = [:]
        for line in try PeerTool.python(script).split(separator: "\n") {
            let f = line.split(separator: " ")
            out["\(Double(f[0])!) \(f[1])"] = Reference(hvl: Double(f[2])!, mean: Double(f[3])!, kerma: Double(f[4])!)
        }
        return out
    }

    /// Ours against `reference` on the whole grid, printing each row.
    static func compare(with reference: [String: Reference], label: String,
                        _ check: (_ hvl: Double, _ mean: Double, _ kerma: Double, _ row: String) -> Void) throws {
        for kVp in kVps {
            for name in filtrations {
                let ref = try #require(reference["\(kVp) \(name)"])
                let s = XRaySpectrum(kVp: kVp, anodeAngleDegrees: 12, filtration: try Filtration(parsing: name))
                let hvl = s.halfValueLayer(), mean = s.meanEnergy, kerma = s.airKermaPerMAs
                let row = String(format: "%@ %5.0f kVp %-16@ HVL %.3f/%.3f=%.3f  Emean %.2f/%.2f=%.3f  kerma %.2f/%.2f=%.3f",
                                 label, kVp, name, hvl, ref.hvl, hvl / ref.hvl, mean, ref.mean, mean / ref.mean,
                                 kerma, ref.kerma, kerma / ref.kerma)
                print(row)
                check(hvl / ref.hvl, mean / ref.mean, kerma / ref.kerma, row)
            }
        }
    }

    @Test("first HVL within 3%, mean energy within 2% and air kerma per mAs within 12% of SpekPy at 40-125 kVp with Al and Cu filtration")
    func hvlAndMeanEnergyMatchSpekPy() throws {
        // Issue 4 item 2: HVL within 3%, mean energy within 2% of SpekPy. Measured 2026-11-23 with the
        // Monte Carlo electron-fluence model: HVL 0.995-1.010×, mean energy 1.003-1.011× (BENCHMARKS.md).
        // Air kerma per mAs 1.04-1.10×: no free scale; we emit isotropically, SpekPy's default `casim`
        // physics models the anisotropy, which lowers the output at a 12° take-off.
        try Self.compare(with: try Self.spekPy(), label: "spekpy") { hvl, mean, kerma, row in
            #expect(abs(hvl - 1) <= 0.03, "HVL: \(row)")
            #expect(abs(mean - 1) <= 0.02, "mean energy: \(row)")
            #expect(abs(kerma - 1) <= 0.12, "air kerma: \(row)")
        }
    }

    @Test("with SpekPy's isotropic-emission physics (the same assumption as ours) HVL agrees within 1.5%, mean energy within 0.5%, air kerma within 4%")
    func sameAssumptionsAgreeClosely() throws {
        // SpekPy `uni`: the same PENELOPE electron fluence and Seltzer-Berger cross sections, isotropic
        // emission; what remains is our own integration, attenuation data (xraylib vs SpekPy's) and K-line
        // model. Measured 2026-11-23: HVL 0.987-1.001× (lowest at 110-125 kVp behind 2.5 mm Al, where our
        // weaker K lines show), mean energy 0.999-1.003×, air kerma 0.978-1.032×.
        try Self.compare(with: try Self.spekPy(physics: "uni"), label: "spekpy-uni") { hvl, mean, kerma, row in
            #expect(abs(hvl - 1) <= 0.015, "HVL: \(row)")
            #expect(abs(mean - 1) <= 0.005, "mean energy: \(row)")
            #expect(abs(kerma - 1) <= 0.04, "air kerma: \(row)")
        }
    }

    @Test("the tungsten K lines carry 65-100% of SpekPy's characteristic photons behind 1 mm Al at 90-125 kVp")
    func kLinesMatchSpekPyCharacteristicYield() throws {
        // SpekPy's characteristic model (Omar, Andreo & Poludniowski, NIM B 437 (2018) 36) transports the
        // fluorescence in the anode by Monte Carlo; ours integrates Bethe (direct) and photoabsorption
        // (indirect) K vacancies over the same electron fluence with a straight-line escape. Measured
        // 2026-11-23: 0.69-0.73× SpekPy's (line/bremsstrahlung photons 0.022, 0.047, 0.063 at 90, 110, 125 kVp
        // against 0.031, 0.068, 0.086). Bethe's direct cross section with b_K = 0.35 is the likely shortfall
        // (SpekPy uses distorted-wave cross sections); the effect on HVL is at most 1.3% (2.5 mm Al, 110-125 kVp).
        let script = """
        import spekpy as sp
        for kvp in (90, 110, 125):
          b = sp.Spek(kvp=kvp, th=12, dk=0.5, char=False); b.filter("Al", 1.0)
          c = sp.Spek(kvp=kvp, th=12, dk=0.5, brem=False); c.filter("Al", 1.0)
          print(kvp, c.get_flu() / b.get_flu())
        """
        let aluminium = try Filtration(parsing: "1mmAl")
        let xs = PhotonCrossSections.cached(.aluminium)
        for line in try PeerTool.python(script).split(separator: "\n") {
            let f = line.split(separator: " "), kVp = Double(f[0])!, reference = Double(f[1])!
            let emission = XRaySpectrum.anodeEmission(kVp: kVp, anodeAngleDegrees: 12)
            let brems = zip(emission.energies, emission.bremsstrahlung).reduce(0) { $0 + $1.1 * aluminium.transmission($1.0, crossSections: [xs]) }
            let lines = emission.lines.reduce(0) { $0 + $1.photons * aluminium.transmission($1.energy, crossSections: [xs]) }
            print(String(format: "K lines / bremsstrahlung photons %.0f kVp behind 1 mm Al: ours %.4f, SpekPy %.4f", kVp, lines / brems, reference))
            #expect((0.65...1.0).contains(lines / brems / reference), "\(kVp) kVp: \(lines / brems) vs \(reference)")
        }
    }
}
