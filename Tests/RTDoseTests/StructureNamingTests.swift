import Testing
import HarmonicCore
@testable import RTDose

@Suite("Structure names map to organs through the committed TG-263 synonym table")
struct StructureNamingTests {
    let naming = StructureNaming.standard

    @Test("TG-263 primary names with laterality map to the organ", arguments: [
        ("Lung_L", Organ.lungs), ("Lung_R", .lungs), ("Heart", .heart), ("Glnd_Thyroid", .thyroid),
        ("Bowel_Small", .smallIntestine), ("Lens_L", .eyeLens), ("Parotid_R", .salivaryGlands), ("Kidney_L", .kidneys),
        ("Breast_L", .breast), ("Brain", .brain), ("Esophagus", .oesophagus), ("Bone_Marrow", .redMarrow),
    ])
    func primaryNames(name: String, organ: Organ) {
        #expect(naming.role(of: name) == .organ(organ))
    }

    @Test("clinical variants: case, separators, glued laterality and French/German names", arguments: [
        ("LUNG-R", Organ.lungs), ("lung left", .lungs), ("LungL", .lungs), ("Poumon D", .lungs), ("Coeur", .heart),
        ("Schilddrüse", .thyroid), ("thyroïde", .thyroid), ("Rein_G", .kidneys), ("Cristallin D", .eyeLens),
    ])
    func variants(name: String, organ: Organ) {
        #expect(naming.role(of: name) == .organ(organ))
    }

    @Test("targets, helpers, PRVs and the outline are recognised as what they are")
    func nonOrgans() {
        #expect(naming.role(of: "PTV_54") == .target)
        #expect(naming.role(of: "CTV_boost") == .target)
        #expect(naming.role(of: "z_opt_ring") == .helper)
        #expect(naming.role(of: "Heart_PRV5") == .helper)
        #expect(naming.role(of: "BODY") == .body)
        #expect(naming.role(of: "External") == .body)
        #expect(naming.role(of: "SpinalCord") == .noOrgan)
        #expect(naming.role(of: "Eye_L") == .noOrgan)   // the globe is not the lens
    }

    @Test("a name the table does not know is unknown, never guessed")
    func unknown() {
        #expect(naming.role(of: "Xyzzy") == .unknown)
        #expect(naming.role(of: "") == .unknown)
    }
}
