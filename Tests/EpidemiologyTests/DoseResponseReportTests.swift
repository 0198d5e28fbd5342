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

    @Test("on a store the dose reconstruction has not run on, the section says that no organ doses are available and how to get them")
    func sectionWithoutDoses() throws {
        let f = try StoreFixture.make("epi-report-nodose", children: 150, seed: 4, withDoses: false)
        var report = HTMLReport(title: "t")
        DoseResponseSection.analyse(storePath: f.storePath, truthFile: nil).append(to: &report)
        let html = report.html()
        #expect(html.contains(">Dose-response</h2>"))
        #expect(html.contains("No organ doses are available"))
        #expect(html.contains("procedure_organ_dose") && html.contains("harmonic dose --store"))
        #expect(html.contains("harmonic analyze --store"))
    }

    @Test("the demo pipeline fits the dose-response on the organ doses its own dose stage wrote")
    func demoFitsItsOwnDoses() throws {
        let dir = try SharedData.temporaryDirectory("epi-demo-doses")
        var pipeline = DemoPipeline(children: 300, seed: 4, corruptFraction: 0, outputDirectory: dir)
        pipeline.doseRealisations = 20
        let result = try pipeline.run()
        let html = try String(contentsOf: result.reportURL, encoding: .utf8)
        #expect(result.dose != nil)
        #expect(html.contains(">Dose-response</h2>"))
        #expect(!html.contains("No organ doses are available"))
        #expect(html.contains("Cohort built from the store"))
    }
}
