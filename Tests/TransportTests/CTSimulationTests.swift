import Foundation
import HarmonicCore
import Phantoms
import Testing
@testable import Transport

@Suite("CT Monte Carlo: fan-beam source, CTDI phantoms, size-specific dose")
struct CTSimulationTests {
    static let spectrum120 = CTSimulation.spectrum(kVp: 120)

    @Test("the bowtie is open on the axis, thickens outwards and stops at its cap")
    func bowtieShape() {
        let b = Bowtie.body
        #expect(b.thickness(at: 0) == 0)
        #expect(b.thickness(at: 5) > 0 && b.thickness(at: 5) < b.thickness(at: 10))
        #expect(b.thickness(at: 30) == b.cap)
        #expect(b.thickness(at: -10) == b.thickness(at: 10))
    }

    @Test("energy is conserved for a helical CT scan of a phantom: deposited + escaped = emitted")
    func energyConservation() throws {
        let phantom = StylisedPhantom.reference(age: .newborn, sex: .female)
        let voxels = phantom.voxelise()
        let (z0, z1) = try CTRegion.chest.scanRange(phantom, voxels)
        let config = TransportConfiguration(phantom: phantom, beam: .ct(CTGeometry(zStart: z0, zEnd: z1, bowtie: .body)),
                                            spectrum: Self.spectrum120, histories: 4_000, seed: 3, batches: 4)
        let r = try TransportSimulation.run(config, voxels: voxels)
        #expect(abs(r.depositedEnergy + r.escapedEnergy - r.emittedEnergy) / r.emittedEnergy < 1e-9)
        #expect(r.dose(.lungs)!.perAirKerma > 0)
    }

    @Test("in the 32 cm CTDI phantom the centre gets less than the periphery, and the 16 cm phantom is more uniform")
    func ctdiPhantomProfile() throws {
        let g = CTGeometry(zStart: 0, zEnd: 0, bowtie: .body)
        let p32 = try CTSimulation.ctdiPhantom(diameter: 32, geometry: g, spectrum: Self.spectrum120, histories: 60_000, seed: 5, batches: 8)
        let p16 = try CTSimulation.ctdiPhantom(diameter: 16, geometry: g, spectrum: Self.spectrum120, histories: 60_000, seed: 5, batches: 8)
        // Physics: attenuation to the centre of 16 cm PMMA exceeds that to 1 cm depth, twice as much at 32 cm.
        #expect(p32.centre < 0.8 * p32.periphery)
        #expect(p16.centre / p16.periphery > p32.centre / p32.periphery)
        // CTDIw per photon is larger in the smaller phantom (less attenuation, same source).
        #expect(p16.weighted > p32.weighted)
    }

    /// AAPM Report 204 (2011) size-specific conversion factor, exponential fit for the 32 cm
    /// phantom: f = 3.704369 exp(−0.03671937 D), D the effective (water-equivalent, AAPM 220)
    /// diameter in cm. The fit parameters are the report's, as used in public SSDE code (found by
    /// find_string "3.704369"); the report's groups scatter about the fit, so 25% here.
    static func aapm204(_ d: Double) -> Double { 3.704369 * exp(-0.03671937 * d) }

    /// Dose per CTDIvol(32 cm) at the centre of a long scan of a water cylinder (mean over the
    /// central 1 cm slab), Harmonic's Monte Carlo with the body bowtie at 120 kV.
    static func centralDosePerCTDIvol(_ diameter: Double) throws -> Double {
        let g = CTGeometry(zStart: 0, zEnd: 0, bowtie: .body)
        let ctdi = try CTSimulation.ctdiPhantom(diameter: 32, geometry: g, spectrum: spectrum120, histories: 80_000, seed: 9, batches: 8)
        let c = try CTSimulation.waterCylinderCentralDose(diameter: diameter, length: 30, geometry: g, spectrum: spectrum120,
                                                          histories: 150_000, seed: 9, batches: 8)
        return c.dosePerPhoton * c.scanLength / (ctdi.weighted * CTSimulation.chamberLength)
    }

    @Test("an adult-sized (30 cm) water cylinder: dose at the centre of a long scan per CTDIvol(32 cm) within 25% of AAPM Report 204")
    func sizeSpecificFactorAdult() throws {
        let f = try Self.centralDosePerCTDIvol(30)
        #expect(abs(f / Self.aapm204(30) - 1) < 0.25, "Harmonic \(f), AAPM 204 \(Self.aapm204(30))")
    }

    /// Known deviation (docs/imaging-dose.md): with the assumed water bowtie, Harmonic's factor
    /// rises faster than AAPM 204's as the cylinder shrinks: measured 1.42x at 12 cm and 1.28x at
    /// 20 cm (2026-12-03). This test pins the direction and bounds the deviation at 1.6x, so a
    /// change of the bowtie or normalisation that worsens it fails.
    @Test("smaller water cylinders get more dose per CTDIvol, as in AAPM Report 204, within 1.6x of its factor")
    func sizeSpecificFactorChildren() throws {
        let f12 = try Self.centralDosePerCTDIvol(12), f20 = try Self.centralDosePerCTDIvol(20)
        #expect(f12 > f20)
        #expect(f12 / Self.aapm204(12) < 1.6 && f12 / Self.aapm204(12) > 1 / 1.6, "12 cm: Harmonic \(f12), AAPM 204 \(Self.aapm204(12))")
        #expect(f20 / Self.aapm204(20) < 1.6 && f20 / Self.aapm204(20) > 1 / 1.6, "20 cm: Harmonic \(f20), AAPM 204 \(Self.aapm204(20))")
    }

    @Test("scan ranges follow the anatomy: the chest lies in the trunk, CAP spans chest to pelvis, the head is above the neck")
    func scanRanges() throws {
        let phantom = StylisedPhantom.reference(age: .five, sex: .male)
        let v = phantom.voxelise()
        let chest = try CTRegion.chest.scanRange(phantom, v), cap = try CTRegion.chestAbdomenPelvis.scanRange(phantom, v)
        let pelvis = try CTRegion.pelvis.scanRange(phantom, v), head = try CTRegion.head.scanRange(phantom, v)
        let neck = try CTRegion.neck.scanRange(phantom, v)
        #expect(chest.0 > 0 && chest.1 < phantom.dimensions.trunkHeight + phantom.dimensions.neckHeight)
        #expect(cap.0 <= pelvis.0 && cap.1 >= chest.1)
        #expect(neck.1 <= head.0 + 1e-9)
    }

    @Test("a chest scan runs from the real lung apices, 2.5 cm (adult, scaled by the trunk) above the clavicles, so the thyroid's lower poles lie in it, to the real posterior lung bases below the flat stylised diaphragm, so the liver's top does", arguments: [ReferenceAge.newborn, .five, .fifteen])
    func chestScanStartsAtTheLungApices(age: ReferenceAge) throws {
        let phantom = StylisedPhantom.reference(age: age, sex: .female)
        let v = phantom.voxelise()
        let chest = try CTRegion.chest.scanRange(phantom, v)
        let clavicles = try #require(v.zExtent { $0 == .bone(.clavicles) })
        let lungs = try #require(v.zExtent { $0 == .organ(.lungs) })
        let thyroid = try #require(v.zExtent { $0 == .organ(.thyroid) })
        #expect(abs(chest.1 - (clavicles.1 + CTRegion.lungApexAboveClavicle * phantom.dimensions.trunkHeightScale)) < 1e-9)
        #expect(chest.1 > lungs.1, "the stylised lungs end below the real apex")
        #expect(chest.1 > thyroid.0 && chest.1 < thyroid.1 + 2, "the scan's top reaches the thyroid, not far above it")
        // Apex at T1, dome at T8-T9, posterior bases at T10: 1.5 levels below the dome for 8 above.
        #expect(abs((lungs.0 - chest.0) / (chest.1 - lungs.0) - 1.5 / 8) < 1e-9)
        let liver = try #require(v.zExtent { $0 == .organ(.liver) })
        #expect(chest.0 < liver.1 && chest.0 > liver.0, "the scan's end lies within the liver, below its top")
    }

    @Test("a helical scan averaged over its start angle sends photons from every tube angle at the scan's last centimetre; one helix sends them from one side")
    func startAngleAveraging() {
        // The mean unit vector from the axis to the focus, over photons emitted in the last 1 cm
        // of a 10 cm scan (a quarter turn at pitch 1 and 4 cm beam width): near 0 if angles are uniform.
        func resultant(averaged: Bool) -> Double {
            var g = CTGeometry(zStart: 0, zEnd: 10, bowtie: .body)
            g.averagesStartAngle = averaged
            let source = CTSource(g)
            var rng = RandomStream(seed: 4)
            var sx = 0.0, sy = 0.0, n = 0.0
            for _ in 0..<40_000 {
                let (_, focus, _) = source.emit(Self.spectrum120, &rng)
                guard focus.z > 9 else { continue }
                let r = (focus.x * focus.x + focus.y * focus.y).squareRoot()
                sx += focus.x / r; sy += focus.y / r; n += 1
            }
            return (sx * sx + sy * sy).squareRoot() / n
        }
        #expect(resultant(averaged: true) < 0.05)
        #expect(resultant(averaged: false) > 0.8)
    }

    @Test("tube-current modulation follows the body: with full modulation the thick end of a chest-abdomen-pelvis scan gets a larger share of the photons")
    func tubeCurrentModulation() throws {
        let phantom = StylisedPhantom.reference(age: .ten, sex: .male).withArms(CTRegion.chestAbdomenPelvis.armPosture)
        let v = phantom.voxelise()
        let ctdi = try CTSimulation.ctdiSet(bowtie: .body, spectrum: Self.spectrum120, histories: 20_000, seed: 2)
        let flat = try CTSimulation.scan(region: .chestAbdomenPelvis, age: .ten, sex: .male, kVp: 120, histories: 20_000, ctdi: ctdi,
                                         modulation: 0, seed: 2, voxels: v)
        let tcm = try CTSimulation.scan(region: .chestAbdomenPelvis, age: .ten, sex: .male, kVp: 120, histories: 20_000, ctdi: ctdi,
                                        modulation: 1, seed: 2, voxels: v)
        // Per mean CTDIvol, modulation moves dose from the lungs (low D_w) to the abdomen and pelvis
        // (high D_w). The colon, not the bladder: at 20,000 histories the small bladder's ratio
        // scatters by ±10% (it read 0.85 once, where 2 × 10⁵ histories give 1.02 against the lungs'
        // 0.85; session 25).
        let lungs = tcm.coefficient(.lungs)!.perCTDIvol / flat.coefficient(.lungs)!.perCTDIvol
        let colon = tcm.coefficient(.colon)!.perCTDIvol / flat.coefficient(.colon)!.perCTDIvol
        #expect(lungs < colon, "lungs \(lungs), colon \(colon)")
        #expect(throws: TransportInputError.self) {
            try CTSimulation.scan(region: .chest, age: .ten, sex: .male, kVp: 120, histories: 100, ctdi: ctdi, modulation: 1.5, voxels: v)
        }
    }

    @Test("the arms are raised out of chest, abdomen and pelvis scans and hang at the sides for head and neck scans")
    func armPostureByRegion() {
        for region in CTRegion.allCases {
            #expect(region.armPosture == (region.isHeadScan ? .atSides : .raised), "\(region)")
        }
    }

    @Test("an unknown body region is refused with its name and the regions known")
    func unknownRegion() throws {
        #expect(throws: TransportInputError.self) { try CTRegion(parsing: "elbow") }
        do { _ = try CTRegion(parsing: "elbow") } catch {
            #expect("\(error)".contains("elbow") && "\(error)".contains("chest_abdomen_pelvis"))
        }
        #expect(try CTRegion(parsing: "CAP") == .chestAbdomenPelvis)
    }
}
