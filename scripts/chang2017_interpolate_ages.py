#!/usr/bin/env python3
"""Interpolated Chang et al. (2017) dose coefficients for the 1- and 10-year-old phantoms.

The repository holds Chang 2017's coefficients for the ICRP 143 newborn, 5- and 15-year-old
phantoms only (../shared/data/reference/chang2017_icrp_paediatric_photon_dcc.csv). The issue's
own check runs the same comparison on the 1- and 10-year-old tables, which are not here. This
script writes a stand-in: each coefficient of age 1 (or 10) interpolated between the ages around
it, linear in log(dose per air kerma) against log(body mass) (ICRP 89 reference masses: 3.5, 10,
19, 32 kg; 56 kg boys, 53 kg girls at 15 y), because organ depth, and so the dose at a given
energy, follows body size rather than age. It is a diagnostic, not a reference: where the dose
changes steeply with size (30 keV, deep organs) the interpolation itself can be off by 10-30%
(interpolating linearly in age instead moves the 1-y red marrow cells by up to 10%), so a cell
near a bound says little. Use:

    python3 scripts/chang2017_interpolate_ages.py > /tmp/interpolated.csv
    swift run -c release harmonic-bench chang2017 --reference /tmp/interpolated.csv --ages 1,10
"""
import csv
import math
import sys

SOURCE = "../shared/data/reference/chang2017_icrp_paediatric_photon_dcc.csv"
MASS_KG = {("0", "M"): 3.5, ("0", "F"): 3.5, ("1", "M"): 10.0, ("1", "F"): 10.0,
           ("5", "M"): 19.0, ("5", "F"): 19.0, ("10", "M"): 32.0, ("10", "F"): 32.0,
           ("15", "M"): 56.0, ("15", "F"): 53.0}
BRACKETS = {"1": ("0", "5"), "10": ("5", "15")}


def main(path: str = SOURCE) -> None:
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    key = lambda r: (r["age_years"], r["sex"], r["organ"], r["energy_MeV"], r["geometry"])
    dose = {key(r): float(r["dose_per_air_kerma_Gy_per_Gy"]) for r in rows}
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["age_years", "sex", "organ", "energy_MeV", "geometry", "dose_per_air_kerma_Gy_per_Gy"])
    for (age, sex, organ, energy, geometry) in sorted(k for k in dose if k[0] == "0"):
        for target, (lo, hi) in BRACKETS.items():
            a, b = dose.get((lo, sex, organ, energy, geometry)), dose.get((hi, sex, organ, energy, geometry))
            if not a or not b or a <= 0 or b <= 0:
                continue  # no deposit at one end (low energies, shielded organs): nothing to interpolate
            m0, m1, m = MASS_KG[(lo, sex)], MASS_KG[(hi, sex)], MASS_KG[(target, sex)]
            w = math.log(m / m0) / math.log(m1 / m0)
            out.writerow([target, sex, organ, energy, geometry, repr(math.exp((1 - w) * math.log(a) + w * math.log(b)))])


if __name__ == "__main__":
    main(*sys.argv[1:])
