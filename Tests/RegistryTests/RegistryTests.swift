import Testing
@testable import Registry
