import HarmonicCore
import Phantoms

extension TransportSimulation {
    /// Per-batch organ doses (Gy per tally-unit) → normalised doses, uncertainties, effective doses.
    static func reduce<S>(raw: [Double], batches: Int, problem: Prepared<S>, voxels: VoxelPhantom,
                          config: TransportConfiguration, seconds: Double) -> OrganDoseResult {
        let p = problem.problem
        let nL = p.labelCount
        let per = p.talliesPerBatch
        let phantom = config.phantom
        let sex = phantom.sex
        let ageIndex = ReferenceAge.allCases.firstIndex(of: phantom.age)!
        // Labels → organs.
        var organLabels: [Organ: [Int]] = [:]
        var siteLabels: [SkeletalSite: [Int]] = [:]
        var boneLabels: [Int] = []
        var residualTrunk: [Int] = [], residualAll: [Int] = []
        for (i, r) in voxels.regions.enumerated() {
            let label = i + 1
            switch r.role {
            case let .organ(o): organLabels[o, default: []].append(label)
            case .bone(let s): siteLabels[s, default: []].append(label); boneLabels.append(label)
            case .residualTrunk: residualTrunk.append(label); residualAll.append(label)
            case .residualOther: residualAll.append(label)
            case .skin: organLabels[.skin, default: []].append(label)
            case .contents: break
            }
        }
        organLabels[.muscle] = residualAll
        organLabels[.lymphNodes] = residualTrunk
        let labelMass = [0.0] + voxels.regions.indices.map { voxels.mass(ofRegion: $0) }   // g
        func mass(_ labels: [Int]) -> Double { labels.reduce(0) { $0 + labelMass[$1] } }
        let gray = joulesPerKeV * 1000   // keV per gram → Gy

        let organs = Organ.allCases.filter { $0.exists(in: sex) }
        // Per batch: organ dose (Gy), KAP (Gy cm²), air kerma (Gy).
        func batchDoses(_ t: ArraySlice<Double>) -> (doses: [Organ: Double], kap: Double, kerma: Double) {
            let o = t.startIndex
            var d: [Organ: Double] = [:]
            for organ in organs {
                switch organ {
                case .redMarrow:
                    var sum = 0.0
                    for site in SkeletalSite.allCases {
                        let labels = siteLabels[site] ?? []
                        let m = mass(labels)
                        guard m > 0 else { continue }
                        sum += site.redMarrowFraction[ageIndex] * labels.reduce(0) { $0 + t[o + nL + $1] } / m
                    }
                    d[organ] = sum * gray
                case .boneSurface:
                    d[organ] = boneLabels.reduce(0) { $0 + t[o + 2 * nL + $1] } / mass(boneLabels) * gray
                default:
                    let labels = organLabels[organ] ?? []
                    let m = mass(labels)
                    d[organ] = m > 0 ? labels.reduce(0) { $0 + t[o + $1] } / m * gray : 0
                }
            }
            let kap = t[o + 3 * nL + 2] * joulesPerKeV * 1000
            let kerma = t[o + 3 * nL + 3] * joulesPerKeV * 1000 / problem.airKermaDivisor
            return (d, kap, kerma)
        }
        let perBatch = (0..<batches).map { b in batchDoses(raw[(b * per)..<((b + 1) * per)]) }
        var total = [Double](repeating: 0, count: per)
        for b in 0..<batches { for k in 0..<per { total[k] += raw[b * per + k] } }
        let all = batchDoses(total[...])

        func effective(_ weights: [(tissue: WeightedTissue, weight: Double)], remainder: [Organ], _ d: [Organ: Double]) -> Double {
            var e = 0.0
            for (tissue, w) in weights {
                switch tissue {
                case .organ(let o): e += w * (d[o] ?? 0)
                case .gonads: e += w * (d[sex == .female ? .ovaries : .testes] ?? 0)
                case .remainder:
                    let present = remainder.filter { d[$0] != nil }
                    e += w * present.reduce(0) { $0 + d[$1]! } / Double(max(1, present.count))
                }
            }
            return e
        }
        let r103 = TissueWeights.icrp103Remainder(for: sex), r60 = TissueWeights.icrp60Remainder(for: sex)
        let reference: (_ x: (doses: [Organ: Double], kap: Double, kerma: Double)) -> Double = { $0.kerma }
        func relativeUncertainty(_ value: ((doses: [Organ: Double], kap: Double, kerma: Double)) -> Double) -> Double {
            let ratios = perBatch.map { value($0) / reference($0) }
            let mean = ratios.reduce(0, +) / Double(batches)
            guard batches > 1, mean != 0 else { return .infinity }
            let variance = ratios.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(batches - 1)
            return (variance / Double(batches)).squareRoot() / abs(mean)
        }
        let point = problem.isPointSource
        let doses = organs.map { organ in
            OrganDose(organ: organ,
                      perKAP: point ? all.doses[organ]! / all.kap * 1000 : nil,
                      perAirKerma: all.doses[organ]! / all.kerma,
                      relativeUncertainty: relativeUncertainty { $0.doses[organ]! },
                      massGrams: organ == .redMarrow ? ICRP89.redMarrowMass(phantom.age, sex)
                                 : organ == .boneSurface ? mass(boneLabels) : mass(organLabels[organ] ?? []))
        }
        let e103 = effective(TissueWeights.icrp103, remainder: r103, all.doses)
        let e60 = effective(TissueWeights.icrp60, remainder: r60, all.doses)
        let deposited = (1...nL - 1).reduce(0.0) { $0 + total[$1] }
        return OrganDoseResult(
            age: phantom.age.rawValue, sex: sex, histories: config.histories, organs: doses,
            effectiveDose103PerKAP: point ? e103 / all.kap * 1000 : nil, effectiveDose103PerAirKerma: e103 / all.kerma,
            effectiveDose103RelativeUncertainty: relativeUncertainty { effective(TissueWeights.icrp103, remainder: r103, $0.doses) },
            effectiveDose60PerKAP: point ? e60 / all.kap * 1000 : nil, effectiveDose60PerAirKerma: e60 / all.kerma,
            effectiveDose60RelativeUncertainty: relativeUncertainty { effective(TissueWeights.icrp60, remainder: r60, $0.doses) },
            kapPerHistory: point ? all.kap / Double(config.histories) : nil,
            airKermaPerHistory: all.kerma / Double(config.histories),
            emittedEnergy: total[3 * nL], depositedEnergy: deposited, escapedEnergy: total[3 * nL + 1],
            uncollidedFraction: total[3 * nL + 5] / total[3 * nL + 4],
            focusToSkin: problem.focusToSkin, wallSeconds: seconds)
    }
}
