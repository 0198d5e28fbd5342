/// The coefficient source that the CLI, the benchmarks and the demo use: the committed
/// coefficient library of this module (`CoefficientLibrary.loadDefault()`), with a name for it
/// (file, engine, histories per point, build date) recorded with every dose and in every input hash.
public enum DefaultCoefficientSource {
    public static func load() throws -> (source: any OrganDoseCoefficientSource, identity: String) {
        let library = try CoefficientLibrary.loadDefault()
        let h = library.header
        return (library, "\(library.url.lastPathComponent) (\(h.format) v\(h.formatVersion), \(h.engine), \(h.historiesPerPoint) histories/point, built \(h.built))")
    }
}
