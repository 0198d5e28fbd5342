import Foundation
import HarmonicTestSupport
import Registry
@testable import Synthesis

/// Small cohorts synthesised once per configuration for the tests.
enum SynthFixture {
    static func make(_ config: SynthesisConfiguration, name: String) throws -> (URL, SynthesisSummary) {
        let dir = try SharedData.temporaryDirectory("synth-\(name)")
        let summary = try CohortSynthesizer.run(config, to: dir)
        return (dir, summary)
    }

    /// Loads every site folder of a synthesised extract into a fresh SQLite store (each site with
    /// the key `key(country)`); returns the store's path and each site's pseudonymiser.
    static func ingestAll(_ dir: URL, _ summary: SynthesisSummary, name: String,
                          key: (String) throws -> Pseudonymiser) throws -> (path: String, pseudonymisers: [String: Pseudonymiser]) {
        let path = try SharedData.temporaryDirectory(name).appendingPathComponent("store.sqlite").path
        var pseudonymisers: [String: Pseudonymiser] = [:]
        for folder in summary.siteFolders {
            let country = String(folder.prefix(2))
            let p = try key(country)
            pseudonymisers[country] = p
            let site = try RegistryStore(path: path, role: .dataManager(site: country))
            let d = dir.appendingPathComponent(folder)
            let files = try FileManager.default.contentsOfDirectory(atPath: d.path).filter { $0.hasSuffix(".csv") }.map { d.appendingPathComponent($0).path }
            _ = try site.ingest(files: files, site: country, pseudonymiser: p, user: "test")
        }
        return (path, pseudonymisers)
    }

    /// All files under `dir` (relative path → bytes).
    static func files(in dir: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)!
        for case let url as URL in e where url.pathExtension == "csv" || url.pathExtension == "json" {
            out[String(url.path.dropFirst(dir.path.count))] = try Data(contentsOf: url)
        }
        return out
    }

    /// Data rows of a CSV file as dictionaries keyed by header (simple comma split: synth never quotes).
    static func rows(_ url: URL) throws -> [[String: String]] {
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: true)
        guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init) else { return [] }
        return lines.dropFirst().map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            var d: [String: String] = [:]
            for (i, h) in header.enumerated() where i < f.count { d[h] = f[i] }
            return d
        }
    }

    static func median(_ v: [Double]) -> Double {
        let s = v.sorted()
        return s.isEmpty ? .nan : (s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2)
    }
}
