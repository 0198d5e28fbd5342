#!/usr/bin/env python3
"""Cross-section of the ICRP 110 adult phantoms' trunk, and the breast's path in PA, for the stylised template.

Measures, on the ICRP Publication 110 adult male and female reference phantoms, what the stylised
phantoms' elliptic MIRD trunk (the arms inside it) is compared with in
docs/validation-chang2017-notes.md (session 21):

- at several levels (cm above or below the sternum's top), the trunk's half-width without the arms
  and breasts, its antero-posterior depth on the midline and at fractions of the half-width (as a
  fraction of the midline depth, beside an ellipse's), the lung crossed on each of those columns,
  and where the arms hang (centre, width, depth, gap to the trunk);
- for the breast's glandular tissue (the ICRP 116 breast target), the tissue behind it on the
  beam's path in PA (cm, g/cm2, lung cm, bone g/cm2), the tissue in front of it, its distance from
  the midline as a fraction of the trunk's half-width, and the mean primary transmission from the
  back at 30, 50, 70 and 100 keV, with mass attenuation coefficients (cm2/g, NIST XCOM total with
  coherent, rounded) of 0.356, 0.221, 0.190, 0.167 for soft tissues (lung and breast included),
  1.33, 0.424, 0.254, 0.186 for cortical bone and 0.75, 0.30, 0.22, 0.175 for spongiosa; medullary
  cavity as soft tissue; air 0.

The phantoms' data are ICRP's (ICRP Publication 110, 2009; distributed with Geant4's
ICRP110_HumanPhantoms example) and are not in this repository. Point the script at a folder holding
`AM/AM_slice<N>.g4dat`, `AF/AF_slice<N>.g4dat` and `P110_data_V1.2/{AM,AF}/*_organs.dat`, for example
a copy of github.com/DOnghiaGroup/ICRP110_HumanPhantoms_GCR (build/ICRPdata/ICRP110_g4dat):

    python3 scripts/icrp110_trunk_section.py PATH/ICRP110_g4dat

The stylised phantoms' side is measured by a ray walk through their voxels with the same
coefficients (docs/validation-chang2017-notes.md, session 21).
"""
import re
import sys

import numpy as np

from icrp110_data import PHANTOMS, load

ENERGIES = (30, 50, 70, 100)
MU_RHO = {"soft": (0.356, 0.221, 0.190, 0.167), "cortical": (1.33, 0.424, 0.254, 0.186),
          "spongiosa": (0.75, 0.30, 0.22, 0.175), "air": (0.0, 0.0, 0.0, 0.0)}
FRACTIONS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def measure(base, name):
    vol, names, density = load(base, name)
    _, _, nz, dxy, dz = PHANTOMS[name]
    ids = lambda pattern: [i for i, n in names.items() if re.search(pattern, n, re.I)]
    n_ids = max(names) + 1
    rho = np.zeros(n_ids)
    tau = np.zeros((n_ids, len(ENERGIES)))  # attenuation per cm of each organ ID
    for i, n in names.items():
        low = n.lower()
        kind = "cortical" if "cortical" in low or low.startswith("teeth") else "spongiosa" if "spongiosa" in low \
            else "air" if "air" in low else "soft"
        rho[i] = density[i]
        tau[i] = np.array(MU_RHO[kind]) * density[i]
    bone = np.array([1.0 if re.search("cortical|spongiosa", names.get(i, ""), re.I) else 0.0 for i in range(n_ids)])
    arms = ids(r"arms|Humeri|Ulnae|Radii|Hand")
    breasts, glandular, lungs = ids(r"^Breast"), ids(r"^Breast.*glandular"), ids(r"^Lung")
    sternum, spine = np.argwhere(np.isin(vol, ids("^Sternum"))), ids("^Thoracic spine")
    assert sternum[:, 1].mean() < np.argwhere(np.isin(vol, spine))[:, 1].mean(), "expected the anterior surface at low row index"
    top, bottom = sternum[:, 0].max(), sternum[:, 0].min()
    gland = np.argwhere(np.isin(vol, glandular))
    levels = [("mid-sternum", (top + bottom) // 2), ("xiphoid", bottom), ("8 cm below the xiphoid", bottom - int(round(8 / dz)))]
    if len(gland) > 100:
        levels.insert(0, ("breast (glandular tissue's mean level)", int(round(gland[:, 0].mean()))))
    print(f"== ICRP 110 {name}: sternum {(top - bottom + 1) * dz:.1f} cm long")
    for label, k in levels:
        section = vol[k]
        trunk = (section > 0) & ~np.isin(section, arms) & ~np.isin(section, breasts)
        at_spine = np.argwhere(np.isin(section, spine))
        centre = int(round(at_spine[:, 1].mean())) if len(at_spine) else section.shape[1] // 2
        lo = centre
        while lo > 0 and trunk[:, lo - 1].any():
            lo -= 1
        hi = centre
        while hi < section.shape[1] - 1 and trunk[:, hi + 1].any():
            hi += 1
        half = (hi - lo) / 2 * dxy

        def depth(col):
            rows = np.nonzero(trunk[:, col])[0]
            return (rows.max() - rows.min() + 1) * dxy if len(rows) else 0.0

        mid = depth(centre)
        print(f"  {label}, {(k - top) * dz:+.1f} cm from the sternum's top: trunk half-width {half:.1f} cm without the arms, "
              f"midline depth {mid:.1f} cm")
        print("    |x|/half-width:      " + " ".join(f"{f:5.1f}" for f in FRACTIONS))
        cols = [(int(round(centre - f * (centre - lo))), int(round(centre + f * (hi - centre)))) for f in FRACTIONS]
        print("    depth / midline:     " + " ".join(f"{(depth(a) + depth(b)) / 2 / mid:5.2f}" for a, b in cols))
        print("    ellipse:             " + " ".join(f"{np.sqrt(1 - f * f):5.2f}" for f in FRACTIONS))
        print("    lung crossed (cm):   " + " ".join(
            f"{(np.isin(section[:, a], lungs).sum() + np.isin(section[:, b], lungs).sum()) / 2 * dxy:5.1f}" for a, b in cols))
        arm = np.argwhere(np.isin(section, arms))
        for side, sel in (("right", arm[:, 1] < centre), ("left", arm[:, 1] > centre)):
            if sel.sum() == 0:
                continue
            a = arm[sel]
            gap = (a[:, 1].min() - hi if side == "left" else lo - a[:, 1].max()) * dxy
            print(f"    {side} arm: centre {abs(a[:, 1].mean() - centre) * dxy:.1f} cm from the midline, "
                  f"{(a[:, 1].max() - a[:, 1].min() + 1) * dxy:.1f} cm wide, {(a[:, 0].max() - a[:, 0].min() + 1) * dxy:.1f} cm deep, "
                  f"gap to the trunk {gap:.1f} cm")
    if len(gland) == 0:
        return
    # The glandular breast's path from the back (PA: the beam travels towards low row index).
    behind, front, grams, lung_cm, bone_gcm2, x_rel, trans = [], [], [], [], [], [], []
    section_half = {}
    for k, j, i in gland:
        column = vol[k, :, i]
        back = column[j + 1:]
        back = back[back > 0]
        behind.append(len(back) * dxy)
        grams.append(rho[back].sum() * dxy)
        lung_cm.append(np.isin(back, lungs).sum() * dxy)
        bone_gcm2.append((rho[back] * bone[back]).sum() * dxy)
        ahead = column[:j]
        front.append((ahead > 0).sum() * dxy)
        trans.append(np.exp(-tau[back].sum(axis=0) * dxy))
        if k not in section_half:
            s = vol[k]
            t = (s > 0) & ~np.isin(s, arms) & ~np.isin(s, breasts)
            at = np.argwhere(np.isin(s, spine))
            c = at[:, 1].mean() if len(at) else s.shape[1] / 2
            cols = np.nonzero(t.any(axis=0))[0]
            section_half[k] = (c, (cols.max() - cols.min()) / 2)
        c, h = section_half[k]
        x_rel.append(abs(i - c) / h)
    t = np.mean(trans, axis=0)
    print(f"  breast, glandular tissue ({len(gland)} voxels): |x| {np.mean(x_rel):.2f} of the trunk's half-width; "
          f"tissue in front {np.mean(front):.1f} cm; behind (PA) {np.mean(behind):.1f} cm, {np.mean(grams):.2f} g/cm2, "
          f"lung {np.mean(lung_cm):.1f} cm, bone {np.mean(bone_gcm2):.2f} g/cm2; primary transmission from the back "
          + ", ".join(f"{e} keV {v:.4f}" for e, v in zip(ENERGIES, t)))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: icrp110_trunk_section.py PATH/ICRP110_g4dat (the folder with AM/, AF/ and P110_data_V1.2/)")
    for phantom in ("AF", "AM"):
        measure(sys.argv[1], phantom)
