import Testing
@testable import XRayPhysics
