#!/usr/bin/env python3
"""Writes Tests/RTDoseTests/Resources/plan/: a consistent DICOM-RT set (plan, dose grid, structure
set on one Frame of Reference) for a stylised 8-year-old treated for a brain tumour, plus the
variants the bad-input tests need. The sample RT files of shared/data lie on different frames of
reference and carry a RELATIVE dose, so they cannot give organ doses (the tests check that they
are refused with a clear error).

Geometry (patient coordinates, mm; +x left, +y posterior, +z superior; isocentre at the origin):
  BODY    head ellipse 70 x 90 (z -60..110), neck circle r 45 (z -120..-60),
          trunk ellipse 110 x 80 (z -560..-120)
  PTV_54  sphere r 25 at the isocentre
  Brain   ellipsoid at (0, 0, 40), semi-axes (60, 75, 55)
  Eye_L/R spheres r 11 at (+-32, -70, 10); Lens_L/R r 4 at (+-32, -79, 10)
  Thyroid ellipsoid at (0, -25, -105), semi-axes (20, 8, 18)
  Lung_L/R ellipsoids at (+-50, 0, -260), semi-axes (40, 55, 100)
  Heart   ellipsoid at (10, -20, -300), semi-axes (40, 35, 45)
  SpinalCord  cylinder r 5 at (0, 35), z -500..-40 (no Organ: must be listed as unmapped)
  z_opt_ring  optimisation helper (listed as a planning helper)
Contours on planes every 3 mm (z = -560 + 3k), 48 points each.
Dose grid: 3 mm voxels, x -100.5..99.5, y -121.5..119.5, z -80..109 (the head only, as in a
clinical brain plan); D(r) = 54 Gy inside r = 25 mm, 54 exp(-(r - 25)/12) + 1.6 exp(-(r - 25)/45)
outside (a steep fall-off and an IMRT low-dose bath); 32-bit, DoseGridScaling 1e-4 Gy.
Plan: 7 static 6 MV IMRT beams (gantry 0, 51, 103, 154, 206, 257, 309), 10 control points with
MLC each, jaws +-40 mm, 60 MU each per fraction; 30 fractions, prescription 54 Gy.
Variants: rd_other_frame.dcm (different Frame of Reference UID), rd_uneven.dcm (frame offsets
0, 3, 6, 12, 15: a missing slice), rp_proton_pbs.dcm (RT Ion Plan, PROTON, MODULATED scan mode,
same geometry), rp_brachy.dcm (brachytherapy application setup), rp_carbon.dcm (RT Ion Plan, ION
6C12), rp_3dcrt.dcm (4 open 6 MV fields, 2 control points, no MLC), rd_proton_pbs.dcm (the dose of
rp_proton_pbs.dcm, stylised: 54 Gy in the target, 5 mm fall-off, no low-dose bath, two lateral
entrance channels at 40%: the photon-against-proton example of `harmonic risk compare`).
Run: python3 scripts/generate_rt_plan_sample.py
"""
import pathlib
import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian

root = pathlib.Path(__file__).resolve().parent.parent
out = root / "Tests/RTDoseTests/Resources/plan"
out.mkdir(parents=True, exist_ok=True)
UID = "1.2.826.0.1.3680043.8.498.14."
FOR = UID + "1"
STUDY = UID + "2"


def base(modality, sop_class, n, frame=FOR):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop_class
    meta.MediaStorageSOPInstanceUID = UID + "10." + str(n)
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.Modality = modality
    ds.PatientID = "RT-SAMPLE-8F"
    ds.PatientSex = "F"
    ds.PatientAge = "008Y"
    ds.StudyInstanceUID = STUDY
    ds.SeriesInstanceUID = UID + "20." + str(n)
    if frame:
        ds.FrameOfReferenceUID = frame
    return ds


# ---- structures -------------------------------------------------------------------------
planes = -560.0 + 3.0 * np.arange(int((110 + 560) / 3) + 1)
phi = np.linspace(0, 2 * np.pi, 48, endpoint=False)


def ellipse(cx, cy, a, b, z):
    return [v for t in phi for v in (cx + a * np.cos(t), cy + b * np.sin(t), z)]


def body(z):
    if -60 <= z <= 110:
        return [ellipse(0, 0, 70, 90, z)]
    if -120 <= z < -60:
        return [ellipse(0, 0, 45, 45, z)]
    if -560 <= z < -120:
        return [ellipse(0, 0, 110, 80, z)]
    return []


def ellipsoid(c, s):
    def f(z):
        u = (z - c[2]) / s[2]
        if abs(u) >= 1:
            return []
        k = np.sqrt(1 - u * u)
        return [ellipse(c[0], c[1], s[0] * k, s[1] * k, z)]
    return f


def cylinder(cx, cy, r, z0, z1):
    return lambda z: [ellipse(cx, cy, r, r, z)] if z0 <= z <= z1 else []


def ring(z):
    return [ellipse(0, 10, 40, 40, z)] if -10 <= z <= 50 else []


structures = [
    ("BODY", "EXTERNAL", body),
    ("PTV_54", "PTV", ellipsoid((0, 0, 0), (25, 25, 25))),
    ("Brain", "ORGAN", ellipsoid((0, 0, 40), (60, 75, 55))),
    ("Eye_L", "ORGAN", ellipsoid((32, -70, 10), (11, 11, 11))),
    ("Eye_R", "ORGAN", ellipsoid((-32, -70, 10), (11, 11, 11))),
    ("Lens_L", "ORGAN", ellipsoid((32, -79, 10), (4, 4, 4))),
    ("Lens_R", "ORGAN", ellipsoid((-32, -79, 10), (4, 4, 4))),
    ("Thyroid", "ORGAN", ellipsoid((0, -25, -105), (20, 8, 18))),
    ("Lung_L", "ORGAN", ellipsoid((50, 0, -260), (40, 55, 100))),
    ("Lung_R", "ORGAN", ellipsoid((-50, 0, -260), (40, 55, 100))),
    ("Heart", "ORGAN", ellipsoid((10, -20, -300), (40, 35, 45))),
    ("SpinalCord", "ORGAN", cylinder(0, 35, 5, -500, -40)),
    ("z_opt_ring", "CONTROL", ring),
]

rs = base("RTSTRUCT", "1.2.840.10008.5.1.4.1.1.481.3", 3)
rs.StructureSetLabel = "RT-SAMPLE"
ref = Dataset()
ref.FrameOfReferenceUID = FOR
rs.ReferencedFrameOfReferenceSequence = Sequence([ref])
rois, contours, obs = [], [], []
for i, (name, kind, shape) in enumerate(structures, start=1):
    r = Dataset()
    r.ROINumber = i
    r.ReferencedFrameOfReferenceUID = FOR
    r.ROIName = name
    r.ROIGenerationAlgorithm = "MANUAL"
    rois.append(r)
    c = Dataset()
    c.ReferencedROINumber = i
    c.ROIDisplayColor = [255, 0, 0]
    items = []
    for z in planes:
        for pts in shape(float(z)):
            it = Dataset()
            it.ContourGeometricType = "CLOSED_PLANAR"
            it.NumberOfContourPoints = len(pts) // 3
            it.ContourData = [round(float(v), 2) for v in pts]
            items.append(it)
    c.ContourSequence = Sequence(items)
    contours.append(c)
    o = Dataset()
    o.ObservationNumber = i
    o.ReferencedROINumber = i
    o.RTROIInterpretedType = kind
    obs.append(o)
rs.StructureSetROISequence = Sequence(rois)
rs.ROIContourSequence = Sequence(contours)
rs.RTROIObservationsSequence = Sequence(obs)
rs.save_as(out / "RS.dcm", enforce_file_format=True)

# ---- dose grid ---------------------------------------------------------------------------
def dose_file(name, frame, offsets, n, proton=False):
    x0, y0, z0, sp = -100.5, -121.5, -80.0, 3.0
    cols, rows = 67, 81
    xs = x0 + sp * np.arange(cols)
    ys = y0 + sp * np.arange(rows)
    zs = z0 + np.asarray(offsets)
    Z, Y, X = np.meshgrid(zs, ys, xs, indexing="ij")
    r = np.sqrt(X ** 2 + Y ** 2 + Z ** 2)
    d = np.where(r <= 25, 54.0, 54 * np.exp(-(r - 25) / 12) + 1.6 * np.exp(-(r - 25) / 45))
    if proton:
        # Stylised two-field lateral PBS (rp_proton_pbs.dcm, gantry 90 and 270): the same target dose,
        # a sharper fall-off (5 mm) and no low-dose bath, plus the two entrance channels along x
        # (|x| > 25 mm within the target's cross-section) at 40% of the prescription.
        channel = (Y ** 2 + Z ** 2 <= 25 ** 2) & (np.abs(X) > 25)
        d = np.where(r <= 25, 54.0, 54 * np.exp(-(r - 25) / 5))
        d = np.where(channel, np.maximum(d, 0.4 * 54), d)
    inside = (X / 70) ** 2 + (Y / 90) ** 2 <= 1
    inside &= Z >= -60
    d = np.where(inside | (r <= 60), d, d * 0.02)   # air around the head: negligible dose
    scaling = 1e-4
    ds = base("RTDOSE", "1.2.840.10008.5.1.4.1.1.481.2", n, frame)
    ds.ImagePositionPatient = [x0, y0, z0]
    ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    ds.PixelSpacing = [sp, sp]
    ds.GridFrameOffsetVector = [float(o) for o in offsets]
    ds.NumberOfFrames = len(offsets)
    ds.FrameIncrementPointer = pydicom.tag.Tag(0x3004, 0x000C)
    ds.Rows, ds.Columns = rows, cols
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated = ds.BitsStored = 32
    ds.HighBit = 31
    ds.PixelRepresentation = 0
    ds.DoseUnits = "GY"
    ds.DoseType = "PHYSICAL"
    ds.DoseSummationType = "PLAN"
    ds.DoseGridScaling = scaling
    ds.PixelData = np.round(d / scaling).astype(np.uint32).tobytes()
    ds.save_as(out / name, enforce_file_format=True)


dose_file("RD.dcm", FOR, 3.0 * np.arange(64), 2)
dose_file("rd_other_frame.dcm", UID + "99", 3.0 * np.arange(64), 4)
dose_file("rd_uneven.dcm", FOR, [0.0, 3.0, 6.0, 12.0, 15.0], 5)
dose_file("rd_proton_pbs.dcm", FOR, 3.0 * np.arange(64), 10, proton=True)

# ---- plans -------------------------------------------------------------------------------
def plan(name, n, beams_spec, ion=None, brachy=False, label="IMRT brain"):
    ds = base("RTPLAN", "1.2.840.10008.5.1.4.1.1.481.8" if ion else "1.2.840.10008.5.1.4.1.1.481.5", n)
    ds.RTPlanLabel = label
    ds.RTPlanGeometry = "PATIENT"
    dr = Dataset()
    dr.DoseReferenceNumber = 1
    dr.DoseReferenceStructureType = "VOLUME"
    dr.DoseReferenceType = "TARGET"
    dr.TargetPrescriptionDose = 54.0
    ds.DoseReferenceSequence = Sequence([dr])
    fg = Dataset()
    fg.FractionGroupNumber = 1
    fg.NumberOfFractionsPlanned = 30
    fg.NumberOfBeams = 0 if brachy else len(beams_spec)
    fg.NumberOfBrachyApplicationSetups = 1 if brachy else 0
    refs = []
    for i, (_, mu, _) in enumerate(beams_spec, start=1):
        rb = Dataset()
        rb.ReferencedBeamNumber = i
        rb.BeamMeterset = mu
        refs.append(rb)
    fg.ReferencedBeamSequence = Sequence([] if brachy else refs)
    ds.FractionGroupSequence = Sequence([fg])
    if brachy:
        app = Dataset()
        app.ApplicationSetupType = "INTRACAVITARY"
        app.ApplicationSetupNumber = 1
        ds.ApplicationSetupSequence = Sequence([app])
        ds.save_as(out / name, enforce_file_format=True)
        return
    beams = []
    for i, (gantry, mu, cps) in enumerate(beams_spec, start=1):
        b = Dataset()
        b.BeamNumber = i
        b.BeamName = f"B{i}"
        b.BeamType = "STATIC"
        b.TreatmentDeliveryType = "TREATMENT"
        b.TreatmentMachineName = "LINAC1" if not ion else "GANTRY1"
        if ion:
            b.RadiationType = ion[0]
            if ion[0] == "ION":
                b.RadiationMassNumber, b.RadiationAtomicNumber, b.RadiationChargeState = 12, 6, 6
            b.ScanMode = ion[1]
            b.VirtualSourceAxisDistances = [2000.0, 2000.0]
        else:
            b.RadiationType = "PHOTON"
            b.SourceAxisDistance = 1000.0
        points = []
        for k in range(cps):
            cp = Dataset()
            cp.ControlPointIndex = k
            cp.CumulativeMetersetWeight = k / (cps - 1)
            if k == 0:
                cp.NominalBeamEnergy = 6.0 if not ion else 150.0
                cp.GantryAngle = gantry
                cp.GantryRotationDirection = "NONE"
                cp.PatientSupportAngle = 0.0
                cp.IsocenterPosition = [0.0, 0.0, 0.0]
                if not ion:
                    jx, jy = Dataset(), Dataset()
                    jx.RTBeamLimitingDeviceType, jx.LeafJawPositions = "ASYMX", [-40.0, 40.0]
                    jy.RTBeamLimitingDeviceType, jy.LeafJawPositions = "ASYMY", [-40.0, 40.0]
                    devs = [jx, jy]
                    if cps > 2:
                        m = Dataset()
                        m.RTBeamLimitingDeviceType = "MLCX"
                        m.LeafJawPositions = [-20.0 - k] * 10 + [20.0 + k] * 10
                        devs.append(m)
                    cp.BeamLimitingDevicePositionSequence = Sequence(devs)
            elif not ion and cps > 2:
                m = Dataset()
                m.RTBeamLimitingDeviceType = "MLCX"
                m.LeafJawPositions = [-20.0 - k] * 10 + [20.0 + k] * 10
                cp.BeamLimitingDevicePositionSequence = Sequence([m])
            points.append(cp)
        if ion:
            b.NumberOfControlPoints = cps
            b.IonControlPointSequence = Sequence(points)
        else:
            b.NumberOfControlPoints = cps
            b.ControlPointSequence = Sequence(points)
        beams.append(b)
    if ion:
        ds.IonBeamSequence = Sequence(beams)
    else:
        ds.BeamSequence = Sequence(beams)
    ds.save_as(out / name, enforce_file_format=True)


imrt = [(g, 60.0, 10) for g in (0.0, 51.0, 103.0, 154.0, 206.0, 257.0, 309.0)]
plan("RP.dcm", 1, imrt)
plan("rp_3dcrt.dcm", 6, [(g, 40.0, 2) for g in (0.0, 90.0, 180.0, 270.0)], label="3D-CRT brain")
plan("rp_proton_pbs.dcm", 7, [(g, 1.0, 2) for g in (90.0, 270.0)], ion=("PROTON", "MODULATED"), label="PBS brain")
plan("rp_carbon.dcm", 8, [(90.0, 1.0, 2)], ion=("ION", "MODULATED"), label="carbon brain")
plan("rp_brachy.dcm", 9, [], brachy=True, label="brachy")
print("wrote", ", ".join(sorted(p.name for p in out.iterdir())))
