import Foundation
import Testing
import HarmonicCore
import HarmonicTestSupport
@testable import DICOM

/// Known figures of the real RDSRs, from ../shared/data/README.md (DAP in Gy·m², RP in Gy).
/// Tolerances are half a unit of the last digit the README quotes.
struct KnownRDSR: Sendable, CustomStringConvertible {
    let file: String
    let events: Int
    let dapGyM2: Double?, dapTolerance: Double
    let rpGray: Double?, rpTolerance: Double
    var description: String { file }
}

let knownRDSRs: [KnownRDSR] = [
    .init(file: "RF-RDSR-Siemens-Zee.dcm", events: 8, dapGyM2: 1.6e-5, dapTolerance: 0.05e-5, rpGray: 0.00252, rpTolerance: 0.000005),
    .init(file: "RF-RDSR-Philips_Allura.dcm", events: 3, dapGyM2: 1.5357e-4, dapTolerance: 0.00005e-4, rpGray: 0.0042713, rpTolerance: 0.00000005),
    .init(file: "RF-RDSR-GE.dcm", events: 8, dapGyM2: 2.4126e-4, dapTolerance: 0.00005e-4, rpGray: 0.0117317, rpTolerance: 0.00000005),
    // Canon: 126.596 dGy·cm² = 1.26596e-3 Gy·m²; 30.573 mGy.
    .init(file: "RF-RDSR-Canon-Ultimaxi-mGyDoseAtRP.dcm", events: 18, dapGyM2: 1.26596e-3, dapTolerance: 0.000005e-3, rpGray: 0.030573, rpTolerance: 0.0000005),
    .init(file: "RF-No-kVp-and-others.dcm", events: 20, dapGyM2: nil, dapTolerance: 0, rpGray: nil, rpTolerance: 0),
    .init(file: "siemens_axiom_artis.dcm", events: 21, dapGyM2: 9.37e-6, dapTolerance: 0.005e-6, rpGray: 0.00136, rpTolerance: 0.000005),
    .init(file: "philips_allura_clarity_u104.dcm", events: 25, dapGyM2: 7.839e-6, dapTolerance: 0.0005e-6, rpGray: 7.094e-4, rpTolerance: 0.0005e-4),
]

func loadReport(_ file: String) throws -> RadiationDoseReport {
    try RadiationDoseReport(file: DICOMFile(contentsOf: SharedData.url("dicom/rdsr/" + file)))
}

/// pydicom walking the same content tree: per event "uid|DAP Gy·cm²|RP Gy|mean kVp|type code|plane code",
/// with its own unit table (UCUM), then "TOTAL|DAP|RP" per accumulated container.
let pydicomWalker = """
import sys, pydicom
ds = pydicom.dcmread(sys.argv[1])
DAP = {'Gy.m2': 1e4, 'Gym2': 1e4, 'dGy.cm2': 0.1, 'cGy.cm2': 0.01, 'mGy.cm2': 1e-3, 'uGy.m2': 1e-2, 'Gy.cm2': 1, 'dGy.m2': 1e3, 'mGy.m2': 10}
DOSE = {'Gy': 1, 'mGy': 1e-3, 'dGy': 0.1, 'cGy': 0.01, 'uGy': 1e-6}
def code(item, seq='ConceptNameCodeSequence'):
    s = getattr(item, seq, None)
    return s[0].CodeValue if s else None
def walk(item):
    for c in getattr(item, 'ContentSequence', []):
        yield c
        yield from walk(c)
def first(item, cv):
    for c in walk(item):
        if code(c) == cv: return c
def num(item, cv, table):
    c = first(item, cv)
    if c is None or 'MeasuredValueSequence' not in c or len(c.MeasuredValueSequence) == 0: return ''
    mv = c.MeasuredValueSequence[0]
    return repr(float(mv.NumericValue) * table[mv.MeasurementUnitsCodeSequence[0].CodeValue])
for c in ds.ContentSequence:
    if code(c) == '113706':
        kv = [float(x.MeasuredValueSequence[0].NumericValue) for x in walk(c) if code(x) == '113733' and 'MeasuredValueSequence' in x and len(x.MeasuredValueSequence)]
        u = first(c, '113769'); t = first(c, '113721'); p = first(c, '113764')
        print('|'.join([u.UID if u else '', num(c, '122130', DAP), num(c, '113738', DOSE),
                        repr(sum(kv)/len(kv)) if kv else '', code(t, 'ConceptCodeSequence') if t else '', code(p, 'ConceptCodeSequence') if p else '']))
    if code(c) == '113702':
        print('TOTAL|' + num(c, '113722', DAP) + '|' + num(c, '113725', DOSE))
"""

func close(_ a: Double?, _ b: String, relative: Double = 1e-9) -> Bool {
    guard let b = Double(b) else { return a == nil }
    guard let a else { return false }
    return abs(a - b) <= relative * max(abs(a), abs(b), 1e-300)
}

@Suite("Radiation dose SR")
struct RadiationDoseReportTests {
    @Test("each real RDSR has the event count and totals the data README states", arguments: knownRDSRs)
    func readmeTotals(known: KnownRDSR) throws {
        let report = try loadReport(known.file)
        #expect(report.events.count == known.events)
        if let dap = known.dapGyM2 {
            let ours = try #require(report.totalDoseAreaProduct).grayM2
            #expect(abs(ours - dap) <= known.dapTolerance, "\(ours)")
        }
        if let rp = known.rpGray {
            let ours = try #require(report.totalDoseAtReferencePoint).value
            #expect(abs(ours - rp) <= known.rpTolerance, "\(ours)")
        }
        #expect(report.unconvertedUnits.isEmpty, "\(report.unconvertedUnits)")
    }

    /// The README says this holds in every file, but in philips_allura_clarity_u104.dcm pydicom sums the
    /// 25 event DAPs to 6.5906e-6 Gy·m² against a stated total of 7.839e-6: that file is checked separately.
    @Test("the event DAPs sum to the accumulated total", arguments: knownRDSRs.filter { $0.file != "philips_allura_clarity_u104.dcm" })
    func eventsSumToTotal(known: KnownRDSR) throws {
        let report = try loadReport(known.file)
        guard let total = report.totalDoseAreaProduct?.value else { return }
        let sum = report.events.compactMap(\.doseAreaProduct?.value).reduce(0, +)
        // Totals are stored with fewer digits than the events: 0.5% covers the rounding seen.
        #expect(abs(sum - total) <= 0.005 * total, "sum \(sum) total \(total)")
    }

    @Test("every event's UID, DAP, RP dose, kVp, type and plane match pydicom walking the same tree", arguments: knownRDSRs)
    func matchesPydicom(known: KnownRDSR) throws {
        let report = try loadReport(known.file)
        let lines = try PeerTool.python(pydicomWalker, arguments: [SharedData.url("dicom/rdsr/" + known.file).path])
            .split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
        let events = lines.filter { $0.first != "TOTAL" }
        let totals = lines.filter { $0.first == "TOTAL" }
        try #require(events.count == report.events.count)
        for (e, p) in zip(report.events, events) {
            #expect((e.uid ?? "") == p[0])
            // Relative 1e-9: both sides multiply the same decimal text by the same power of ten.
            #expect(close(e.doseAreaProduct?.value, p[1]), "DAP \(String(describing: e.doseAreaProduct)) vs \(p[1])")
            #expect(close(e.doseAtReferencePoint?.value, p[2]))
            #expect(close(e.kVp?.value, p[3]))
            let typeCodes: [IrradiationEventType: [String]] = [.fluoroscopy: ["P5-06000", "44491008"], .stationaryAcquisition: ["113611"],
                                                               .steppingAcquisition: ["113612"], .rotationalAcquisition: ["113613"]]
            #expect(typeCodes[e.type]?.contains(p[4]) ?? true)
        }
        try #require(totals.count == report.accumulated.count)
        for (a, t) in zip(report.accumulated, totals) {
            #expect(close(a.doseAreaProductTotal?.value, t[1]))
            #expect(close(a.doseAtReferencePointTotal?.value, t[2]))
        }
    }

    @Test("Canon's dGy·cm² and mGy units are normalised to Gy·cm² and Gy")
    func canonUnits() throws {
        let r = try loadReport("RF-RDSR-Canon-Ultimaxi-mGyDoseAtRP.dcm")
        // README: 126.596 dGy·cm², 30.573 mGy.
        #expect(abs(r.accumulated[0].doseAreaProductTotal!.value - 12.6596) < 1e-9)
        #expect(abs(r.accumulated[0].doseAtReferencePointTotal!.value - 0.030573) < 1e-12)
        #expect(r.events[0].type == .fluoroscopy)
        #expect(r.events[0].kVp?.value == 85)
        #expect(r.manufacturer == "CANON_MEC")
    }

    @Test("the Philips biplane events sum to 6.5906e-6 Gy·m², less than the stated total (as pydicom finds)")
    func philipsClaritySum() throws {
        let r = try loadReport("philips_allura_clarity_u104.dcm")
        let sum = r.events.compactMap(\.doseAreaProduct?.grayM2).reduce(0, +)
        // pydicom: 6.5905531223766e-06 Gy·m² (sum of the 25 NumericValues, unit Gy.m2); 1e-12 absolute covers float summation.
        #expect(abs(sum - 6.5905531223766e-06) < 1e-12)
    }

    @Test("the Philips biplane file has a plane B block of zeros beside plane A")
    func philipsPlaneB() throws {
        let r = try loadReport("philips_allura_clarity_u104.dcm")
        let b = r.accumulated.first { $0.plane == .b }
        if let b { #expect((b.doseAreaProductTotal?.value ?? 0) == 0) }
        #expect(r.accumulated.contains { $0.plane == .a })
    }

    @Test("the Philips Veradius file has events without kVp and still reads")
    func missingKVp() throws {
        let r = try loadReport("RF-No-kVp-and-others.dcm")
        #expect(r.events.contains { $0.kVp == nil })
    }

    @Test("Philips Allura events carry two filters each")
    func filters() throws {
        let r = try loadReport("RF-RDSR-Philips_Allura.dcm")
        #expect(r.events.allSatisfy { $0.filters.count == 2 })
    }

    @Test("a non-dose SR is rejected with the file and tag named")
    func rejectsOtherSR() throws {
        let url = SharedData.url("dicom/general/test-SR.dcm")
        #expect(throws: InputError.self) { try RadiationDoseReport(file: DICOMFile(contentsOf: url)) }
    }
}

@Suite("Registry rows from dose reports")
struct RegistryRowTests {
    @Test("events become irradiation_events rows in registry units (mGy, mm) with ISO date-times")
    func rows() throws {
        let r = try loadReport("RF-RDSR-Canon-Ultimaxi-mGyDoseAtRP.dcm")
        let rows = r.irradiationEventRows(siteProcedureID: "P1")
        #expect(rows.count == 18)
        // dsrdump: first event DateTime Started 20200108144020, DAP 1.323 dGy.cm2, Dose (RP) 0.384 mGy, KVP 85.
        #expect(rows[0]["event_datetime"] == "2020-01-08T14:40:20")
        #expect(abs(Double(rows[0]["kap_gycm2"]!)! - 0.1323) < 1e-12)
        #expect(abs(Double(rows[0]["ref_air_kerma_mgy"]!)! - 0.384) < 1e-12)
        #expect(rows[0]["kvp"] == "85.0" && rows[0]["event_type"] == "fluoroscopy" && rows[0]["plane"] == "single")
    }
}
