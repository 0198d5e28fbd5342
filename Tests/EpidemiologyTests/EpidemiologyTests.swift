import Testing
@testable import Epidemiology
