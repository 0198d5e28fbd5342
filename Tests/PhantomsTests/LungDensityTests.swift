import Testing
import HarmonicCore
@testable import Phantoms

@Suite("Lung density by age (ICRP 143 / ICRP 110)")
struct LungDensityTests {
    @Test("the newborn's lungs hold the ICRP 89 60 g in the volume of the ICRP 143 density, 0.591 g/cm³")
    func newbornLungVolume() {
        let v = StylisedPhantom.reference(age: .newborn, sex: .male).voxelise()
        let lungs = v.regions.indices.filter { v.regions[$0].role == .organ(.lungs) }
        let volume = lungs.reduce(0.0) { $0 + Double(v.regions[$1].voxelCount) * v.voxelVolume }
        #expect(lungs.allSatisfy { v.regions[$0].density == 0.591 })
        // 101.5 cm³ = 60 g / 0.591 g/cm³; 5% is the mass fit's tolerance (OrganMassTests).
        #expect(abs(volume / (60 / 0.591) - 1) < 0.05)
    }

    @Test("an individual child keeps the lung density of the reference phantom it is scaled from")
    func individualKeepsReferenceDensity() {
        let child = StylisedPhantom.individual(ageYears: 4, sex: .female, heightCm: 100, massKg: 16)
        #expect(child.density(of: .lung) == LungDensity.reference(.five, .female))
        #expect(child.density(of: .lung) == 0.386)
    }
}
