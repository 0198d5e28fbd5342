import Foundation
import HarmonicCore

/// Reads the analysis-extract CSV folder (docs/analysis-extract.md): children.csv,
/// exposures.csv (one column of gray per organ) and outcomes.csv. Every bad value is reported
/// with file, line, field and value; nothing is silently dropped.
public enum AnalysisExtract {
    static func rows(_ url: URL) throws -> (header: [String], rows: [(line: Int, fields: [String])]) {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw InputError(.file(url.path), expected: "a readable UTF-8 CSV file")
        }
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated().map { ($0.offset + 1, String($0.element)) }
        lines.removeAll { $0.1.trimmingWhitespace().isEmpty }
        guard let h = lines.first else { throw InputError(.file(url.path), expected: "a header line") }
        return (h.1.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() },
                lines.dropFirst().map { ($0.0, $0.1.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }) })
    }

    static func column(_ name: String, _ header: [String], _ file: String) throws -> Int {
        guard let i = header.firstIndex(of: name) else {
            throw InputError(.row(file: file, line: 1), field: name, expected: "a '\(name)' column (header: \(header.joined(separator: ",")))")
        }
        return i
    }

    /// Loads the members of the extract in `directory`.
    public static func load(directory: URL) throws -> [CohortMember] {
        let cf = directory.appendingPathComponent("children.csv"), ef = directory.appendingPathComponent("exposures.csv")
        let of = directory.appendingPathComponent("outcomes.csv")
        let (ch, cr) = try rows(cf)
        let base = ["id", "sex", "country", "birth", "exit", "exit_reason"]
        let ci = try base.map { try column($0, ch, cf.path) }
        let covariateColumns = ch.indices.filter { !ci.contains($0) }
        func field(_ f: [String], _ i: Int, _ line: Int, _ file: String, _ name: String) throws -> String {
            guard i < f.count else { throw InputError(.row(file: file, line: line), field: name, expected: "a value (row has \(f.count) fields)") }
            return f[i]
        }
        func date(_ f: [String], _ i: Int, _ line: Int, _ file: String, _ name: String) throws -> CalendarDate {
            let v = try field(f, i, line, file, name)
            guard let d = CalendarDate(iso: v) else { throw InputError(.row(file: file, line: line), field: name, value: v, expected: "a date YYYY-MM-DD") }
            return d
        }
        // Exposures.
        let (eh, er) = try rows(ef)
        let eid = try column("id", eh, ef.path), edate = try column("date", eh, ef.path)
        var organColumns: [(Int, Organ)] = []
        for (i, n) in eh.enumerated() where i != eid && i != edate {
            guard let o = Organ(rawValue: n) else { throw InputError(.row(file: ef.path, line: 1), field: n, value: n, expected: "an organ name such as red_marrow, breast, lung, thyroid") }
            organColumns.append((i, o))
        }
        var exposures: [String: [Exposure]] = [:]
        for (line, f) in er {
            let id = try field(f, eid, line, ef.path, "id")
            var doses: [Organ: Gray] = [:]
            for (i, o) in organColumns {
                let v = try field(f, i, line, ef.path, o.rawValue)
                guard let d = Double(v), d.isFinite, d >= 0 else { throw InputError(.row(file: ef.path, line: line), field: o.rawValue, value: v, expected: "a dose in gray ≥ 0") }
                doses[o] = Gray(d)
            }
            exposures[id, default: []].append(Exposure(date: try date(f, edate, line, ef.path, "date"), organDoses: doses))
        }
        // Outcomes.
        var outcomes: [String: [OutcomeEvent]] = [:]
        if FileManager.default.fileExists(atPath: of.path) {
            let (oh, orows) = try rows(of)
            let oid = try column("id", oh, of.path), od = try column("date", oh, of.path), oo = try column("outcome", oh, of.path)
            for (line, f) in orows {
                outcomes[try field(f, oid, line, of.path, "id"), default: []].append(
                    OutcomeEvent(date: try date(f, od, line, of.path, "date"), outcome: try field(f, oo, line, of.path, "outcome")))
            }
        }
        var members: [CohortMember] = []
        for (line, f) in cr {
            let id = try field(f, ci[0], line, cf.path, "id")
            let sv = try field(f, ci[1], line, cf.path, "sex"), cv = try field(f, ci[2], line, cf.path, "country")
            guard let sex = Sex(code: sv) else { throw InputError(.row(file: cf.path, line: line), field: "sex", value: sv, expected: "M or F") }
            guard let country = Country(code: cv) else { throw InputError(.row(file: cf.path, line: line), field: "country", value: cv, expected: "a country code: BE, DE, DK, ES, FR, IT, NO, UK") }
            let rv = try field(f, ci[5], line, cf.path, "exit_reason")
            guard let reason = ExitReason(rawValue: rv) else {
                throw InputError(.row(file: cf.path, line: line), field: "exit_reason", value: rv, expected: ExitReason.allCases.map(\.rawValue).joined(separator: ", "))
            }
            let ex = (exposures[id] ?? []).sorted { $0.date < $1.date }
            guard let first = ex.first else { throw InputError(.row(file: cf.path, line: line), field: "id", value: id, expected: "at least one row in exposures.csv for this child") }
            var cov: [String: String] = [:]
            for i in covariateColumns { cov[ch[i]] = i < f.count ? f[i] : "" }
            let birth = try date(f, ci[3], line, cf.path, "birth"), exit = try date(f, ci[4], line, cf.path, "exit")
            guard exit >= first.date else { throw InputError(.row(file: cf.path, line: line), field: "exit", value: exit.description, expected: "a date on or after the first exposure (\(first.date))") }
            guard birth <= first.date else { throw InputError(.row(file: cf.path, line: line), field: "birth", value: birth.description, expected: "a date on or before the first exposure (\(first.date))") }
            members.append(CohortMember(id: id, sex: sex, country: country, birth: birth, entry: first.date, exit: exit,
                                        exitReason: reason, events: outcomes[id] ?? [], exposures: ex, covariates: cov))
        }
        return members
    }

    /// Writes members as an analysis extract (used by tests and by `harmonic synth`-style tools).
    public static func write(_ members: [CohortMember], organs: [Organ], to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let keys = Array(Set(members.flatMap { $0.covariates.keys })).sorted()
        var c = (["id", "sex", "country", "birth", "exit", "exit_reason"] + keys).joined(separator: ",") + "\n"
        var e = (["id", "date"] + organs.map(\.rawValue)).joined(separator: ",") + "\n"
        var o = "id,date,outcome\n"
        for m in members {
            c += ([m.id, m.sex.rawValue, m.country.rawValue, m.birth.description, m.exit.description, m.exitReason.rawValue] + keys.map { m.covariates[$0] ?? "" }).joined(separator: ",") + "\n"
            for x in m.exposures { e += ([m.id, x.date.description] + organs.map { String(x.organDoses[$0]?.value ?? 0) }).joined(separator: ",") + "\n" }
            for v in m.events { o += "\(m.id),\(v.date),\(v.outcome)\n" }
        }
        try c.write(to: directory.appendingPathComponent("children.csv"), atomically: true, encoding: .utf8)
        try e.write(to: directory.appendingPathComponent("exposures.csv"), atomically: true, encoding: .utf8)
        try o.write(to: directory.appendingPathComponent("outcomes.csv"), atomically: true, encoding: .utf8)
    }
}
