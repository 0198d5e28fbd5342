import HarmonicCore
import Phantoms

extension TransportSimulation {
    /// Per-batch organ doses (Gy per tally-unit) → normalised doses, uncertainties, effective doses.
    /// Red marrow and bone surface (endosteum): each site's spongiosa fluence spectrum folded with
    /// the response functions (`SkeletalResponse`), weighted by the site's share of the active
    /// marrow or endosteum (`SkeletonComposition`, ICRP 143).
    static func reduce<S, P: PhysicsModel>(raw: [Double], batches: Int, problem: Prepared<S>, voxels: VoxelPhantom,
                                           config: TransportConfiguration, physics: P, seconds: Double) -> OrganDoseResult {
        let p = problem.problem
        let nL = p.labelCount
        let per = p.talliesPerBatch
        let phantom = config.phantom
        let sex = phantom.sex
        let bk = p.bookkeeping
        let kermaOffset = p.trackKermaOffset
        let skeleton = phantom.skeleton
        let response = SkeletalResponse(physics: physics, composition: skeleton, marrowResponse: config.marrowResponse)
        // Labels → organs.
        var organLabels: [Organ: [Int]] = [:]
        // Per site: (fluence tally index, voxel volume cm³) of its bone regions.
        var siteTallies = [[(tally: Int, volume: Double)]](repeating: [], count: SkeletalSite.allCases.count)
        var residualTrunk: [Int] = [], residualAll: [Int] = []
        for (i, r) in voxels.regions.enumerated() {
            let label = i + 1
            switch r.role {
            case let .organ(o): organLabels[o, default: []].append(label)
            case .bone(let s):
                // A cortex (cortical bone) shields its spongiosa; only the spongiosa scores the site's fluence.
                if r.tissue != .corticalBone { siteTallies[s.rawValue].append((p.labelBone[label], Double(r.voxelCount) * voxels.voxelVolume)) }
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

        // A site the voxelisation left without voxels (none at the default voxel sizes) takes the
        // fluence of the other sites of its bone solid, else of the whole skeleton.
        let allTallies = siteTallies.flatMap { $0 }
        let scoredTallies: [[(tally: Int, volume: Double)]] = SkeletalSite.allCases.map { site in
            let own = siteTallies[site.rawValue]
            if own.reduce(0, { $0 + $1.volume }) > 0 { return own }
            let solid = site.geometry.sites.flatMap { siteTallies[$0.rawValue] }
            return solid.reduce(0, { $0 + $1.volume }) > 0 ? solid : allTallies
        }
        let bins = skeletalFluenceBins
        /// Active marrow and endosteum dose (Gy per tally unit) of every site.
        func siteDoses(_ t: ArraySlice<Double>) -> (marrow: [Double], endosteum: [Double]) {
            let o = t.startIndex + nL
            var marrow = [Double](repeating: 0, count: scoredTallies.count), endosteum = marrow
            for (s, tallies) in scoredTallies.enumerated() {
                let volume = tallies.reduce(0) { $0 + $1.volume }
                guard volume > 0 else { continue }
                for (tally, _) in tallies {
                    marrow[s] += SkeletalResponse.fold(t, start: o + 2 * bins * tally, response.activeMarrow[s])
                    endosteum[s] += SkeletalResponse.fold(t, start: o + 2 * bins * tally, response.endosteum[s])
                }
                marrow[s] *= gray / volume; endosteum[s] *= gray / volume
            }
            return (marrow, endosteum)
        }

        let organs = Organ.allCases.filter { $0.exists(in: sex) }
        // Per batch: organ dose (Gy), KAP (Gy cm²), air kerma (Gy).
        func batchDoses(_ t: ArraySlice<Double>) -> (doses: [Organ: Double], kap: Double, kerma: Double) {
            let o = t.startIndex
            var d: [Organ: Double] = [:]
            let skeletal: (marrow: [Double], endosteum: [Double]) = siteDoses(t)
            for organ in organs {
                switch organ {
                case .redMarrow:
                    d[organ] = zip(skeleton.activeMarrowFraction, skeletal.marrow).reduce(0.0) { $0 + $1.0 * $1.1 }
                case .boneSurface:
                    d[organ] = zip(skeleton.endosteumFraction, skeletal.endosteum).reduce(0.0) { $0 + $1.0 * $1.1 }
                default:
                    let labels = organLabels[organ] ?? []
                    let m = mass(labels)
                    // Track-length kerma (`TrackingProblem`: lower variance than the analog deposit).
                    d[organ] = m > 0 ? labels.reduce(0) { $0 + t[o + kermaOffset + $1] } / m * gray : 0
                }
            }
            let kap = t[o + bk + 2] * joulesPerKeV * 1000
            let kerma = t[o + bk + 3] * joulesPerKeV * 1000 / problem.airKermaDivisor
            return (d, kap, kerma)
        }
        let perBatch = (0..<batches).map { b in batchDoses(raw[(b * per)..<((b + 1) * per)]) }
        var total = [Double](repeating: 0, count: per)
        for b in 0..<batches { for k in 0..<per { total[k] += raw[b * per + k] } }
        let all = batchDoses(total[...])

        func effective(_ weights: [(tissue: WeightedTissue, weight: Double)], remainder: [Organ], _ d: [Organ: Double]) -> Double {
            TissueWeights.weightedSum(weights, remainder: remainder, sex: sex, doses: d)
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
                      massGrams: organ == .redMarrow ? skeleton.activeMarrowMass
                                 : organ == .boneSurface ? skeleton.endosteumMass : mass(organLabels[organ] ?? []))
        }
        let sites = siteDoses(total[...])
        let siteResults = SkeletalSite.allCases.map { site in
            SkeletalSiteDose(site: site, activeMarrowFraction: skeleton.activeMarrowFraction[site.rawValue],
                             endosteumFraction: skeleton.endosteumFraction[site.rawValue],
                             marrowPerAirKerma: sites.marrow[site.rawValue] / all.kerma,
                             marrowPerKAP: point ? sites.marrow[site.rawValue] / all.kap * 1000 : nil,
                             boneVolume: siteTallies[site.rawValue].reduce(0) { $0 + $1.volume })
        }
        let e103 = effective(TissueWeights.icrp103, remainder: r103, all.doses)
        let e60 = effective(TissueWeights.icrp60, remainder: r60, all.doses)
        let deposited = (1...nL - 1).reduce(0.0) { $0 + total[$1] }
        var result = OrganDoseResult(
            age: phantom.age.rawValue, sex: sex, histories: config.histories, organs: doses,
            effectiveDose103PerKAP: point ? e103 / all.kap * 1000 : nil, effectiveDose103PerAirKerma: e103 / all.kerma,
            effectiveDose103RelativeUncertainty: relativeUncertainty { effective(TissueWeights.icrp103, remainder: r103, $0.doses) },
            effectiveDose60PerKAP: point ? e60 / all.kap * 1000 : nil, effectiveDose60PerAirKerma: e60 / all.kerma,
            effectiveDose60RelativeUncertainty: relativeUncertainty { effective(TissueWeights.icrp60, remainder: r60, $0.doses) },
            kapPerHistory: point ? all.kap / Double(config.histories) : nil,
            airKermaPerHistory: all.kerma / Double(config.histories),
            emittedEnergy: total[bk], depositedEnergy: deposited, escapedEnergy: total[bk + 1],
            uncollidedFraction: total[bk + 5] / total[bk + 4], skeletalSites: siteResults,
            focusToSkin: problem.focusToSkin, wallSeconds: seconds)
        result.marrowResponse = config.marrowResponse.rawValue
        result.arms = phantom.armPosture.rawValue
        return result
    }
}
