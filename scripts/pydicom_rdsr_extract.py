"""pydicom's reading of X-Ray Radiation Dose SRs, the peer of Harmonic's RadiationDoseReport.

Walks the SR content tree (pydicom.dcmread, ContentSequence, ConceptNameCodeSequence,
MeasuredValueSequence) by concept code value, the first descendant with a code as TID
10001/10002/10003 nest them, with its own UCUM unit table, and gives every value in the reader's
units: Gy.cm2, Gy, s, cm, cm2, degrees, kV, mA, ms for pulse width.

Used by Tests/DICOMTests (field-by-field comparison) and by `harmonic-bench dicom` (the pydicom
side of the speed comparison). Usage: python3 scripts/pydicom_rdsr_extract.py FILE... > JSON
"""
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

def numeric_fields(r):
    """Count of numeric values extracted (the same count harmonic-bench makes on its side), with the
    collimated field taken from Philips' private shutters when the standard concepts are absent."""
    n = 0
    for e in r['events']:
        keys = ['dap', 'rp', 'primary', 'secondary', 'kvp', 'ma', 'pulse_width_ms', 'exposure_time', 'duration',
                'pulses', 'sid_cm', 'table_longitudinal_cm', 'table_lateral_cm', 'table_height_cm']
        n += sum(e[k] is not None for k in keys)
        field = [e['area_cm2'], e['height_cm'], e['width_cm']]
        if all(x is None for x in field) and e['philips_shutters_cm'] is not None:
            b, l, rt, t, x, y = e['philips_shutters_cm']
            w = min(l + rt, x) if x else l + rt
            h = min(t + b, y) if y else t + b
            field = [w * h, h, w] if w > 0 and h > 0 else field
        n += sum(x is not None for x in field)
        n += sum((f['min_cm'] is not None) + (f['max_cm'] is not None) for f in e['filters'])
    for a in r['accumulated']:
        n += sum(v is not None for k, v in a.items() if k != 'plane')
    return n

if __name__ == '__main__':
    json.dump({p: report(p) for p in sys.argv[1:]}, sys.stdout)
