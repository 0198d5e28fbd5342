#!/usr/bin/env python3
"""Upper-thorax anatomy of the ICRP 110 adult male voxel phantom, for the stylised template.

Measures, on the ICRP Publication 110 adult male reference phantom (254 x 127 voxels of 2.137 mm,
222 slices of 8 mm, slice 1 at the feet, the anterior surface at low row index), what the
stylised phantoms' upper thorax is compared with in docs/validation-chang2017-notes.md:

- vertebral and sternal levels: the slices of the thoracic and cervical spine and of the sternum;
- the depth of the oesophagus below the anterior skin, slice by slice, and its share above T1;
- the skin-to-trachea distance on the trachea's column from the manubrium's top upwards;
- the profile of the body's front, the oesophagus and the vertebrae's front across the thoracic inlet;
- the mean primary transmission at 30 keV from the front (AP) and the back (PA) to the
  oesophagus' voxels, neck part (above T1) and thoracic part, with mass attenuation coefficients
  at 30 keV of 0.375 cm2/g for soft tissues, 1.33 for cortical bone, 0.75 for spongiosa and 0.40
  for medullary cavity (NIST XCOM values, rounded).

The phantom's data are ICRP's (ICRP Publication 110, 2009; distributed with Geant4's
ICRP110_HumanPhantoms example) and are not in this repository. Point the script at a folder
holding `AM/AM_slice<N>.g4dat` and `P110_data_V1.2/AM/AM_organs.dat`, for example a Geant4
example's data folder or a copy of github.com/DOnghiaGroup/ICRP110_HumanPhantoms_GCR
(build/ICRPdata/ICRP110_g4dat):

    python3 scripts/icrp110_upper_thorax.py PATH/ICRP110_g4dat

The stylised phantom's side of the comparison is measured with the same coefficients by a ray
walk through its voxels (docs/validation-chang2017-notes.md, session 20).
"""
import re
import sys

import numpy as np

from icrp110_data import PHANTOMS, load

NX, NY, NZ, DXY, DZ = PHANTOMS["AM"]  # cm


def main(base):
    vol, names, density = load(base, "AM")
    ids = lambda pattern: [i for i, n in names.items() if re.search(pattern, n, re.I)]
    mu = np.zeros(max(names) + 1)
    for i, n in names.items():
        n = n.lower()
        mu_rho = 1.33 if "cortical" in n or n.startswith("teeth") else 0.75 if "spongiosa" in n \
            else 0.40 if "medullary" in n else 0.0 if "air" in n else 0.375
        mu[i] = mu_rho * density[i]
    sternum = np.argwhere(np.isin(vol, ids("^Sternum")))
    thoracic = np.argwhere(np.isin(vol, ids("^Thoracic spine")))
    cervical = np.argwhere(np.isin(vol, ids("^Cervical spine")))
    assert sternum[:, 1].mean() < thoracic[:, 1].mean(), "expected the anterior surface at low row index"
    t1_top, sternum_top = thoracic[:, 0].max(), sternum[:, 0].max()
    print(f"thoracic spine slices {thoracic[:, 0].min()}-{t1_top}, cervical {cervical[:, 0].min()}-{cervical[:, 0].max()}, "
          f"sternum {sternum[:, 0].min()}-{sternum_top}: the manubrium's top lies {(t1_top - sternum_top) * DZ:.1f} cm below T1's top; "
          f"sternum {(sternum_top - sternum[:, 0].min() + 1) * DZ:.1f} cm long")
    oes = np.argwhere(np.isin(vol, ids("^Oesophagus$")))
    print(f"oesophagus slices {oes[:, 0].min()}-{oes[:, 0].max()}")
    parts = {"neck (above T1)": oes[:, 0] > t1_top, "thorax": oes[:, 0] <= t1_top}
    for label, sel in parts.items():
        ap, pa, front = [], [], []
        for k, j, i in oes[sel]:
            column = mu[vol[k, :, i]] * DXY
            ap.append(np.exp(-(column[:j].sum() + column[j] / 2)))
            pa.append(np.exp(-(column[j + 1:].sum() + column[j] / 2)))
            front.append((j - np.nonzero(vol[k, :, i])[0].min()) * DXY)
        print(f"{label}: {sel.mean():.3f} of the voxels, depth below the anterior skin {np.mean(front):.1f} cm, "
              f"30-keV primary transmission AP {np.mean(ap):.4f}, PA {np.mean(pa):.4f}")
    print("oesophagus depth below the anterior skin by slice (cm above the manubrium's top):")
    for k in range(oes[:, 0].min(), oes[:, 0].max() + 1, 4):
        here = oes[oes[:, 0] == k]
        depths = [(j - np.nonzero(vol[k, :, i])[0].min()) * DXY for _, j, i in here]
        print(f"  {(k - sternum_top) * DZ:+5.1f}: {np.mean(depths):4.1f}")
    print("skin to trachea on the trachea's column (cm above the manubrium's top):")
    airway = ids("^Trachea$") + ids("^Air inside body")
    for k in range(sternum_top - 2, min(NZ, sternum_top + 12), 2):
        hits = np.argwhere(np.isin(vol[k], airway))
        if len(hits) == 0:
            continue
        column = vol[k][:, int(np.median(hits[:, 1]))]
        body, trachea = np.nonzero(column)[0], np.nonzero(np.isin(column, airway))[0]
        print(f"  {(k - sternum_top) * DZ:+5.1f}: {(trachea.min() - body.min()) * DXY:.1f}")

    print("profile on the oesophagus' column, cm from the vertebrae's front at the oesophagus' lowest slice "
          "(negative: anterior): body front, oesophagus front and back, vertebrae's front")
    spine = ids("^(Thoracic|Cervical) spine")
    reference = None
    for k in range(oes[:, 0].min() - 10, min(NZ, oes[:, 0].max() + 12), 2):
        here = np.argwhere(np.isin(vol[k], spine))
        if len(here) == 0:
            continue
        spine_front = np.nonzero(np.isin(vol[k][:, int(np.median(here[:, 1]))], spine))[0].min() * DXY
        if reference is None and k >= oes[:, 0].min():
            reference = spine_front
        r = spine_front if reference is None else reference
        on = np.argwhere(np.isin(vol[k], ids("^Oesophagus$")))
        column = vol[k][:, int(np.median((on if len(on) else here)[:, 1]))]
        o = np.nonzero(np.isin(column, ids("^Oesophagus$")))[0]
        o_text = f"{o.min() * DXY - r:6.1f} {o.max() * DXY - r:6.1f}" if len(o) else "     -      -"
        print(f"  {(k - sternum_top) * DZ:+5.1f}: {np.nonzero(column)[0].min() * DXY - r:6.1f} {o_text} {spine_front - r:6.1f}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: icrp110_upper_thorax.py PATH/ICRP110_g4dat (the folder with AM/ and P110_data_V1.2/)")
    main(sys.argv[1])
