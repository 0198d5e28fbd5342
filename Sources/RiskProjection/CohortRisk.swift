import Foundation
import HarmonicCore

/// LAR of cancer incidence for every child of a cohort, vectorised over the Monte Carlo draws: each
/// site's per-Gy coefficients are laid out age-major (all draws of one age at exposure contiguous), so a
/// child's exposure adds `dose * coefficient` to a contiguous block of draws; children are split over
/// the cores. Every child uses the same draws (the model uncertainty is shared by the cohort).
public struct CohortRisk: Sendable {
    /// A child: sex and exposures (age, site doses).
    public struct Child: Sendable {
        public var id: String
        public var sex: Sex
        public var exposures: [Exposure]
        public init(id: String, sex: Sex, exposures: [Exposure]) { self.id = id; self.sex = sex; self.exposures = exposures }
    }
    /// A child's total LAR of incidence: central estimate, mean and 95% interval over the draws.
    public struct ChildRisk: Sendable, Codable {
        public var id: String
        public var estimate: Double, mean: Double, lower95: Double, upper95: Double
    }

    /// Risk bands of lifetime attributable risk (total incidence), in the words of risk communication:
    /// < 1 in 10,000; 1 in 10,000 to 1 in 1,000; 1 in 1,000 to 1 in 100; >= 1 in 100.
    public static let bands: [(label: String, upper: Double)] = [
        ("< 1 in 10,000", 1e-4), ("1 in 10,000 - 1 in 1,000", 1e-3), ("1 in 1,000 - 1 in 100", 1e-2), (">= 1 in 100", .infinity),
    ]

    public let model: LifetimeRiskModel
    /// Age-major coefficient tables per sex and site: `[e * draws + d]`, and central per age.
    let ageMajor: [[RiskSite: [Double]]]

    public init(model: LifetimeRiskModel) {
        self.model = model
        let n = model.draws.count, ages = LifetimeRiskModel.ages
        var out: [[RiskSite: [Double]]] = []
        for sex in Sex.allCases {
            var bySite: [RiskSite: [Double]] = [:]
            for site in RiskSite.allCases {
                guard let t = model.table(site, sex, .incidence) else { continue }
                var a = [Double](repeating: 0, count: n * ages)
                for d in 0..<n { for e in 0..<ages { a[e * n + d] = t.draws[d * ages + e] } }
                bySite[site] = a
            }
            out.append(bySite)
        }
        ageMajor = out
    }

    /// Total incidence LAR of each child (sites with no baseline or no dose contribute nothing).
    public func risks(_ children: [Child]) -> [ChildRisk] {
        let n = model.draws.count, ages = LifetimeRiskModel.ages
        let results = ConcurrentResults<[ChildRisk]>(count: max(1, min(64, children.count)))
        let chunks = max(1, min(64, children.count))
        let per = (children.count + chunks - 1) / chunks
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            var acc = [Double](repeating: 0, count: n)
            var out: [ChildRisk] = []
            let lo = c * per, hi = min(children.count, lo + per)
            if lo < hi {
                out.reserveCapacity(hi - lo)
                for child in children[lo..<hi] {
                    for d in 0..<n { acc[d] = 0 }
                    var est = 0.0
                    let si = child.sex == .male ? 0 : 1
                    for x in child.exposures {
                        let (i, w) = LifetimeRiskModel.interpolationIndex(x.ageYears)
                        let j = min(i + 1, ages - 1)
                        for (site, dose) in x.doses where dose.value > 0 {
                            guard let table = ageMajor[si][site], let t = model.table(site, child.sex, .incidence) else { continue }
                            let f = model.doseFactor(site: site, sex: child.sex, dose: dose)
                            est += f * ((1 - w) * t.central[i] + w * t.central[j])
                            let a = f * (1 - w), b = f * w
                            table.withUnsafeBufferPointer { p in
                                acc.withUnsafeMutableBufferPointer { q in
                                    let pi = p.baseAddress! + i * n, pj = p.baseAddress! + j * n
                                    for d in 0..<n { q[d] += a * pi[d] + b * pj[d] }
                                }
                            }
                        }
                    }
                    let mean = acc.reduce(0, +) / Double(n)
                    acc.sort()
                    out.append(ChildRisk(id: child.id, estimate: est, mean: mean,
                                         lower95: Quantile.of(sorted: acc, 0.025), upper95: Quantile.of(sorted: acc, 0.975)))
                }
            }
            results.set(c, out)
        }
        return (0..<chunks).flatMap { results.value($0) }
    }

    /// Percentiles reported for a cohort's LAR distribution.
    public static let summaryPercentiles = [0.05, 0.25, 0.5, 0.75, 0.95, 0.99]

    /// The children's central LAR estimates at each of `percentiles` (nearest rank, the value at
    /// index ⌊p n⌋ of the sorted estimates); empty when there are no children.
    public static func estimatePercentiles(_ risks: [ChildRisk], _ percentiles: [Double] = summaryPercentiles) -> [Double] {
        let sorted = risks.map(\.estimate).sorted()
        guard !sorted.isEmpty else { return [] }
        return percentiles.map { sorted[min(sorted.count - 1, Int($0 * Double(sorted.count)))] }
    }

    /// Number of children per risk band (by central estimate).
    public static func bandCounts(_ risks: [ChildRisk]) -> [(label: String, children: Int)] {
        var counts = [Int](repeating: 0, count: bands.count)
        for r in risks { counts[bands.firstIndex { r.estimate < $0.upper }!] += 1 }
        return zip(bands, counts).map { ($0.0.label, $0.1) }
    }
}
