import Testing
@testable import Phantoms
