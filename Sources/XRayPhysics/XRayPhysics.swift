// XRayPhysics: see ../shared/DESIGN.md for this layer's job. Sources land here.
