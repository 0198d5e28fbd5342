#!/usr/bin/env python3
"""Generates Sources/Transport/ElectronEscapeTable.swift: for an electron of initial energy T0
started in a two-phase random medium (trabecular bone and marrow, exponential two-point
correlation of correlation length l), the energy-weighted mean of exp(-d/l) over its track,

    g(T0, kappa) = (1/T0) * E[ sum over the track of dT * exp(-d/l) ],   kappa = R0 / l,

where d is the electron's net displacement from its starting point when it loses dT and R0 its
CSDA range. In a medium whose phase at displacement d from a point in phase i is i with
probability p + (1 - p) exp(-d/l) (the two-point correlation of a Debye random medium, Debye and
Bueche, J Appl Phys 28 (1957) 679; along any line the phases alternate with exponential chords,
the chord-based spongiosa model of Spiers and Whitwell), the fraction of the electron's energy
deposited in its own phase is p + (1 - p) g: Sources/Transport/PhotoelectronEnhancement.swift.

The electron is followed in ICRU 44 red marrow (mass thicknesses in g/cm2):
  * continuous slowing down with the Bethe collision stopping power (ICRU Report 37, eq. 2.14,
    with the Bragg-additive mean excitation energies of ICRU 37 for the elements);
  * multiple elastic scattering in steps of 1/100 of R0 whose mean deflection cosine is
    exp(-step / lambda_tr) (Goudsmit-Saunderson / Lewis: exact for the first moment), the
    deflection drawn from a Wentzel (screened Rutherford) distribution with that mean, and
    lambda_tr from the screened Rutherford transport cross section with Moliere's screening
    parameter (2 pi Z(Z+1) (r_e / beta^2 gamma)^2 [ln(1 + 1/eta) - 1/(1 + eta)] per atom).
The straight-ahead CSDA model (no scattering) is printed beside it for comparison.

    python3 scripts/generate_electron_escape_table.py > Sources/Transport/ElectronEscapeTable.swift

Needs numpy. Deterministic (fixed seed).
"""
import sys
import numpy as np

ME = 510.99895            # keV
RE = 2.8179403262e-13     # cm
NA = 6.02214076e23
A0 = 0.529177210903e-8    # cm
HBARC = 1.973269804e-8    # keV cm
ALPHA = 1 / 137.035999

# ICRU 44 red marrow, mass fractions; atomic weights; ICRU 37 elemental I-values (eV)
MARROW = {1: 0.105, 6: 0.414, 7: 0.034, 8: 0.439, 15: 0.001, 16: 0.002, 17: 0.002, 19: 0.002, 26: 0.001}
ATOMIC_WEIGHT = {1: 1.008, 6: 12.011, 7: 14.007, 8: 15.999, 15: 30.974, 16: 32.06, 17: 35.45, 19: 39.098, 26: 55.845}
I_EV = {1: 19.2, 6: 81.0, 7: 82.0, 8: 106.0, 15: 173.0, 16: 180.0, 17: 174.0, 19: 190.0, 26: 286.0}


def stopping_power(t_kev):
    """Bethe collision mass stopping power of red marrow, keV cm2/g (ICRU 37 eq. 2.14, no density effect)."""
    tau = np.asarray(t_kev) / ME
    beta2 = 1 - 1 / (1 + tau) ** 2
    z_over_a = sum(w * z / ATOMIC_WEIGHT[z] for z, w in MARROW.items())
    ln_i = sum(w * z / ATOMIC_WEIGHT[z] * np.log(I_EV[z] * 1e-3) for z, w in MARROW.items()) / z_over_a
    i_over_me = np.exp(ln_i) / ME
    f = 1 - beta2 + (tau * tau / 8 - (2 * tau + 1) * np.log(2)) / (tau + 1) ** 2
    return 0.153537e3 * z_over_a / beta2 * (np.log(tau * tau * (tau + 2) / (2 * i_over_me ** 2)) + f)


def transport_mfp(t_kev):
    """Elastic transport mean free path (g/cm2), screened Rutherford with Moliere screening."""
    tau = np.asarray(t_kev) / ME
    gamma = 1 + tau
    beta2 = 1 - 1 / gamma ** 2
    pc = np.sqrt(t_kev * (t_kev + 2 * ME))
    sigma = 0.0
    for z, w in MARROW.items():
        a = 0.885 * A0 * z ** (-1 / 3)
        chi0_sq = (HBARC / (pc * a)) ** 2
        eta = 0.25 * chi0_sq * (1.13 + 3.76 * (ALPHA * z) ** 2 / beta2)
        per_atom = 2 * np.pi * z * (z + 1) * (RE / (beta2 * gamma)) ** 2 * (np.log(1 + 1 / eta) - 1 / (1 + eta))
        sigma = sigma + w * NA / ATOMIC_WEIGHT[z] * per_atom
    return 1 / sigma


# CSDA range table
T_GRID = np.linspace(0.05, 200, 40000)
S_GRID = stopping_power(np.maximum(T_GRID, 0.5))
R_GRID = np.concatenate([[0], np.cumsum(np.diff(T_GRID) / (0.5 * (S_GRID[1:] + S_GRID[:-1])))])


def csda_range(t):
    return np.interp(t, T_GRID, R_GRID)


def energy_at_range(r):
    return np.interp(r, R_GRID, T_GRID)


def wentzel_parameter(mean_one_minus_mu):
    """A such that the Wentzel distribution p(mu) ~ 1/(1 - mu + 2A)^2 has <1 - mu> = the given mean."""
    lo, hi = np.full_like(mean_one_minus_mu, 1e-12), np.full_like(mean_one_minus_mu, 1e6)
    for _ in range(100):
        mid = np.sqrt(lo * hi)
        m = mid * ((1 + mid) * np.log((1 + mid) / mid) - 1)
        hi = np.where(m > mean_one_minus_mu, mid, hi)
        lo = np.where(m > mean_one_minus_mu, lo, mid)
    return np.sqrt(lo * hi)


def walk(t0, histories, kappas, rng, scatter=True, steps=100):
    """g(t0, kappa) for each kappa (energy-weighted mean of exp(-d/l) with l = R0/kappa)."""
    r0 = csda_range(t0)
    ds = r0 / steps
    pos = np.zeros((histories, 3))
    direction = np.tile([0.0, 0.0, 1.0], (histories, 1))
    acc = np.zeros(len(kappas))
    for k in range(steps):
        r_in, r_out = r0 - k * ds, r0 - (k + 1) * ds
        t_in, t_out = energy_at_range(r_in), energy_at_range(max(r_out, 0))
        mid = pos + 0.5 * ds * direction
        d = np.linalg.norm(mid, axis=1)
        acc += (t_in - t_out) * np.exp(-np.outer(kappas / r0, d)).mean(axis=1)
        pos = pos + ds * direction
        if scatter:
            t_mid = energy_at_range(0.5 * (r_in + r_out))
            mean = np.full(histories, 1 - np.exp(-ds / transport_mfp(t_mid)))
            a = wentzel_parameter(mean[:1])[0]
            xi = rng.random(histories)
            one_minus_mu = 2 * a * xi / (1 + a - xi)
            mu = 1 - one_minus_mu
            phi = 2 * np.pi * rng.random(histories)
            direction = rotate(direction, mu, phi)
    return acc / t0


def rotate(u, mu, phi):
    """Rotates unit vectors u by polar angle acos(mu) and azimuth phi."""
    sin_t = np.sqrt(np.maximum(0, 1 - mu * mu))
    ux, uy, uz = u[:, 0], u[:, 1], u[:, 2]
    perp = np.sqrt(np.maximum(1e-300, 1 - uz * uz))
    small = perp < 1e-8
    nx = np.where(small, sin_t * np.cos(phi), ux * mu + sin_t * (ux * uz * np.cos(phi) - uy * np.sin(phi)) / perp)
    ny = np.where(small, sin_t * np.sin(phi), uy * mu + sin_t * (uy * uz * np.cos(phi) + ux * np.sin(phi)) / perp)
    nz = np.where(small, np.sign(uz) * mu, uz * mu - sin_t * perp * np.cos(phi))
    out = np.stack([nx, ny, nz], axis=1)
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def main():
    rng = np.random.default_rng(20261206)
    energies = [1, 2, 3, 5, 7, 10, 15, 20, 30, 40, 50, 60, 70, 80, 100, 120, 150]
    kappas = np.logspace(-3, 3, 31)
    rows, straight = [], []
    for t0 in energies:
        rows.append(walk(t0, 4000, kappas, rng))
        straight.append(walk(t0, 1, kappas, rng, scatter=False))
        print(f"// T0 {t0:5.0f} keV  R0 {csda_range(t0) * 1e4:7.2f} um (unit density)  "
              f"lambda_tr {transport_mfp(t0) * 1e4:7.2f} um  g(kappa=1) {rows[-1][15]:.3f} "
              f"(straight {straight[-1][15]:.3f})", file=sys.stderr)
    out = sys.stdout
    out.write("// Generated by scripts/generate_electron_escape_table.py; do not edit.\n")
    out.write("// Electron random walk in ICRU 44 red marrow (Bethe CSDA, screened-Rutherford multiple\n")
    out.write("// scattering, 4000 histories per energy, seed 20261206); see the script for the method.\n\n")
    out.write("/// g(T0, kappa): an electron's energy-weighted mean of exp(-d/l) over its track, with d its net\n")
    out.write("/// displacement and kappa = R0 / l its CSDA range over the medium's correlation length.\n")
    out.write("enum ElectronEscapeTable {\n")
    out.write("    /// Initial electron energies (keV).\n")
    out.write("    static let energies: [Double] = [" + ", ".join(f"{e:g}" for e in energies) + "]\n")
    out.write("    /// CSDA ranges in red marrow (g/cm²) at `energies`.\n")
    out.write("    static let csdaRange: [Double] = [" + ", ".join(f"{csda_range(e):.6e}" for e in energies) + "]\n")
    out.write("    /// log10 kappa nodes: -3 to 3 in steps of 0.2.\n")
    out.write("    static let log10KappaStart = -3.0, log10KappaStep = 0.2, kappaCount = 31\n")
    out.write("    /// g per energy (rows) and kappa (columns), scattering electrons.\n")
    out.write("    static let g: [[Double]] = [\n")
    for r in rows:
        out.write("        [" + ", ".join(f"{v:.5f}" for v in r) + "],\n")
    out.write("    ]\n")
    out.write("    /// The same for straight-ahead electrons (no scattering), for comparison.\n")
    out.write("    static let gStraight: [[Double]] = [\n")
    for r in straight:
        out.write("        [" + ", ".join(f"{v:.5f}" for v in r) + "],\n")
    out.write("    ]\n}\n")


if __name__ == "__main__":
    main()
