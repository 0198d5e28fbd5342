import Foundation
import HarmonicCore
import Phantoms
import Transport

/// The red-marrow part of the report: how the active marrow is distributed over the skeleton at
/// each age (ICRP Publication 143 phantoms' tables; ICRP 89 for the adult), and which sites a
/// cardiac field irradiates. When a marrow dose surprises a user, the distribution by site is
/// the first question (docs/red-marrow.md).
public enum RedMarrowSection {
    /// Ages (years) shown: the ICRP 143 reference ages and the adult.
    static let ages: [Double] = [0, 1, 5, 10, 15, 30]

    public static func append(to r: inout HTMLReport, sex: Sex = .female) {
        r.section("Red bone marrow by skeletal site")
        r.paragraph("Share of the body's active (red) marrow in each skeletal site, % (\(sex == .female ? "female" : "male") reference phantoms: ICRP Publication 143 at 0-15 years, ICRP Publication 89 for the adult). Red-marrow doses are the marrow-weighted mean of the doses of these sites, each from the photon fluence in the site's bone. A cardiac field on the heart irradiates the thoracic vertebrae, the scapulae and the ribs (and the sternum in AP and oblique views); the skull, which holds about a third of the marrow at 1 and 5 years, the pelvis and the limbs lie outside it, so a child's mean marrow dose per KAP is far below the dose to the marrow in the field. `harmonic mc` lists, for any projection, the sites that carry the marrow dose.")
        let compositions = ages.map { SkeletonComposition.reference(ageYears: $0, sex: sex) }
        r.table(caption: "Active marrow by skeletal site, % of the total",
                header: ["Site"] + ages.map { $0 == 30 ? "Adult" : $0 == 0 ? "Newborn" : "\(Int($0)) y" },
                rows: SkeletalSite.allCases.map { site in
                    [site.displayName] + compositions.map { formatNumber(100 * $0.activeMarrowFraction[site.rawValue]) }
                } + [["Active marrow, g"] + compositions.map { formatNumber($0.activeMarrowMass) }])
        r.paragraph("The photons cross each bone as that site's own tissue at the child's age: its bone and marrow (ICRP Publication 143, site by site) and its share of the cartilage (the rest of the ICRP Publication 89 skeleton mass, spread over the sites by their mass), at the site's own density, the sites together keeping the skeleton's mass; the adult takes the 15-year sites' departures from Cristy & Eckerman's 1987 mixture. An infant's skeleton is a third cartilage and holds less calcium per gram, so it shields the marrow and the organs behind it less than an adult-like mixture would; the marrow-rich spine and pelvis hold less calcium than the cranium and the long bones. In catheterisation and trunk CT the arms are raised above the head, out of the lateral beams.")
        r.table(caption: "The skeleton's material by age",
                header: ["Quantity"] + ages.map { $0 == 30 ? "Adult" : $0 == 0 ? "Newborn" : "\(Int($0)) y" },
                rows: [["Calcium, % by mass"] + compositions.map { String(format: "%.1f", 100 * $0.wholeSkeleton.calcium) },
                       ["Calcium in the cranium, %"] + compositions.map {
                           String(format: "%.1f", 100 * $0.siteMedia[SkeletalSite.craniofacial.rawValue].mixture.calcium) },
                       ["Calcium in the lumbar vertebrae, %"] + compositions.map {
                           String(format: "%.1f", 100 * $0.siteMedia[SkeletalSite.lumbarVertebrae.rawValue].mixture.calcium) },
                       ["Cartilage and other tissue, % by mass"] + compositions.map {
                           $0.ageYears >= 30 ? "—" : String(format: "%.0f", 100 * $0.wholeSkeleton.cartilageFraction) }])
        r.paragraph("Each site's marrow dose is the marrow kerma in the photon fluence of its spongiosa (Cristy & Eckerman 1987), the method of the Chang et al. 2017 reference the dose model is validated against. It leaves out the dose that photoelectrons from the bone trabeculae carry into the marrow. That dose, computed with the chord model of each site's spongiosa (ICRP 143 trabecular and marrow chords), would raise the marrow dose by the factors below: most in infants, whose marrow cavities are narrow, and at 30-70 keV, the energies of catheterisation beams. It is not applied to the doses of this report; `harmonic mc --marrow-response enhanced` applies it (docs/red-marrow.md, \"Photoelectron enhancement\").")
        let energies = [30, 50, 70, 100, 150]
        r.table(caption: "Photoelectron enhancement of the active-marrow dose (not applied), weighted over the sites by their share of the active marrow",
                header: ["Photon energy"] + ages.map { $0 == 30 ? "Adult" : $0 == 0 ? "Newborn" : "\(Int($0)) y" },
                rows: {
                    let factors = zip(ages, compositions).map { age, c -> [Double] in
                        let p = PhotoelectronEnhancement.reference(ageYears: age, sex: sex)
                        return energies.map { e in zip(c.activeMarrowFraction, p.activeMarrow).reduce(0) { $0 + $1.0 * $1.1[e] } }
                    }
                    return energies.indices.map { k in ["\(energies[k]) keV"] + factors.map { String(format: "%.2f", $0[k]) } }
                }())
        r.endSection()
    }
}
