/// The coefficient source that the CLI, the benchmarks and the demo use: the committed
/// coefficient library of this module, with a name for it recorded with every dose.
public enum DefaultCoefficientSource {
    public static func load() throws -> (source: any OrganDoseCoefficientSource, identity: String) {
        throw DoseModelError("the coefficient library (branch library) is not merged into this build yet")
    }
}
