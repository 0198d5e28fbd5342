import Foundation

/// The coefficient source that the CLI, the benchmarks and the demo use: the committed
/// coefficient library of this module (`CoefficientLibrary.loadDefault()`), with a name for it
/// (file, engine, histories per point, build date) recorded with every dose and in every input hash.
public enum DefaultCoefficientSource {
    public static func load() throws -> (source: any OrganDoseCoefficientSource, identity: String) {
        try identify(CoefficientLibrary.loadDefault())
    }

    /// The library at `libraryPath` (one built with `harmonic library build`, e.g. with
    /// `--marrow-response enhanced` for a sensitivity analysis), or the committed one when nil.
    /// Its identity names the file and its engine, so doses from it never pass for the default's.
    public static func load(libraryPath: String?) throws -> (source: any OrganDoseCoefficientSource, identity: String) {
        guard let libraryPath else { return try load() }
        return try identify(CoefficientLibrary(contentsOf: URL(fileURLWithPath: libraryPath)))
    }

    static func identify(_ library: CoefficientLibrary) -> (source: any OrganDoseCoefficientSource, identity: String) {
        let h = library.header
        return (library, "\(library.url.lastPathComponent) (\(h.format) v\(h.formatVersion), \(h.engine), \(h.historiesPerPoint) histories/point, built \(h.built))")
    }
}
