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

@Suite("Filtration parsing")
struct FiltrationParsingTests {
    @Test("parses layers joined by '+' with thickness in mm and a material symbol")
    func parsesLayers() throws {
        let f = try Filtration(parsing: "3.5mmAl + 0.1mmCu")
        #expect(f.layers.count == 2)
        #expect(f.layers[0].material == .aluminium && f.layers[0].thicknessMillimetres == 3.5)
        #expect(f.layers[1].material == .copper && f.layers[1].thicknessMillimetres == 0.1)
        #expect(f.description == "3.5mmAl+0.1mmCu")
    }

    @Test("an unknown material is named in the error with the accepted symbols")
    func unknownMaterial() {
        do { _ = try Filtration(parsing: "2mmAl+0.1mmFe"); Issue.record("no error") } catch {
            let text = "\(error)"
            #expect(text.contains("'Fe'") && text.contains("Cu") && text.contains("material"), "\(text)")
        }
    }

    @Test("a missing unit or bad thickness is named in the error")
    func badThickness() {
        for bad in ["2Al", "xmmAl", "-1mmCu", "2mmAl+"] {
            do { _ = try Filtration(parsing: bad); Issue.record("no error for \(bad)") } catch {
                #expect("\(error)".contains("e.g."), "\(error)")
            }
        }
    }
}
