import Foundation
import HarmonicTestSupport
import Testing
@testable import Reports

@Suite("Main job: synth → ingest → report")
struct DemoPipelineTests {
    @Test("the demo writes a report with its sections, plots, counts and validation results")
    func reportHasSectionsAndPlots() throws {
        let dir = try SharedData.temporaryDirectory("demo-pipeline")
        let result = try DemoPipeline(children: 150, seed: 4, corruptFraction: 0.02, outputDirectory: dir).run()
        let html = try String(contentsOf: result.reportURL, encoding: .utf8)
        for heading in ["Children by cohort and country", "Procedures by year and class", "Dose-record completeness",
                        "Kerma-area product by age and era", "Radiotherapy registry", "Validation"] {
            #expect(html.contains(">\(heading)</h2>"), "missing section \(heading)")
        }
        #expect(html.components(separatedBy: "<svg").count - 1 >= 6)
        #expect(html.contains(">NO</td>") && html.contains(">radiotherapy</td>"))
        #expect(html.contains("Quarantined rows by reason"))
        // The radiotherapy courses get organ doses, with their section (docs/rt-dose.md).
        #expect((result.rtDose?.courses ?? 0) > 0 && html.contains(">Radiotherapy organ doses</h2>"))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("extract/truth/rt_organ_doses.csv").path))
        // Some courses get synthetic DICOM-RT, loaded with ingest-dicom and dosed from their grid, compared with truth.
        #expect((result.rtDose?.byTier["dicom_rt"] ?? 0) > 0)
        #expect(html.contains(">dicom_rt</td>"))
        // The imaging exams are dosed and the report says what dominates the collective dose (docs/imaging-dose.md).
        #expect(html.contains(">Imaging doses and what dominates the collective dose</h2>") && html.contains("Fraction of the collective organ dose by exposure type and era"))
        // The demo writes the imaging truth and the report compares the reconstruction with it per exam type.
        for file in ["imaging_organ_doses.csv", "rt_imaging_organ_doses.csv"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("extract/truth/\(file)").path), "missing truth/\(file)")
        }
        #expect(html.contains("Reconstructed / true imaging organ dose per exam type (truth/rt_imaging_organ_doses.csv") && html.contains(">cbct/"))
        // Every row synth made bad is rejected; nothing else (see SynthesisTests for the row-level check).
        #expect(result.rejected == result.synthesis.corruptedRows)
        #expect(result.accepted > 0)
        // The site keys live outside the store file.
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("keys/NO.key").path))
    }
}
