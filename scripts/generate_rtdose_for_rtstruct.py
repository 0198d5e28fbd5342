#!/usr/bin/env python3
"""Writes Tests/DICOMTests/Resources/rt/rtdose_for_rtstruct.dcm: an RT Dose grid that covers the
geometry of pydicom's sample RT Structure Set (shared/data/dicom/general/rtstruct.dcm, ROI
"patient": a 400 x 300 mm rectangle on the planes z = -200, -190, -180 mm), so that Harmonic's DVH
can be validated against dicompyler-core on a consistent pair of real-format files.

Grid: 4 mm pixels, voxel centres offset so that none lies on a contour edge (x = -203 + 4k,
y = -153 + 4k), frames at z = -210 ... -170 mm every 10 mm (contour planes plus one empty plane
each side). Dose (Gy): a lateral gradient plus a Gaussian hot spot,
    D = 1 + 0.01 (x + 200) + 0.004 (y + 150) + 3 exp(-((x - 50)^2 + (y + 20)^2) / (2 * 40^2)) + 0.02 (z + 200)
stored as 32-bit unsigned integers with Dose Grid Scaling 1e-5 Gy.
Run: python3 scripts/generate_rtdose_for_rtstruct.py
"""
import pathlib
import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

root = pathlib.Path(__file__).resolve().parent.parent
out = root / "Tests/DICOMTests/Resources/rt/rtdose_for_rtstruct.dcm"
x0, y0, z0, spacing, frames = -203.0, -153.0, -210.0, 4.0, 5
cols, rows = 103, 78
xs = x0 + spacing * np.arange(cols)
ys = y0 + spacing * np.arange(rows)
zs = z0 + 10.0 * np.arange(frames)
Z, Y, X = np.meshgrid(zs, ys, xs, indexing="ij")
dose = 1 + 0.01 * (X + 200) + 0.004 * (Y + 150) + 3 * np.exp(-((X - 50) ** 2 + (Y + 20) ** 2) / (2 * 40.0 ** 2)) + 0.02 * (Z + 200)
scaling = 1e-5
pixels = np.round(dose / scaling).astype(np.uint32)

meta = FileMetaDataset()
meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.481.2"
meta.MediaStorageSOPInstanceUID = "1.2.826.0.1.3680043.8.498.1.20261123.1"
meta.TransferSyntaxUID = ExplicitVRLittleEndian
ds = Dataset()
ds.file_meta = meta
ds.SOPClassUID = meta.MediaStorageSOPClassUID
ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
ds.Modality = "RTDOSE"
ds.PatientID = "RTSTRUCT-SAMPLE"
ds.StudyInstanceUID = "1.2.826.0.1.3680043.8.498.1.20261123.2"
ds.SeriesInstanceUID = "1.2.826.0.1.3680043.8.498.1.20261123.3"
ds.FrameOfReferenceUID = "1.2.826.0.1.3680043.8.498.1.20261123.4"
ds.ImagePositionPatient = [x0, y0, z0]
ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
ds.PixelSpacing = [spacing, spacing]
ds.SliceThickness = ""
ds.GridFrameOffsetVector = list(zs - z0)
ds.NumberOfFrames = frames
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
ds.PixelData = pixels.tobytes()
ds.save_as(out, enforce_file_format=True)
print(f"wrote {out.relative_to(root)}: {cols}x{rows}x{frames}, dose {dose.min():.3f}-{dose.max():.3f} Gy")
