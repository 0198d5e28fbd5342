import HarmonicCore

/// The cancer outcomes synth draws, each driven by the lagged dose to one organ.
public enum SynthOutcome: String, CaseIterable, Sendable, Codable {
    case leukaemia, lymphoma, brain, thyroid, breast, lung

    /// The organ whose lagged cumulative dose multiplies the baseline rate.
    public var organ: Organ {
        switch self {
        case .leukaemia, .lymphoma: .redMarrow
        case .brain: .brain
        case .thyroid: .thyroid
        case .breast: .breast
        case .lung: .lungs
        }
    }
    /// Minimum latency in years (UNSCEAR 2006 / BEIR VII conventions: 2 years for
    /// leukaemia and lymphoma, 5 years for solid cancers).
    public var lagYears: Double {
        switch self {
        case .leukaemia, .lymphoma: 2
        default: 5
        }
    }
    /// Default true excess relative risk per Gy used to draw cancers. Of the order of
    /// childhood-exposure estimates (leukaemia ~3/Gy: Little et al., Radiat Res 2018 pooled
    /// childhood studies; thyroid ~5-8/Gy: Lubin et al., JCEM 2017; breast, brain, lung,
    /// lymphoma ~0.5-1/Gy: Preston et al. 2007 LSS solid cancers; Pearce et al., Lancet 2012).
    public var defaultTrueERRPerGy: Double {
        switch self {
        case .leukaemia: 3.0
        case .lymphoma: 0.5
        case .brain: 1.0
        case .thyroid: 5.0
        case .breast: 1.0
        case .lung: 0.5
        }
    }
}

/// What `harmonic synth` makes: sizes, seed, corruption share and the true risks.
public struct SynthesisConfiguration: Sendable {
    public var seed: UInt64
    /// Children of the seven cardiac cohorts together.
    public var cardiacChildren: Int
    /// Children of the radiotherapy registry (default: 2,300 per 70,000 cardiac children).
    public var radiotherapyChildren: Int
    /// Share of rows (0...0.5) replaced by realistic bad rows, recorded in truth/corrupted_rows.csv.
    public var corruptFraction: Double
    /// True ERR per Gy by outcome.
    public var trueERRPerGy: [SynthOutcome: Double]
    /// Last day of follow-up (registries were linked up to the end of 2022).
    public var followUpEnd: CalendarDate

    public init(seed: UInt64 = 1, cardiacChildren: Int = 70_000, radiotherapyChildren: Int? = nil,
                corruptFraction: Double = 0, trueERRPerGy: [SynthOutcome: Double] = [:]) {
        self.seed = seed
        self.cardiacChildren = max(0, cardiacChildren)
        self.radiotherapyChildren = radiotherapyChildren
            ?? Int((Double(max(0, cardiacChildren)) * 2_300.0 / 70_000.0).rounded())
        self.corruptFraction = min(0.5, max(0, corruptFraction))
        var err: [SynthOutcome: Double] = [:]
        for o in SynthOutcome.allCases { err[o] = trueERRPerGy[o] ?? o.defaultTrueERRPerGy }
        self.trueERRPerGy = err
        self.followUpEnd = CalendarDate(year: 2022, month: 12, day: 31)!
    }

    /// Parses `leukaemia=5,breast=0.5`; names are the `SynthOutcome` raw values.
    public static func parseTrueERR(_ text: String) throws -> [SynthOutcome: Double] {
        var result: [SynthOutcome: Double] = [:]
        for part in text.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingWhitespace() }
            guard kv.count == 2, let outcome = SynthOutcome(rawValue: kv[0].lowercased()),
                  let value = Double(kv[1]), value.isFinite, value >= 0 else {
                throw InputError(.file("--true-err"), field: "true-err", value: String(part),
                                 expected: "outcome=ERR per Gy (>= 0) with outcome one of "
                                    + SynthOutcome.allCases.map(\.rawValue).joined(separator: ", "))
            }
            result[outcome] = value
        }
        return result
    }
}

/// The seven cardiac cohorts and their shares of the pooled 70,000 children. Norway's
/// ~6,500 comes from the study description; the others are chosen to be of the size of the
/// national catheterisation cohorts (France and Germany largest, then UK, Italy, Spain,
/// Belgium): BE 6,000, DE 14,000, ES 7,500, FR 16,000, IT 9,000, NO 6,500, UK 11,000.
public enum CardiacCohortShares {
    public static let childrenPer70000: [(Country, Int)] = [
        (.belgium, 6_000), (.germany, 14_000), (.spain, 7_500), (.france, 16_000),
        (.italy, 9_000), (.norway, 6_500), (.unitedKingdom, 11_000),
    ]
    /// Children per country for a total of `n` (largest-remainder rounding, sums to `n`).
    public static func split(_ n: Int, shares: [(Country, Int)] = childrenPer70000) -> [(Country, Int)] {
        let total = shares.reduce(0) { $0 + $1.1 }
        var counts = shares.map { ($0.0, n * $0.1 / total) }
        var rest = n - counts.reduce(0) { $0 + $1.1 }
        let order = shares.indices.sorted { (n * shares[$0].1) % total > (n * shares[$1].1) % total }
        var k = 0
        while rest > 0 { counts[order[k % order.count]].1 += 1; rest -= 1; k += 1 }
        return counts
    }
    /// Radiotherapy registry shares (BE, DK, FR, DE) of its ~2,300 children.
    public static let radiotherapyShares: [(Country, Int)] = [
        (.belgium, 400), (.denmark, 300), (.france, 900), (.germany, 700),
    ]
}
