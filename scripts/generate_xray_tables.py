#!/usr/bin/env python3
"""Generates the photon interaction tables of Sources/XRayPhysics/Resources from xraylib.

Run once (python3 scripts/generate_xray_tables.py); the outputs are committed.
Source: xraylib (Schoonjans et al., Spectrochim. Acta B 66 (2011) 776; PyPI `xraylib`),
whose photoelectric data are Scofield's, incoherent/coherent from EPDL97 via
Hubbell's S(x,Z) and F(x,Z) tables.

Outputs
- elements.csv        Z, symbol, atomic weight (g/mol)
- element_mu.csv      per element on a log energy grid 1-200 keV plus every absorption edge of the
                      element inside that range (K, L1-L3, M1-M5; xraylib EdgeEnergy), each edge as
                      two rows at the same energy: first the value just below the edge, then the
                      value just above it (see `edge_rows`). Rows are sorted by energy; readers
                      interpolate within a segment only, never across an edge. Columns: photoelectric,
                      incoherent,
                      coherent mass attenuation (cm2/g) and mass energy-absorption coefficient
                      (cm2/g) computed here from the partial cross sections (xraylib's
                      CS_Energy is unreliable below ~60 keV):
                        mu_en = tau * (1 - X/E) + sigma_incoh * <E_T>/E
                      with X = sum over shells (K, L1-L3) of P_shell(E) * omega_shell * mean
                      fluorescence energy of that shell (radiative rates x line energies), and
                      <E_T>/E the mean fraction of energy given to the electron in a
                      Klein-Nishina x S(x,Z) scatter (numerical angular integral).
                      Bremsstrahlung losses of secondary electrons (g < 0.1% below 150 keV in
                      low-Z media) and fluorescence from cascades after L-shell vacancies are
                      neglected.
- element_ffsf.csv    per element on a uniform momentum-transfer grid x = sin(theta/2)/lambda
                      (1/Angstrom), 0-16 step 0.01: atomic form factor F(x,Z) and incoherent
                      scattering function S(x,Z). Beyond xraylib's spline range S = Z, F = last value.
"""
import math, os
import numpy as np
import xraylib as xl

ELEMENTS = [1, 6, 7, 8, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 26, 29, 30, 53, 74, 82]
E_MIN, E_MAX, N_E = 1.0, 200.0, 1000
EDGE_SHELLS = [("K", xl.K_SHELL), ("L1", xl.L1_SHELL), ("L2", xl.L2_SHELL), ("L3", xl.L3_SHELL),
               ("M1", xl.M1_SHELL), ("M2", xl.M2_SHELL), ("M3", xl.M3_SHELL), ("M4", xl.M4_SHELL),
               ("M5", xl.M5_SHELL)]
X_STEP, N_X = 0.01, 1601
HC = 12.398419843320026  # keV*Angstrom (CODATA 2018)
ME = 510.99895           # electron rest energy keV (CODATA 2018)
OUT = os.path.join(os.path.dirname(__file__), "..", "Sources", "XRayPhysics", "Resources")

def energies():
    return [E_MIN * (E_MAX / E_MIN) ** (i / (N_E - 1)) for i in range(N_E)]

def safe(f, *a, default=0.0):
    try:
        return f(*a)
    except ValueError:
        return default

def s_table(z):
    xs = np.arange(N_X) * X_STEP
    s = np.array([safe(xl.SF_Compt, z, max(x, 1e-4), default=float(z)) for x in xs])
    s[0] = 0.0
    # past the spline range xraylib refuses; S saturates at Z there
    return xs, np.minimum(s, z)

def f_table(z):
    xs = np.arange(N_X) * X_STEP
    last = float(z)
    out = []
    for x in xs:
        v = safe(xl.FF_Rayl, z, x, default=None)
        if v is None:
            v = last
        last = v
        out.append(v)
    return np.array(out)

LINE_NAMES = [n for n in dir(xl) if n.endswith("_LINE") and n[:2] in ("KL", "KM", "KN", "KO", "KP")
              or n.endswith("_LINE") and n[:2] in ("L1", "L2", "L3") and n[2] in "MNOPQ"]

def mean_fluorescence_energy(z, shell_prefix):
    num = den = 0.0
    for n in LINE_NAMES:
        if not n.startswith(shell_prefix):
            continue
        r = safe(xl.RadRate, z, getattr(xl, n))
        if r <= 0:
            continue
        e = safe(xl.LineEnergy, z, getattr(xl, n))
        num += r * e; den += r
    return num / den if den > 0 else 0.0

SHELLS = [("K", xl.K_SHELL), ("L1", xl.L1_SHELL), ("L2", xl.L2_SHELL), ("L3", xl.L3_SHELL)]

def fluorescence_escape(z, e, tau, nominal=None, above=True):
    """X(E): mean fluorescence energy emitted per photoabsorption (keV).

    At an edge row, `nominal` is the tabulated edge energy and `above` the side: a shell is open
    when its edge lies below `nominal` (or at it, on the upper side). Its partial cross section
    is evaluated just above its own edge when `e` falls a hair below it (xraylib's photoelectric
    jump sits within a few eV of EdgeEnergy)."""
    if tau <= 0:
        return 0.0
    nominal = e if nominal is None else nominal
    x = 0.0
    for prefix, shell in SHELLS:
        edge = safe(xl.EdgeEnergy, z, shell)
        if edge > nominal or (edge == nominal and not above):
            continue
        p = safe(xl.CS_Photo_Partial, z, shell, max(e, edge * (1 + 1e-9))) / tau
        w = safe(xl.FluorYield, z, shell)
        x += p * w * mean_fluorescence_energy(z, prefix)
    return x

GL_C, GL_W = np.polynomial.legendre.leggauss(256)

def incoherent_energy_fraction(z, e, xs, s):
    """Mean fraction of the photon energy transferred to the electron in a KN x S scatter."""
    k = e / ME
    c = GL_C
    ratio = 1.0 / (1.0 + k * (1.0 - c))          # E'/E
    kn = ratio ** 2 * (ratio + 1.0 / ratio - (1.0 - c ** 2))
    xq = (e / HC) * np.sqrt((1.0 - c) / 2.0)
    sv = np.interp(xq, xs, s, right=z)
    w = GL_W * kn * sv
    return float(np.sum(w * (1.0 - ratio)) / np.sum(w))

def edge_energies(z):
    """Absorption edges of element z strictly inside (E_MIN, E_MAX), keV, ascending."""
    out = []
    for _, shell in EDGE_SHELLS:
        e = safe(xl.EdgeEnergy, z, shell)
        if E_MIN < e < E_MAX:
            out.append(e)
    return sorted(set(out))

def jump_location(z, edge):
    """Energies just below and just above xraylib's photoelectric discontinuity near `edge`.

    xraylib's CS_Photo (Elam, Ravel & Sieber 2002 data) jumps close to EdgeEnergy but not exactly
    at it (W K: 2 eV below; Al K: 1 eV below; Zn L3: 2 eV above; up to 0.2% relative), so the jump
    is found as the largest step ratio on a 2001-point scan of edge*(1 -/+ 5e-3), then bisected
    on log CS_Photo to 1e-10 relative; returns (below, above)."""
    xs = np.linspace(edge * (1 - 5e-3), edge * (1 + 5e-3), 2001)
    vs = np.array([xl.CS_Photo(z, x) for x in xs])
    i = int(np.argmax(vs[1:] / vs[:-1]))
    a, b = float(xs[i]), float(xs[i + 1])
    fa, fb = math.log(vs[i]), math.log(vs[i + 1])
    if fb - fa < 0.01:     # no resolvable jump: evaluate at the edge itself
        return edge * (1 - 1e-9), edge * (1 + 1e-9)
    while b / a - 1 > 1e-10:
        m = 0.5 * (a + b)
        if math.log(xl.CS_Photo(z, m)) - fa < 0.5 * (fb - fa):
            a = m
        else:
            b = m
    return a, b

def edge_rows(z, grid):
    """(nominal energy, evaluation energy, above?) rows for element z: the log grid (points within
    1e-6 relative of an edge dropped) plus two rows per edge, below then above, both at the edge
    energy EdgeEnergy. A grid point lying between EdgeEnergy and xraylib's own jump is evaluated
    on its side of EdgeEnergy (at the jump's near side), so values never step between grid rows.
    A reader looking up E picks the segment [E_i, E_i+1) containing E, so exactly at an edge it
    gets the upper-side value."""
    jumps = [(d, *jump_location(z, d)) for d in edge_energies(z)]
    rows = []
    for e in grid:
        if any(abs(e / d - 1) <= 1e-6 for d, _, _ in jumps):
            continue
        x = e
        for d, lo, hi in jumps:
            if lo < x < d:
                x = lo
            elif d < x < hi:
                x = hi
        rows.append((e, x, True))
    for d, lo, hi in jumps:
        rows += [(d, lo, False), (d, hi, True)]
    rows.sort(key=lambda r: (r[0], r[2]))
    return rows

def main():
    es = energies()
    with open(os.path.join(OUT, "elements.csv"), "w") as f:
        f.write(f"# source: xraylib {xl.__version__} AtomicWeight, AtomicNumberToSymbol; generated by scripts/generate_xray_tables.py\n")
        f.write("z,symbol,atomic_weight\n")
        for z in ELEMENTS:
            f.write(f"{z},{xl.AtomicNumberToSymbol(z)},{xl.AtomicWeight(z):.6f}\n")
    with open(os.path.join(OUT, "element_mu.csv"), "w") as fm, open(os.path.join(OUT, "element_ffsf.csv"), "w") as ff:
        fm.write(f"# source: xraylib {xl.__version__} CS_Photo, CS_Compt, CS_Rayl (cm2/g); mu_en/rho computed from partial cross sections (see scripts/generate_xray_tables.py)\n")
        fm.write(f"# energy grid: {N_E} points log-uniform from {E_MIN} to {E_MAX} keV, plus each absorption edge of the element in that range (xraylib EdgeEnergy: K, L1-L3, M1-M5)\n")
        fm.write("# an edge appears as two rows with the same energy: first the value just below the edge, then just above; interpolate within a segment only, never across an edge\n")
        fm.write("z,energy_kev,photoelectric,incoherent,coherent,mu_en_over_rho\n")
        ff.write(f"# source: xraylib {xl.__version__} FF_Rayl (F), SF_Compt (S); x = sin(theta/2)/lambda in 1/Angstrom\n")
        ff.write(f"# x grid: {N_X} points, step {X_STEP}\n")
        ff.write("z,x,form_factor,incoherent_scattering_function\n")
        for z in ELEMENTS:
            xs, s = s_table(z)
            fq = f_table(z)
            for x, fv, sv in zip(xs, fq, s):
                ff.write(f"{z},{x:.2f},{fv:.6g},{sv:.6g}\n")
            for nominal, e, above in edge_rows(z, es):
                tau = xl.CS_Photo(z, e)
                inc = xl.CS_Compt(z, e)
                coh = xl.CS_Rayl(z, e)
                xesc = fluorescence_escape(z, e, tau, nominal, above)
                muen = tau * (1.0 - xesc / e) + inc * incoherent_energy_fraction(z, e, xs, s)
                fm.write(f"{z},{nominal:.6f},{tau:.7g},{inc:.7g},{coh:.7g},{muen:.7g}\n")
            print("element", z, "done", flush=True)

if __name__ == "__main__":
    main()
