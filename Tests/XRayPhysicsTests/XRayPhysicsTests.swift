import Testing
@testable import XRayPhysics

@Suite("Materials")
struct MaterialTests {
    @Test("every built-in material's mass fractions sum to 1 within the rounding of its published table")
    func fractionsSumToOne() {
        for m in Material.all {
            let sum = m.massFractions.reduce(0) { $0 + $1.fraction }
            // ICRU 44 lists fractions to 0.001 (Cristy-Eckerman to 0.0001 over 12 elements): ±0.001
            #expect(abs(sum - 1) <= 0.001, "\(m.name): \(sum)")
        }
    }
}
