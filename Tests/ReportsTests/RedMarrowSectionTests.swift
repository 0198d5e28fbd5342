import Foundation
import HarmonicCore
import Testing
@testable import Reports

@Suite("Report: red bone marrow by skeletal site")
struct RedMarrowSectionTests {
    @Test("the section tabulates the ICRP 143 marrow share of every site by age: craniofacial 32.7% at 1 y, none in the adult feet")
    func distribution() {
        let html = redMarrowSectionHTML()
        #expect(html.contains("Red bone marrow by skeletal site"))
        // 01F_skeleton.dat: craniofacial AM 50.46 of 154.13 g = 32.7%; 05F: 119.85 of 367.32 g = 32.6%.
        let row = html.components(separatedBy: "<tr>").first { $0.contains(">craniofacial<") } ?? ""
        #expect(row.contains("32.7") && row.contains("32.6"))
        let feet = html.components(separatedBy: "<tr>").first { $0.contains(">ankles and feet<") } ?? ""
        // The adult column (last) is 0: ICRP 89 has no active marrow distal to the proximal femora.
        #expect(feet.hasSuffix("<td class=\"num\">0</td></tr>\n"), "\(feet)")
    }
}

@Suite("Report: photoelectron enhancement of the marrow dose")
struct RedMarrowEnhancementTableTests {
    @Test("the section shows the enhancement the marrow kerma leaves out, largest for the newborn at 50 keV and near 1 for the adult at 150 keV")
    func enhancementTable() {
        let html = redMarrowSectionHTML()
        let cells50 = numericCells(ofRow: "50 keV", in: html), cells150 = numericCells(ofRow: "150 keV", in: html)
        #expect(cells50.count == 6 && cells150.count == 6, "\(cells50)")
        // Newborn first, adult last: the newborn's narrow marrow cavities enhance most.
        #expect((cells50.first ?? 0) > 1.3 && (cells50.last ?? 9) < 1.1 && (cells150.last ?? 9) < 1.03)
        #expect(html.contains("not applied"))
    }
}

@Suite("Report: the skeleton's material by age")
struct SkeletonMaterialTableTests {
    @Test("the section shows the calcium of each age's skeleton: 7.2% at birth, Cristy and Eckerman's 9.9% for the adult")
    func calciumByAge() {
        let html = redMarrowSectionHTML()
        let cells = numericCells(ofRow: "Calcium, % by mass", in: html)
        #expect(cells == [7.2, 8.3, 9.5, 10.0, 10.4, 9.9], "\(cells)")
    }

    @Test("the section shows each site's own calcium: the cranium above the whole skeleton and the lumbar vertebrae below it from 5 years")
    func calciumBySite() {
        let html = redMarrowSectionHTML()
        let whole = numericCells(ofRow: "Calcium, % by mass", in: html)
        let cranium = numericCells(ofRow: "Calcium in the cranium, %", in: html)
        let lumbar = numericCells(ofRow: "Calcium in the lumbar vertebrae, %", in: html)
        #expect(cranium.count == 6 && lumbar.count == 6, "\(cranium) \(lumbar)")
        // 5 y onwards (columns 2-5): ICRP 143 5-y cranium 10.2%, lumbar vertebrae 7.6%, whole 9.5%.
        for i in 2..<min(6, cranium.count, lumbar.count) {
            #expect(cranium[i] > whole[i] && lumbar[i] < whole[i], "column \(i): cranium \(cranium[i]), whole \(whole[i]), lumbar \(lumbar[i])")
        }
    }
}

/// A report holding only the red-marrow section, as HTML.
private func redMarrowSectionHTML() -> String {
    var r = HTMLReport(title: "t")
    RedMarrowSection.append(to: &r)
    return r.html()
}

/// The numbers in the cells of the table row whose first cell is `label`.
private func numericCells(ofRow label: String, in html: String) -> [Double] {
    let row = html.components(separatedBy: "<tr>").first { $0.contains(">\(label)<") } ?? ""
    return row.components(separatedBy: "<td class=\"num\">").dropFirst().compactMap { Double($0.prefix { $0 != "<" }) }
}
