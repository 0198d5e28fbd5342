"""Reads the ICRP Publication 110 adult reference voxel phantoms (the format Geant4's
ICRP110_HumanPhantoms example distributes): `AM/AM_slice<N>.g4dat` and `AF/AF_slice<N>.g4dat`
(a header "nx ny nz", then one slice of organ IDs, slice 1 at the feet, the anterior surface at
low row index) and `P110_data_V1.2/{AM,AF}/*_organs.dat` (organ ID, name, medium, density).
Shared by the icrp110_*.py diagnostics; the data are ICRP's and are not in this repository."""
import re

import numpy as np

# Columns, rows, slices, in-plane and slice voxel size (cm): ICRP Publication 110, Table 4.1.
PHANTOMS = {
    "AM": (254, 127, 222, 0.2137, 0.8),
    "AF": (299, 137, 348, 0.1775, 0.484),
}


def load(base, name):
    """The phantom's organ-ID volume [slice, row, column] and its organ names and densities by ID."""
    nx, ny, nz, _, _ = PHANTOMS[name]
    vol = np.zeros((nz, ny, nx), dtype=np.int16)
    for k in range(nz):
        with open(f"{base}/{name}/{name}_slice{k + 1}.g4dat") as f:
            vol[k] = np.array(f.read().split()[3:], dtype=np.int16).reshape(ny, nx)  # header: nx ny nz
    names, density = {}, {}
    with open(f"{base}/P110_data_V1.2/{name}/{name}_organs.dat") as f:
        for line in f:
            m = re.match(r"^(\d+)\s+(.+?)\s+(\d+)\s+([\d.]+)\s*$", line)
            if m:
                names[int(m.group(1))] = m.group(2)
                density[int(m.group(1))] = float(m.group(4))
    return vol, names, density
