import Foundation
import HarmonicCore
import HarmonicTestSupport
import Reports
import Testing
@testable import Epidemiology

@Suite("Demo report: dose-response section")
struct DoseResponseReportTests {
    @Test("with organ doses, the section draws the fitted ERR band over the dose groups and compares with synth's true ERR/Gy")
    func sectionWithDoses() throws {
        let f = try StoreFixture.truth20k.get()
        let section = DoseResponseSection.analyse(storePath: f.storePath, truthFile: f.extract.appendingPathComponent("truth/truth.json"))
        var report = HTMLReport(title: "t")
        section.append(to: &report)
        let html = report.html()
        #expect(html.contains(">Dose-response</h2>"))
        #expect(html.contains("Leukaemia vs red bone marrow dose"))
        #expect(html.contains("class=\"band\"") && html.contains("class=\"line fitted\"") && html.contains("class=\"error-bar\""))
        #expect(html.contains("true ERR (synth)") && html.contains("class=\"line truth\""))
        #expect(html.contains("Fitted ERR/Gy against synth&#39;s true ERR/Gy") || html.contains("Fitted ERR/Gy against synth's true ERR/Gy"))
        #expect(html.contains("<td class=\"num\">150</td>"), "the true leukaemia ERR/Gy of the fixture is in the comparison table")
        #expect(html.contains("err_per_gy"))
        // The second analysis (breast) is either drawn or says why it could not be fitted; it never crashes the report.
        #expect(html.contains("Breast vs breast dose"))
    }

    @Test("without procedure_organ_dose, the demo report says that no organ doses are available and how to get them")
    func demoWithoutDoses() throws {
        let dir = try SharedData.temporaryDirectory("epi-demo-nodose")
        let result = try DemoPipeline(children: 150, seed: 4, corruptFraction: 0, outputDirectory: dir).run()
        let html = try String(contentsOf: result.reportURL, encoding: .utf8)
        #expect(html.contains(">Dose-response</h2>"))
        #expect(html.contains("No organ doses are available"))
        #expect(html.contains("procedure_organ_dose") && html.contains("dose reconstruction"))
        #expect(html.contains("harmonic analyze --store"))
    }
}
