import Dispatch
import Foundation
import HarmonicCore

/// Settings of a reconstruction run.
public struct ReconstructionSettings: Sendable, Hashable {
    /// Seed of every random draw; with the same inputs and seed the output is the same whatever the thread count.
    public var seed: UInt64 = 20_261_123
    /// Realisations per procedure (the second dimension of the Monte Carlo).
    public var realisations = 1000
    public var uncertainty = UncertaintyModel.standard
    /// Names the coefficient source and its version (part of every input hash).
    public var sourceIdentity = "unnamed source"
    /// Field area at the skin entrance per field area at the detector: (source-skin / source-detector
    /// distance)², with the skin at ~0.7 of the SID for a child on the table (assumption).
    public var skinPerDetectorArea = 0.49
    /// Projection mix and beam quality to use for every totals/imputed procedure instead of the
    /// learned groups (the calculator, when the user gives the projections).
    public var mixOverride: ProjectionMix?

    public init(seed: UInt64 = 20_261_123, realisations: Int = 1000, sourceIdentity: String = "unnamed source") {
        self.seed = seed; self.realisations = realisations; self.sourceIdentity = sourceIdentity
    }
}

/// Organ doses with uncertainty realisations for a set of procedures: picks each procedure's
/// tier, learns the projection-mix and KAP-imputation models from the records that allow it,
/// then draws `realisations` values of every `DoseQuantity` per procedure with the shared and
/// unshared errors of `UncertaintyModel`.
///
/// Work is done in blocks of procedures (`run`), each block in parallel; every procedure draws
/// from its own stream keyed by its site and id, so results do not depend on thread count,
/// block size or on which other procedures are computed (incremental runs).
public final class DoseReconstruction: @unchecked Sendable {
    public let procedures: [ProcedureInput]
    public let events: [EventInput]
    public let settings: ReconstructionSettings
    public let source: any OrganDoseCoefficientSource
    public let tiers: [DoseTier]
    public let reasons: [String?]
    public let mixModel: ProjectionMixModel
    public let imputation: KAPImputation?
    let shared: SharedErrors
    /// Calibration factors per hospital/era group, [group * N + r], and each procedure's group.
    let calibration: [Float]
    let calibrationGroup: [Int]

    public init(procedures: [ProcedureInput], events: [EventInput], source: any OrganDoseCoefficientSource,
                settings: ReconstructionSettings = ReconstructionSettings()) {
        self.procedures = procedures; self.events = events; self.source = source; self.settings = settings
        let selected = TierSelection.tiers(procedures: procedures, events: events)
        var tiers = selected.map(\.tier)
        var reasons = selected.map(\.reason)
        mixModel = ProjectionMixModel(procedures: procedures, tiers: tiers, events: events)
        do { imputation = try KAPImputation(procedures: procedures, tiers: tiers, events: events) } catch {
            imputation = nil
            for i in tiers.indices where tiers[i] == .imputed { tiers[i] = .flagged; reasons[i] = "no dose record, and \(error)" }
        }
        self.tiers = tiers; self.reasons = reasons
        let n = settings.realisations
        shared = SharedErrors(seed: settings.seed, realisations: n, model: settings.uncertainty)
        var groupIndex: [String: Int] = [:]
        var calibration: [Float] = []
        var calibrationGroup = [Int](repeating: 0, count: procedures.count)
        for (i, p) in procedures.enumerated() {
            let key = "\(p.hospital)|\(p.era.start)"
            if let g = groupIndex[key] { calibrationGroup[i] = g; continue }
            groupIndex[key] = groupIndex.count
            calibrationGroup[i] = groupIndex.count - 1
            calibration += shared.calibration(hospital: p.hospital, era: p.era, model: settings.uncertainty)
        }
        self.calibration = calibration; self.calibrationGroup = calibrationGroup
    }

    /// Hash of everything a procedure's doses depend on: its record and events, the model part it
    /// uses (mix group, imputation fit), the uncertainty model, seed, realisations and source.
    public func inputHash(_ i: Int) -> UInt64 {
        let p = procedures[i]
        var h = StableHash()
        h.add(settings.sourceIdentity); h.add(Int(truncatingIfNeeded: settings.seed)); h.add(settings.realisations)
        h.add(Int(truncatingIfNeeded: settings.uncertainty.fingerprint)); h.add(settings.skinPerDetectorArea)
        h.add(p.site); h.add(p.procedureID); h.add(p.patient); h.add(p.day); h.add(p.ageYears); h.add(p.sex.rawValue)
        h.add(p.weightKg); h.add(p.heightCm); h.add(p.hospital); h.add(p.country); h.add(p.procedureType)
        h.add(p.totalKAP); h.add(p.eventCount); h.add(tiers[i].rawValue)
        for e in events[p.eventStart ..< p.eventStart + p.eventCount] {
            h.add(e.kapGyCm2); h.add(e.primaryDegrees); h.add(e.secondaryDegrees); h.add(e.kVp)
            h.add(e.copperMillimetres); h.add(e.fieldAreaCm2)
        }
        if tiers[i] == .totals || tiers[i] == .imputed {
            let m = settings.mixOverride ?? mixModel.mix(for: p)
            for v in m.shares + [m.kVp, m.copperMillimetres, m.fieldAreaCm2, m.spread] { h.add(v) }
            h.add(m.source)
        }
        if tiers[i] == .imputed, let imputation { h.add(Int(truncatingIfNeeded: imputation.fingerprint)) }
        return h.value
    }

    /// Computes the procedures `range` (those with `compute[i]` true, or all when nil) into
    /// `doses` and their realisations into `block` ([procedure - range.lowerBound][quantity][realisation],
    /// Float16; flagged procedures are NaN). Procedures not computed leave their slots untouched.
    public func compute(_ range: Range<Int>, compute: [Bool]?, doses: UnsafeMutableBufferPointer<ProcedureDose?>,
                        block: UnsafeMutableBufferPointer<Float16>) {
        let perProcedure = DoseQuantity.count * settings.realisations
        precondition(block.count >= range.count * perProcedure, "realisation block too small")
        let chunk = 16
        let chunks = (range.count + chunk - 1) / chunk
        let shared = SendablePointers(block: block, doses: doses)
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let block = shared.block, doses = shared.doses
            var scratch = Scratch(realisations: settings.realisations)
            let lo = range.lowerBound + c * chunk, hi = min(range.upperBound, lo + chunk)
            for i in lo..<hi where compute?[i] ?? true {
                let out = UnsafeMutableBufferPointer(rebasing: block[(i - range.lowerBound) * perProcedure ..< (i - range.lowerBound + 1) * perProcedure])
                doses[i] = procedureDose(i, into: out, scratch: &scratch)
            }
        }
    }

    /// Output buffers handed to worker threads; each thread writes disjoint slots.
    struct SendablePointers: @unchecked Sendable {
        let block: UnsafeMutableBufferPointer<Float16>
        let doses: UnsafeMutableBufferPointer<ProcedureDose?>
    }

    /// Per-thread buffers reused across procedures (no allocation per realisation).
    struct Scratch {
        var coefficients = [Double](repeating: 0, count: ProjectionClass.count * DoseQuantity.count)
        var shares = [Double](repeating: 0, count: ProjectionClass.count)
        var weights = [Double](repeating: 0, count: ProjectionClass.count)
        var sums = [Double](repeating: 0, count: DoseQuantity.count)
        init(realisations: Int) {}
    }

    func exposure(_ p: ProcedureInput, primary: Double, secondary: Double, kVp: Double, copper: Double, detectorField: Double) -> CardiacExposure {
        let weight: Kilogram? = p.weightKg.isFinite ? Kilogram(p.weightKg) : nil
        let height: Centimetre? = p.heightCm.isFinite ? Centimetre(p.heightCm) : nil
        return CardiacExposure(patient: PatientSize(age: Years(p.ageYears), sex: p.sex, weight: weight, height: height),
                               primaryDegrees: primary, secondaryDegrees: secondary,
                               quality: BeamQuality(kVp: KiloVolt(kVp), copperMillimetres: copper),
                               fieldAreaCm2: detectorField * settings.skinPerDetectorArea)
    }

    func flagged(_ reason: String) -> ProcedureDose {
        let nan = [Double](repeating: .nan, count: DoseQuantity.count)
        return ProcedureDose(tier: .flagged, flagReason: reason, kapUsed: .nan, mean: nan, central: nan)
    }

    func procedureDose(_ i: Int, into out: UnsafeMutableBufferPointer<Float16>, scratch s: inout Scratch) -> ProcedureDose {
        let p = procedures[i], tier = tiers[i], q = DoseQuantity.count, n = settings.realisations
        if tier == .flagged {
            out.initialize(repeating: .nan)
            return flagged(reasons[i] ?? "flagged")
        }
        var classes = 0, kap = 0.0, logKAP = 0.0, imputationSD = 0.0, eraSE = 0.0, spread = 0.0, mixSource = ""
        do {
            if tier == .event {
                // KAP-weighted coefficients of the events: one "class" with share 1.
                for k in 0..<q { s.coefficients[k] = 0 }
                let mix = mixModel.mix(for: p)
                for e in events[p.eventStart ..< p.eventStart + p.eventCount] where e.kapGyCm2 > 0 {
                    let c = try source.coefficients(for: exposure(
                        p, primary: e.primaryDegrees.isFinite ? e.primaryDegrees : 0,
                        secondary: e.secondaryDegrees.isFinite ? e.secondaryDegrees : 0,
                        kVp: e.kVp.isFinite ? e.kVp : mix.kVp, copper: e.copperMillimetres.isFinite ? e.copperMillimetres : mix.copperMillimetres,
                        detectorField: e.fieldAreaCm2.isFinite ? e.fieldAreaCm2 : mix.fieldAreaCm2))
                    for (k, organ) in DoseQuantity.organs.enumerated() { s.coefficients[k] += e.kapGyCm2 * c[organ] }
                    s.coefficients[q - 1] += e.kapGyCm2 * c.effectiveDosePerKAP
                    kap += e.kapGyCm2
                }
                if kap > 0 { for k in 0..<q { s.coefficients[k] /= kap } }
                s.shares[0] = 1; classes = 1; mixSource = "events"
            } else {
                let mix = settings.mixOverride ?? mixModel.mix(for: p)
                mixSource = mix.source; spread = mix.spread
                for cls in ProjectionClass.allCases where mix.shares[cls.rawValue] > 0 {
                    let c = try source.coefficients(for: exposure(p, primary: cls.primaryDegrees, secondary: 0, kVp: mix.kVp,
                                                                  copper: mix.copperMillimetres, detectorField: mix.fieldAreaCm2))
                    for (k, organ) in DoseQuantity.organs.enumerated() { s.coefficients[classes * q + k] = c[organ] }
                    s.coefficients[classes * q + q - 1] = c.effectiveDosePerKAP
                    s.shares[classes] = mix.shares[cls.rawValue]
                    classes += 1
                }
                if tier == .totals {
                    kap = p.totalKAP
                } else if let imputation {
                    logKAP = imputation.logKAP(for: p)
                    kap = exp(logKAP)
                    imputationSD = imputation.residualSD; eraSE = imputation.eraStandardError[p.era.index]
                }
            }
        } catch {
            out.initialize(repeating: .nan)
            return flagged("coefficients: \(error)")
        }
        // Central value: KAP × mix-weighted coefficient, no errors drawn.
        var central = [Double](repeating: 0, count: q)
        for k in 0..<classes { for j in 0..<q { central[j] += kap * s.shares[k] * s.coefficients[k * q + j] } }
        if kap == 0 {
            out.initialize(repeating: 0)
            return ProcedureDose(tier: tier, kapUsed: 0, mean: central, central: central, mixSource: mixSource)
        }
        let unc = settings.uncertainty
        let calibrated = tier != .imputed
        let sizeSD = unc.sizeSD(weightRecorded: p.weightKg.isFinite)
        var rng = RandomStream(seed: settings.seed, stream: StableHash.of("procedure|\(p.site)|\(p.procedureID)"))
        var normals = NormalPairs()
        let logBase = log(kap)
        for j in 0..<q { s.sums[j] = 0 }
        let bits = UnsafeMutableRawBufferPointer(out).bindMemory(to: UInt16.self)
        shared.coefficient.withUnsafeBufferPointer { coef in
        calibration.withUnsafeBufferPointer { cal in
        shared.eraNormal.withUnsafeBufferPointer { eraZ in
            let calBase = calibrationGroup[i] * n, eraBase = p.era.index * n
            for r in 0..<n {
                var logCommon = logBase + sizeSD * normals.next(&rng)
                if tier == .imputed { logCommon += eraSE * Double(eraZ[eraBase + r]) + imputationSD * normals.next(&rng) }
                if classes > 1 {
                    var total = 0.0
                    for k in 0..<classes { s.weights[k] = s.shares[k] * exp(spread * normals.next(&rng)); total += s.weights[k] }
                    for k in 0..<classes { s.weights[k] /= total }
                } else { s.weights[0] = 1 }
                var common = exp(logCommon)
                if calibrated { common *= Double(cal[calBase + r]) }
                for j in 0..<q {
                    var c = 0.0
                    for k in 0..<classes { c += s.weights[k] * s.coefficients[k * q + j] }
                    let d = common * c * Double(coef[j * n + r])
                    bits[j * n + r] = float16Bits(d)
                    s.sums[j] += d
                }
            }
        } } }
        let mean = (0..<q).map { s.sums[$0] / Double(n) }
        return ProcedureDose(tier: tier, kapUsed: kap, mean: mean, central: central, mixSource: mixSource)
    }
}
