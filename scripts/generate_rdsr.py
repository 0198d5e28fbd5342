#!/usr/bin/env python3
"""Generate small X-Ray Radiation Dose SRs (TID 10001/10003) in four vendor styles.

Writes dcmtk xml2dsr XML, converts it with `xml2dsr`, and records the values put in
(truth.json) so tests can check what the Swift reader extracts. Vendor quirks modelled after
the real files in ../shared/data/dicom/rdsr (README there):
  siemens: DAP unit "Gym2" (no dot); canon: "dGy.cm2" and "mGy";
  ge: misspelt concept meanings; philips: biplane with a plane B block of zeros, two filters
  per event, and events without kVp.
Run: python3 scripts/generate_rdsr.py   (outputs Tests/DICOMTests/Resources/generated)
"""
import json, pathlib, random, subprocess
from xml.sax.saxutils import escape

OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests/DICOMTests/Resources/generated"
DCM, UCUM, SRT = "DCM", "UCUM", "SRT"

def concept(v, s, m):
    return f"<concept><value>{v}</value><scheme><designator>{s}</designator></scheme><meaning>{escape(m)}</meaning></concept>"

def code(rel, c, v):
    return (f"<code><relationship>{rel}</relationship>{concept(*c)}<value>{v[0]}</value>"
            f"<scheme><designator>{v[1]}</designator></scheme><meaning>{escape(v[2])}</meaning></code>")

def ds(x):
    """A DS text without exponent, at most 16 characters (PS3.5 Table 6.2-1)."""
    t = f"{x:.14f}".rstrip("0").rstrip(".")
    return t[:16].rstrip(".") or "0"

def num(rel, c, value, unit):
    return (f"<num><relationship>{rel}</relationship>{concept(*c)}<value>{value}</value>"
            f"<unit><value>{unit}</value><scheme><designator>{UCUM}</designator></scheme><meaning>{unit}</meaning></unit></num>")

def text(rel, c, v):
    return f"<text><relationship>{rel}</relationship>{concept(*c)}<value>{escape(v)}</value></text>"

def uidref(rel, c, v):
    return f"<uidref><relationship>{rel}</relationship>{concept(*c)}<value>{v}</value></uidref>"

def datetime(rel, c, v):
    return f"<datetime><relationship>{rel}</relationship>{concept(*c)}<value>{v}</value></datetime>"

def container(rel, c, body, flag="SEPARATE"):
    r = f"<relationship>{rel}</relationship>" if rel else ""
    return f'<container flag="{flag}">{r}{concept(*c)}{body}</container>'

STYLES = {
    "siemens": dict(manufacturer="Siemens", model="AXIOM-Artis", dap_unit="Gym2", dap_factor=1e-4, rp_unit="Gy", rp_factor=1, planes=["113622"]),
    "canon": dict(manufacturer="CANON_MEC", model="Ultimax-i", dap_unit="dGy.cm2", dap_factor=10, rp_unit="mGy", rp_factor=1000, planes=["113622"]),
    "ge": dict(manufacturer="GE Healthcare Surgery", model="OEC Elite", dap_unit="Gy.m2", dap_factor=1e-4, rp_unit="Gy", rp_factor=1, planes=["113622"], misspell=True),
    "philips": dict(manufacturer="Philips Medical Systems", model="Allura Xper", dap_unit="Gy.m2", dap_factor=1e-4, rp_unit="Gy", rp_factor=1, planes=["113620", "113621"], filters=2, no_kvp_every=3),
}
PLANE = {"113622": "Single Plane", "113620": "Plane A", "113621": "Plane B"}

def meaning(style, m):
    if not style.get("misspell"):
        return m
    return {"Dose Area Product": "Dose Area Prodcut", "Irradiation Event X-Ray Data": "Irradiation Event X-ray Data",
            "Dose (RP)": "Dose(RP)", "Acquisition Plane": "Aquisition Plane"}.get(m, m)

def build(name, style, seed, n_events):
    rnd = random.Random(seed)
    uid_root = f"1.2.826.0.1.3680043.10.1234.{seed}"
    events, truth_events = [], []
    base = "2024-03-05T10:%02d:%02d"
    for i in range(n_events):
        fluoro = i % 3 != 2
        dap = round(rnd.uniform(0.01, 2.0), 4)            # Gy·cm²
        rp = round(dap * rnd.uniform(2.0, 5.0) / 1000, 6)  # Gy
        kvp = None if style.get("no_kvp_every") and i % style["no_kvp_every"] == 0 else round(rnd.uniform(60, 110), 1)
        ma = round(rnd.uniform(5, 600), 1)
        prim, sec = round(rnd.uniform(-90, 90), 1), round(rnd.uniform(-45, 45), 1)
        sid = round(rnd.uniform(900, 1200), 1)            # mm
        uid = f"{uid_root}.{i + 1}"
        ev = dict(uid=uid, type="fluoroscopy" if fluoro else "stationary_acquisition", dap=dap, rp=rp, kvp=kvp, ma=ma,
                  primary=prim, secondary=sec, sid_cm=sid / 10, filters=[])
        body = code("HAS CONCEPT MOD", ("113764", DCM, meaning(style, "Acquisition Plane")), (style["planes"][0], DCM, PLANE[style["planes"][0]]))
        body += datetime("CONTAINS", ("111526", DCM, "DateTime Started"), base % (i // 60, i % 60))
        body += code("CONTAINS", ("113721", DCM, "Irradiation Event Type"),
                     ("P5-06000", SRT, "Fluoroscopy") if fluoro else ("113611", DCM, "Stationary Acquisition"))
        body += uidref("CONTAINS", ("113769", DCM, "Irradiation Event UID"), uid)
        dap_text, rp_text = ds(dap * style["dap_factor"]), ds(rp * style["rp_factor"])
        ev["dap"], ev["rp"] = float(dap_text) / style["dap_factor"], float(rp_text) / style["rp_factor"]
        body += num("CONTAINS", ("122130", DCM, meaning(style, "Dose Area Product")), dap_text, style["dap_unit"])
        body += num("CONTAINS", ("113738", DCM, meaning(style, "Dose (RP)")), rp_text, style["rp_unit"])
        body += num("CONTAINS", ("112011", DCM, "Positioner Primary Angle"), f"{prim}", "deg")
        body += num("CONTAINS", ("112012", DCM, "Positioner Secondary Angle"), f"{sec}", "deg")
        for k in range(style.get("filters", 1)):
            mat = [("C-127F9", SRT, "Copper or Copper compound"), ("C-120F9", SRT, "Aluminum or Aluminum compound")][k % 2]
            th = round([0.1, 1.0][k % 2] * (1 + i % 3), 3)
            ev["filters"].append(dict(material=mat[2], thickness_mm=th))
            fb = code("CONTAINS", ("113772", DCM, "X-Ray Filter Type"), ("113650", DCM, "Strip filter"))
            fb += code("CONTAINS", ("113757", DCM, "X-Ray Filter Material"), mat)
            fb += num("CONTAINS", ("113758", DCM, "X-Ray Filter Thickness Minimum"), f"{th}", "mm")
            fb += num("CONTAINS", ("113773", DCM, "X-Ray Filter Thickness Maximum"), f"{th}", "mm")
            body += container("CONTAINS", ("113771", DCM, "X-Ray Filters"), fb)
        if kvp is not None:
            body += num("CONTAINS", ("113733", DCM, "KVP"), f"{kvp}", "kV")
        body += num("CONTAINS", ("113734", DCM, "X-Ray Tube Current"), f"{ma}", "mA")
        body += num("CONTAINS", ("113750", DCM, "Distance Source to Detector"), f"{sid}", "mm")
        body += code("CONTAINS", ("123014", DCM, "Target Region"), ("T-D3000", SRT, "Chest"))
        events.append(container("CONTAINS", ("113706", DCM, meaning(style, "Irradiation Event X-Ray Data")), body))
        truth_events.append(ev)
    totals = []
    for p in style["planes"]:
        zero = p == "113621"
        dap = 0 if zero else sum(e["dap"] for e in truth_events)
        rp = 0 if zero else sum(e["rp"] for e in truth_events)
        b = code("HAS CONCEPT MOD", ("113764", DCM, "Acquisition Plane"), (p, DCM, PLANE[p]))
        b += num("CONTAINS", ("113722", DCM, "Dose Area Product Total"), ds(dap * style['dap_factor']), style["dap_unit"])
        b += num("CONTAINS", ("113725", DCM, "Dose (RP) Total"), ds(rp * style['rp_factor']), style["rp_unit"])
        totals.append(container("CONTAINS", ("113702", DCM, "Accumulated X-Ray Dose Data"), b))
    root = code("HAS CONCEPT MOD", ("121058", DCM, "Procedure reported"), ("113704", DCM, "Projection X-Ray"))
    root += text("HAS OBS CONTEXT", ("121014", DCM, "Device Observer Manufacturer"), style["manufacturer"])
    root += text("HAS OBS CONTEXT", ("121015", DCM, "Device Observer Model Name"), style["model"])
    root += "".join(totals) + "".join(events)
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<report type="X-Ray Radiation Dose SR">
<sopclass uid="1.2.840.10008.5.1.4.1.1.88.67">XRayRadiationDoseSRStorage</sopclass>
<modality>SR</modality>
<device><manufacturer>{style["manufacturer"]}</manufacturer><model>{style["model"]}</model><serial>SN-{seed}</serial><version>1.0</version></device>
<patient><id>SYNTH-{seed}</id><name><last>Synthetic</last><first>{name}</first></name><sex>O</sex></patient>
<study uid="{uid_root}.100"><id>1</id><date>2024-03-05</date><time>10:00:00</time></study>
<series uid="{uid_root}.200"><number>1</number></series>
<instance uid="{uid_root}.300"><number>1</number></instance>
<document><completion flag="COMPLETE"></completion><verification flag="UNVERIFIED"></verification>
<content><date>2024-03-05</date><time>10:30:00</time>
{container("", ("113701", DCM, "X-Ray Radiation Dose Report"), root)}
</content></document></report>
"""
    xml_path, dcm_path = OUT / f"rdsr-{name}.xml", OUT / f"rdsr-{name}.dcm"
    xml_path.write_text(xml)
    subprocess.run(["xml2dsr", str(xml_path), str(dcm_path)], check=True)
    return dict(file=dcm_path.name, manufacturer=style["manufacturer"], model=style["model"], events=truth_events,
                planes=style["planes"], dap_total=sum(e["dap"] for e in truth_events), rp_total=sum(e["rp"] for e in truth_events))

if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    truth = [build(n, s, 1000 + k, [8, 18, 8, 25][k]) for k, (n, s) in enumerate(STYLES.items())]
    (OUT / "truth.json").write_text(json.dumps(truth, indent=1))
    print("wrote", [t["file"] for t in truth])
