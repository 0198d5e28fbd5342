import Foundation
import HarmonicCore

/// What a file in a scanned folder turned out to be.
public enum ScannedKind: String, Sendable {
    case radiationDoseReport = "dose_report", rtPlan = "rt_plan", rtDose = "rt_dose", rtStructureSet = "rt_structure_set"
    case image, otherSR = "other_sr", other, unreadable
}

/// One scanned file: kind, SOP identifiers, event count for dose reports, or the reason it was rejected.
public struct ScannedFile: Sendable {
    public let path: String
    public let kind: ScannedKind
    public let sopClassUID: String?
    public let sopInstanceUID: String?
    public let events: Int
    public let problem: String?
}

/// Walks a folder, parses every file on all cores and classifies it by SOP class.
/// Memory stays bounded: each file is parsed, summarised and released.
public enum DirectoryScan {
    public static func files(in directory: URL) -> [URL] {
        let e = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])
        var out: [URL] = []
        while let u = e?.nextObject() as? URL {
            if (try? u.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true { out.append(u) }
        }
        return out.sorted { $0.path < $1.path }
    }

    public static func classify(_ url: URL) -> ScannedFile {
        do {
            let file = try DICOMFile(contentsOf: url)
            let ds = file.dataSet
            let sop = ds.string(.sopClassUID) ?? file.meta.string(Tag(0x0002_0002))
            let uid = ds.string(.sopInstanceUID)
            switch sop {
            case RadiationDoseReport.sopClassUID?:
                let r = try RadiationDoseReport(file: file)
                if r.events.isEmpty {
                    return ScannedFile(path: url.path, kind: .radiationDoseReport, sopClassUID: sop, sopInstanceUID: uid, events: 0, problem: "no irradiation events")
                }
                if !r.unconvertedUnits.isEmpty {
                    return ScannedFile(path: url.path, kind: .radiationDoseReport, sopClassUID: sop, sopInstanceUID: uid,
                                       events: r.events.count, problem: "units not understood: " + r.unconvertedUnits.joined(separator: ", "))
                }
                return ScannedFile(path: url.path, kind: .radiationDoseReport, sopClassUID: sop, sopInstanceUID: uid, events: r.events.count, problem: nil)
            case "1.2.840.10008.5.1.4.1.1.481.5"?: return .init(path: url.path, kind: .rtPlan, sopClassUID: sop, sopInstanceUID: uid, events: 0, problem: nil)
            case "1.2.840.10008.5.1.4.1.1.481.2"?: return .init(path: url.path, kind: .rtDose, sopClassUID: sop, sopInstanceUID: uid, events: 0, problem: nil)
            case "1.2.840.10008.5.1.4.1.1.481.3"?: return .init(path: url.path, kind: .rtStructureSet, sopClassUID: sop, sopInstanceUID: uid, events: 0, problem: nil)
            case let s? where s.hasPrefix("1.2.840.10008.5.1.4.1.1.88."):
                return .init(path: url.path, kind: .otherSR, sopClassUID: sop, sopInstanceUID: uid, events: 0, problem: nil)
            default:
                let kind: ScannedKind = ds.contains(.pixelData) ? .image : .other
                return .init(path: url.path, kind: kind, sopClassUID: sop, sopInstanceUID: uid, events: 0,
                             problem: sop == nil ? "no SOP Class UID" : nil)
            }
        } catch {
            return ScannedFile(path: url.path, kind: .unreadable, sopClassUID: nil, sopInstanceUID: nil, events: 0, problem: "\(error)")
        }
    }

    /// Classifies every file on all cores; results are in the order of `urls`.
    public static func scan(_ urls: [URL], progress: (@Sendable (Int) -> Void)? = nil) -> [ScannedFile] {
        let results = ResultBox(count: urls.count)
        let counter = Counter()
        DispatchQueue.concurrentPerform(iterations: urls.count) { i in
            results.set(i, classify(urls[i]))
            let n = counter.increment()
            if n % 500 == 0 { progress?(n) }
        }
        return results.values.map { $0! }
    }
}

final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [ScannedFile?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ v: ScannedFile) { lock.lock(); values[i] = v; lock.unlock() }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func increment() -> Int { lock.lock(); defer { lock.unlock() }; n += 1; return n }
}
