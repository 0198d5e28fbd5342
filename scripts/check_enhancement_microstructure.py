#!/usr/bin/env python3
"""Checks the correlation (Debye-medium) approximation behind PhotoelectronEnhancement against
explicit electron transport through a synthetic spongiosa with the same bone fraction and
trabecular surface.

The spongiosa: a level cut of a Gaussian random field on a periodic 3-D grid (a model of
trabecular bone used for cancellous structure, e.g. Roberts and Garboczi's level-cut fields),
its bone volume fraction and surface per volume set to a site's ICRP 143 values (mean chords by
Cauchy's 4V/S, as `SpongiosaMicrostructure` does). Its chords are not exponential, unlike the
model's.

The electrons: the random walk of scripts/generate_electron_escape_table.py (Bethe slowing down,
screened-Rutherford multiple scattering in red marrow), taken through the voxels, the path
counted in marrow-equivalent mass thickness (bone: 1.92 g/cm3 times the stopping-power ratio).
For electrons of energy T started uniformly in bone or in marrow, it prints the fraction of their
energy deposited in marrow, explicitly and by the model's formula p(1 - g) / p + (1 - p)g.

    python3 scripts/check_enhancement_microstructure.py

Needs numpy; about a minute.
"""
import importlib.util
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("escape", os.path.join(HERE, "generate_electron_escape_table.py"))
escape = importlib.util.module_from_spec(spec)
spec.loader.exec_module(escape)

BONE_DENSITY, MARROW_DENSITY = 1.92, 1.03
STOPPING_RATIO = 0.90   # Bethe, ICRU 44 cortical bone over red marrow at 30 keV (PhotoelectronEnhancement)


def level_cut_field(n, correlation_voxels, bone_fraction, rng):
    """Periodic Gaussian random field (Gaussian covariance), shifted so that its zero level cuts the
    given bone fraction (bone where the field is positive)."""
    k = np.fft.fftfreq(n)
    kx, ky, kz = np.meshgrid(k, k, k, indexing="ij")
    spectrum = np.exp(-0.5 * (2 * np.pi * correlation_voxels) ** 2 * (kx ** 2 + ky ** 2 + kz ** 2))
    noise = np.fft.fftn(rng.standard_normal((n, n, n)))
    field = np.real(np.fft.ifftn(noise * np.sqrt(spectrum)))
    return field - np.quantile(field, 1 - bone_fraction)


def is_bone(field, pos, voxel):
    """Bone where the trilinearly interpolated field is positive: a smooth interface, not the
    voxels' staircase (whose face area is 3/2 of the smooth surface's, which short-range
    electrons would see)."""
    n = field.shape[0]
    x = pos / voxel - 0.5
    i0 = np.floor(x).astype(int)
    f = x - i0
    value = np.zeros(len(pos))
    for dx in (0, 1):
        for dy in (0, 1):
            for dz in (0, 1):
                w = (f[:, 0] if dx else 1 - f[:, 0]) * (f[:, 1] if dy else 1 - f[:, 1]) * (f[:, 2] if dz else 1 - f[:, 2])
                value += w * field[(i0[:, 0] + dx) % n, (i0[:, 1] + dy) % n, (i0[:, 2] + dz) % n]
    return value > 0


def surface_per_volume(bone, voxel):
    """Interface area per volume from face counts, times 2/3 (the mean projection of an isotropic surface)."""
    faces = sum(np.count_nonzero(bone != np.roll(bone, 1, axis=a)) for a in range(3))
    return faces * voxel * voxel * (2.0 / 3.0) / (bone.size * voxel ** 3)


def explicit_fractions(field, voxel, t0, histories, rng, steps=100):
    """Energy fractions deposited in marrow by electrons started uniformly in bone and in marrow."""
    n = field.shape[0]
    out = {}
    for start_in_bone in (True, False):
        pos = np.empty((0, 3))
        while len(pos) < histories:   # uniform points, kept where the phase is the wanted one
            trial = rng.random((4 * histories, 3)) * n * voxel
            pos = np.concatenate([pos, trial[is_bone(field, trial, voxel) == start_in_bone]])
        pos = pos[:histories]
        u = rng.standard_normal((histories, 3))
        direction = u / np.linalg.norm(u, axis=1, keepdims=True)
        r0 = escape.csda_range(t0)
        residual = np.full(histories, r0)
        in_marrow_energy = np.zeros(histories)
        du = r0 / steps
        for _ in range(steps):
            alive = residual > 1e-12
            if not alive.any():
                break
            here_bone = is_bone(field, pos, voxel)
            scale = np.where(here_bone, BONE_DENSITY * STOPPING_RATIO, MARROW_DENSITY)   # g/cm2 per cm
            step_u = np.minimum(du, residual)
            t_in = escape.energy_at_range(residual)
            t_out = escape.energy_at_range(residual - step_u)
            in_marrow_energy += np.where(~here_bone & alive, t_in - t_out, 0.0)
            pos = pos + (step_u / scale)[:, None] * direction
            t_mid = escape.energy_at_range(residual - 0.5 * step_u)
            mean = 1 - np.exp(-step_u / escape.transport_mfp(np.maximum(t_mid, 0.5)))
            a = np.array([escape.wentzel_parameter(np.array([m]))[0] for m in np.quantile(mean, [0.5])])[0]
            xi = rng.random(histories)
            mu = 1 - 2 * a * xi / (1 + a - xi)
            phi = 2 * np.pi * rng.random(histories)
            direction = escape.rotate(direction, mu, phi)
            residual = residual - step_u
        out["bone" if start_in_bone else "marrow"] = in_marrow_energy.mean() / t0
    return out


def model_fractions(bone_chord, marrow_chord, t0):
    a_b = BONE_DENSITY * STOPPING_RATIO * bone_chord
    a_m = MARROW_DENSITY * marrow_chord
    ell = a_b * a_m / (a_b + a_m)
    p = a_m / (a_b + a_m)
    kappas = np.array([escape.csda_range(t0) / ell])
    g = escape.walk(t0, 3000, kappas, np.random.default_rng(1))[0]
    return {"bone": p * (1 - g), "marrow": p + (1 - p) * g}


def main():
    rng = np.random.default_rng(143)
    # (site, bone volume fraction, trabecular chord cm, marrow chord cm) from the ICRP 143 male tables.
    cases = [("newborn craniofacial", 0.70, 0.0191, 0.0082), ("newborn ribs", 0.35, 0.0190, 0.0351),
             ("5-y ribs", 0.30, 0.0197, 0.0452), ("15-y lumbar vertebrae", 0.10, 0.0208, 0.1872)]
    print("| site | T0 keV | from bone: explicit / model | from marrow: explicit / model | grid S/V vs target |")
    print("|---|---:|---:|---:|---:|")
    for name, phi, lb, lm in cases:
        target_sv = 4 * phi / lb
        n = 96
        voxel = min(lb, lm) / 6
        best = None
        for corr in (1.5, 2, 2.5, 3, 4, 5, 6, 8):
            field = level_cut_field(n, corr, phi, rng)
            sv = surface_per_volume(field > 0, voxel)
            if best is None or abs(np.log(sv / target_sv)) < abs(np.log(best[1] / target_sv)):
                best = (field, sv)
        field, sv = best
        for t0 in (20.0, 46.0, 96.0):
            e = explicit_fractions(field, voxel, t0, 4000, rng)
            m = model_fractions(lb, lm, t0)
            print(f"| {name} | {t0:.0f} | {e['bone']:.3f} / {m['bone']:.3f} | {e['marrow']:.3f} / {m['marrow']:.3f} | {sv / target_sv:.2f} |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
