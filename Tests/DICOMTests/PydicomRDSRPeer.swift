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

/// What pydicom finds in one dose report, walking the SR content tree by concept code value
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
    let out = try PeerTool.python(pydicomRDSRExtractor, arguments: allRDSRSamples.map(\.url.path))
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

/// The pydicom side: an independent walk of the content tree (pydicom.dcmread, ContentSequence,
/// ConceptNameCodeSequence, MeasuredValueSequence) printing JSON keyed by file path.
let pydicomRDSRExtractor = """
import sys, json, pydicom
# Unit factors to the reader's units (UCUM codes as the vendors write them; https://ucum.org).
DAP = {'Gy.m2': 1e4, 'Gym2': 1e4, 'Gy.cm2': 1, 'dGy.cm2': 0.1, 'cGy.cm2': 0.01, 'mGy.cm2': 1e-3,
       'uGy.m2': 1e-2, 'mGy.m2': 10, 'dGy.m2': 1e3}
DOSE = {'Gy': 1, 'dGy': 0.1, 'cGy': 0.01, 'mGy': 1e-3, 'uGy': 1e-6}
TIME = {'s': 1, 'ms': 1e-3, 'us': 1e-6, 'min': 60}
LENGTH = {'m': 100, 'cm': 1, 'mm': 0.1}
AREA = {'m2': 1e4, 'cm2': 1, 'mm2': 0.01}
ANGLE = {'deg': 1}
KV = {'kV': 1}
MA = {'mA': 1, 'A': 1000}
COUNT = {'1': 1, '{pulses}': 1}
def cv(item, seq='ConceptNameCodeSequence'):
    s = item.get(seq)
    return s[0].CodeValue if s else None
def meaning(item):
    s = item.get('ConceptCodeSequence') if item is not None else None
    return s[0].CodeMeaning if s else None
def walk(item):
    for c in item.get('ContentSequence', []):
        yield c
        yield from walk(c)
def first(item, code, scheme=None):
    for c in walk(item):
        s = c.get('ConceptNameCodeSequence')
        if s and s[0].CodeValue == code and (scheme is None or s[0].CodingSchemeDesignator == scheme): return c
def all_(item, code):
    out = []
    for c in item.get('ContentSequence', []):
        if cv(c) == code: out.append(c)
        else: out += all_(c, code)
    return out
def value(c, table):
    if c is None or len(c.get('MeasuredValueSequence', [])) == 0: return None
    mv = c.MeasuredValueSequence[0]
    return float(mv.NumericValue) * table[mv.MeasurementUnitsCodeSequence[0].CodeValue]
def num(item, code, table, scheme=None): return value(first(item, code, scheme), table)
def text(item, code):
    c = first(item, code)
    return str(c.TextValue) if c is not None and 'TextValue' in c else None
def report(path):
    ds = pydicom.dcmread(path)
    events, acc = [], []
    for c in ds.ContentSequence:
        if cv(c) == '113706':
            e = {}
            u = first(c, '113769'); e['uid'] = str(u.UID) if u is not None else None
            d = first(c, '111526'); e['datetime'] = str(d.DateTime) if d is not None else None
            t = first(c, '113721'); e['type'] = cv(t, 'ConceptCodeSequence') if t is not None else None
            p = first(c, '113764'); e['plane'] = cv(p, 'ConceptCodeSequence') if p is not None else None
            e['dap'] = num(c, '122130', DAP); e['rp'] = num(c, '113738', DOSE)
            e['primary'] = num(c, '112011', ANGLE); e['secondary'] = num(c, '112012', ANGLE)
            kv = [value(x, KV) for x in all_(c, '113733')]; kv = [x for x in kv if x is not None]
            e['kvp'] = sum(kv) / len(kv) if kv else None
            e['ma'] = num(c, '113734', MA)
            pw = num(c, '113793', TIME); e['pulse_width_ms'] = pw * 1000 if pw is not None else None
            # Exposure Time (113824); older reports carry it in 113735, which PS3.16 retired with the same meaning.
            e['exposure_time'] = num(c, '113824', TIME)
            if e['exposure_time'] is None: e['exposure_time'] = num(c, '113735', TIME)
            e['duration'] = num(c, '113742', TIME)
            e['pulses'] = num(c, '113768', COUNT)
            e['filters'] = [{'type': meaning(first(f, '113772')), 'material': meaning(first(f, '113757')),
                             'min_cm': num(f, '113758', LENGTH), 'max_cm': num(f, '113773', LENGTH)} for f in all_(c, '113771')]
            e['area_cm2'] = num(c, '113790', AREA); e['height_cm'] = num(c, '113788', LENGTH); e['width_cm'] = num(c, '113789', LENGTH)
            # Philips private shutters (99PHI-IXR-XPER 006-009, detector sides 024/025), mm.
            sh = [num(c, k, LENGTH, '99PHI-IXR-XPER') for k in ('006', '007', '008', '009', '024', '025')]
            e['philips_shutters_cm'] = sh if all(x is not None for x in sh[:4]) else None
            e['sid_cm'] = num(c, '113750', LENGTH)
            e['table_longitudinal_cm'] = num(c, '113751', LENGTH); e['table_lateral_cm'] = num(c, '113752', LENGTH)
            e['table_height_cm'] = num(c, '113753', LENGTH)
            e['target_region'] = meaning(first(c, '123014'))
            e['protocol'] = text(c, '125203')
            events.append(e)
        if cv(c) == '113702':
            p = first(c, '113764')
            acc.append({'plane': cv(p, 'ConceptCodeSequence') if p is not None else None,
                        'dap': num(c, '113722', DAP), 'rp': num(c, '113725', DOSE),
                        'fluoro_dap': num(c, '113726', DAP), 'fluoro_rp': num(c, '113728', DOSE),
                        'fluoro_time': num(c, '113730', TIME),
                        'acquisition_dap': num(c, '113727', DAP), 'acquisition_rp': num(c, '113729', DOSE),
                        'acquisition_time': num(c, '113855', TIME), 'frames': num(c, '113731', COUNT)})
    return {'manufacturer': ds.get('Manufacturer') or text(ds, '121014'),
            'model': ds.get('ManufacturerModelName') or text(ds, '121015'),
            'events': events, 'accumulated': acc}
json.dump({p: report(p) for p in sys.argv[1:]}, sys.stdout)
"""
