import Foundation
import HarmonicTestSupport
@testable import DICOM

/// One dose report read by the peer tests: the 7 real vendor RDSRs of shared/data/dicom/rdsr and
/// the 4 generated vendor-style RDSRs of Resources/generated.
struct RDSRSample: Sendable, CustomStringConvertible {
    let url: URL
    var description: String { url.lastPathComponent }
    func report() throws -> RadiationDoseReport { try RadiationDoseReport(file: DICOMFile(contentsOf: url)) }
}

let realRDSRNames = ["RF-No-kVp-and-others.dcm", "RF-RDSR-Canon-Ultimaxi-mGyDoseAtRP.dcm", "RF-RDSR-GE.dcm",
                     "RF-RDSR-Philips_Allura.dcm", "RF-RDSR-Siemens-Zee.dcm", "philips_allura_clarity_u104.dcm",
                     "siemens_axiom_artis.dcm"]
let generatedRDSRNames = ["rdsr-canon.dcm", "rdsr-ge.dcm", "rdsr-philips.dcm", "rdsr-siemens.dcm"]
let allRDSRSamples: [RDSRSample] = realRDSRNames.map { RDSRSample(url: SharedData.url("dicom/rdsr/" + $0)) }
    + generatedRDSRNames.map { RDSRSample(url: generatedFolder.appendingPathComponent($0)) }

/// What pydicom finds in one dose report (scripts/pydicom_rdsr_extract.py), walking the SR content tree by concept code value
/// (first descendant with the code, as TID 10001/10002/10003 nest them) with its own UCUM unit
/// table, in the reader's units: Gy·cm², Gy, s, cm, cm², degrees, kV, mA, ms for pulse width.
struct PeerReport: Decodable, Sendable {
    struct Filter: Decodable, Sendable {
        let type: String?, material: String?
        let min_cm: Double?, max_cm: Double?
    }
    struct Event: Decodable, Sendable {
        let uid: String?, datetime: String?, type: String?, plane: String?
        let dap: Double?, rp: Double?, primary: Double?, secondary: Double?, kvp: Double?, ma: Double?
        let pulse_width_ms: Double?, exposure_time: Double?, duration: Double?, pulses: Double?
        let filters: [Filter]
        let area_cm2: Double?, height_cm: Double?, width_cm: Double?
        /// Philips private (99PHI-IXR-XPER) bottom, left, right, top shutter, detector X and Y side, cm.
        let philips_shutters_cm: [Double?]?
        let sid_cm: Double?, table_longitudinal_cm: Double?, table_lateral_cm: Double?, table_height_cm: Double?
        let target_region: String?, `protocol`: String?
    }
    struct Accumulated: Decodable, Sendable {
        let plane: String?
        let dap: Double?, rp: Double?, fluoro_dap: Double?, fluoro_rp: Double?, fluoro_time: Double?
        let acquisition_dap: Double?, acquisition_rp: Double?, acquisition_time: Double?, frames: Double?
    }
    let manufacturer: String?, model: String?
    let events: [Event]
    let accumulated: [Accumulated]
}

/// pydicom's reading of every sample, run once (one python process for all files).
let pydicomPeerReports: Result<[String: PeerReport], any Error> = Result {
    let script = SharedData.repositoryRoot.appendingPathComponent("scripts/pydicom_rdsr_extract.py").path
    let out = try PeerTool.run("python3", [script] + allRDSRSamples.map(\.url.path))
    return try JSONDecoder().decode([String: PeerReport].self, from: Data(out.utf8))
}

struct MissingPeerResult: Error { let file: String }

func peer(_ sample: RDSRSample) throws -> PeerReport {
    guard let r = try pydicomPeerReports.get()[sample.url.path] else { throw MissingPeerResult(file: sample.description) }
    return r
}

/// Both sides multiply the same decimal text by the same power of ten (or take the same mean),
/// so they agree to a few ulps: relative 1e-9 (and both absent together).
func agree(_ ours: Double?, _ theirs: Double?) -> Bool {
    guard let ours, let theirs else { return ours == nil && theirs == nil }
    return abs(ours - theirs) <= 1e-9 * max(abs(ours), abs(theirs), 1e-300)
}

/// CID 10003 acquisition plane codes as the reader names them.
let planeByCode: [String: AcquisitionPlane] = ["113622": .single, "113620": .a, "113621": .b]
/// CID 10002 event type codes (fluoroscopy as SRT P5-06000 or SCT 44491008).
let eventTypeByCode: [String: IrradiationEventType] = ["P5-06000": .fluoroscopy, "44491008": .fluoroscopy,
    "113611": .stationaryAcquisition, "113612": .steppingAcquisition, "113613": .rotationalAcquisition]
