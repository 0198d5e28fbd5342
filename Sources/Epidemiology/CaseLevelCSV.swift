import Foundation
import HarmonicCore

extension CaseLevelIntervals {
    /// The fixed leading columns of `csv(members:)`.
    public static let csvColumns = ["id", "start", "stop", "event", "dose", "sex", "country", "age_at_exposure"]

    /// The case-level (start, stop, event, dose) intervals as CSV, for counting-process Cox models
    /// in other software, e.g. R `coxph(Surv(start, stop, event) ~ dose, data = read.csv(FILE))`.
    /// One row per at-risk interval (start, stop] of one child: `id`; `start`, `stop` attained age
    /// in years (365.25-day years, the time scale of the risk sets); `event` 1 when the outcome
    /// occurs at `stop`, else 0; `dose` the lagged cumulative organ dose over the interval (Gy);
    /// `sex` (M/F), `country`, `age_at_exposure` (years at first exposure), then one column per
    /// categorical covariate of the members (e.g. predisposing_condition), sorted by name.
    /// Numbers are written with full Double precision (shortest round-trip form), so tied times
    /// stay tied in the reading software.
    public func csv(members: [CohortMember]) -> String {
        let covariateKeys = Array(Set(members.flatMap { $0.covariates.keys })).sorted()
        var s = (Self.csvColumns + covariateKeys.map(Self.field)).joined(separator: ",") + "\n"
        s.reserveCapacity(count * 96)
        for i in 0..<count {
            let m = members[Int(member[i])]
            let ageAtExposure = Double(m.birth.days(to: m.entry)) / 365.25
            var row = [Self.field(m.id), "\(start[i])", "\(stop[i])", event[i] ? "1" : "0", "\(dose[i])",
                       m.sex.rawValue, m.country.rawValue, "\(ageAtExposure)"]
            for k in covariateKeys { row.append(Self.field(m.covariates[k] ?? "")) }
            s += row.joined(separator: ",") + "\n"
        }
        return s
    }

    /// A text field quoted for CSV (RFC 4180) when it holds a comma, a quote or a line break.
    static func field(_ t: String) -> String {
        guard t.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return t }
        return "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
