import Foundation
import HarmonicCore
import XRayPhysics

/// Folds monoenergetic organ dose coefficients with an X-ray tube spectrum.
///
/// Photon transport is linear in the source, so for a spectrum of photon fluence φ(E):
///   D/KAP = Σ_E φ(E)·D₁(E) / Σ_E φ(E)·KAP₁(E),
/// with D₁ and KAP₁ the organ dose and KAP per emitted photon of energy E. KAP₁(E) is
/// E·(μen/ρ)_air(E) times a geometric constant, so with c(E) = D₁(E)/KAP₁(E) (the stored
/// monoenergetic dose per KAP):
///   D/KAP = Σ_E a(E)·c(E) / Σ_E a(E),   a(E) = φ(E)·E·(μen/ρ)_air(E)   (the air kerma spectrum).
/// c(E) is linear between the library's energy nodes (held at the end values outside them), so
/// the fold is a weighted sum over the nodes: D/KAP = Σ_n W_n c_n, W_n = Σ_E a(E)·hat_n(E) / Σ_E a(E).
///
/// Spectra: `XRaySpectrum` (Birch & Marshall type model, 0.5 keV bins) without filtration,
/// computed once per integer kVp and cached; the filter transmission exp(−μ_Al t_Al − μ_Cu t_Cu)
/// is applied per bin at lookup, so copper and aluminium are exact, not interpolated; a
/// non-integer kVp mixes the two neighbouring integer-kVp spectra linearly.
public final class SpectrumFold: @unchecked Sendable {
    public let nodes: [Double]
    public let anodeAngleDegrees: Double
    /// Lowest and highest tube voltage the fold accepts (kV): XRaySpectrum's validated range.
    public static let kVpRange: ClosedRange<Double> = 40...150
    static let binWidth = XRaySpectrum.binWidth
    static let maxBins = Int(150 / XRaySpectrum.binWidth)
    // Per 0.5 keV bin b (centre (b + 0.5)·0.5 keV):
    private let airWeight: [Double]       // E·(μen/ρ)_air
    private let muAl: [Double], muCu: [Double]   // 1/mm
    private let lowerNode: [Int32]        // node index n with hat weights (1 − f) on n, f on n + 1
    private let upperFraction: [Double]
    private let lock = NSLock()
    private var unfiltered: [Int: [Double]] = [:]

    public init(nodes: [Double], anodeAngleDegrees: Double) {
        precondition(!nodes.isEmpty)
        self.nodes = nodes; self.anodeAngleDegrees = anodeAngleDegrees
        let air = PhotonCrossSections.cached(.air), al = PhotonCrossSections.cached(.aluminium)
        let cu = PhotonCrossSections.cached(.copper)
        var airWeight: [Double] = [], muAl: [Double] = [], muCu: [Double] = [], lower: [Int32] = [], upper: [Double] = []
        for b in 0..<Self.maxBins {
            let e = (Double(b) + 0.5) * Self.binWidth
            airWeight.append(e * air.muEnOverRho(max(e, 1)))
            muAl.append(al.muTotal(max(e, 1)) / 10); muCu.append(cu.muTotal(max(e, 1)) / 10)
            let (n, f) = Self.hat(e, nodes)
            lower.append(Int32(n)); upper.append(f)
        }
        self.airWeight = airWeight; self.muAl = muAl; self.muCu = muCu
        self.lowerNode = lower; self.upperFraction = upper
    }

    /// Node interval and the weight of the upper node for energy e (clamped at the ends).
    static func hat(_ e: Double, _ nodes: [Double]) -> (Int, Double) {
        if nodes.count == 1 || e <= nodes[0] { return (0, 0) }
        if e >= nodes[nodes.count - 1] { return (nodes.count - 2, 1) }
        var n = 0
        while nodes[n + 1] <= e { n += 1 }
        return (n, (e - nodes[n]) / (nodes[n + 1] - nodes[n]))
    }

    /// Node weights W_n (sum 1) for a tube spectrum. Throws for a quality outside the spectrum model.
    public func weights(for quality: BeamQuality) throws -> [Double] {
        let kVp = quality.kVp.value
        guard kVp.isFinite, Self.kVpRange.contains(kVp) else {
            throw InputError(.file("beam quality"), field: "kVp", value: "\(kVp)",
                             expected: "a tube voltage of \(Int(Self.kVpRange.lowerBound))-\(Int(Self.kVpRange.upperBound)) kV")
        }
        guard quality.copperMillimetres.isFinite, (0...5).contains(quality.copperMillimetres) else {
            throw InputError(.file("beam quality"), field: "copper filtration", value: "\(quality.copperMillimetres)",
                             expected: "0-5 mm Cu")
        }
        guard quality.aluminiumMillimetres.isFinite, (0...30).contains(quality.aluminiumMillimetres) else {
            throw InputError(.file("beam quality"), field: "aluminium filtration", value: "\(quality.aluminiumMillimetres)",
                             expected: "0-30 mm Al")
        }
        let low = Int(kVp.rounded(.down)), high = min(low + 1, Int(Self.kVpRange.upperBound))
        let t = kVp - Double(low)
        var w = [Double](repeating: 0, count: nodes.count)
        let a = spectrum(low)
        let b = t > 0 ? spectrum(high) : a
        let cu = quality.copperMillimetres, al = quality.aluminiumMillimetres
        var total = 0.0
        for i in 0..<b.count {
            let phi = (i < a.count ? a[i] * (1 - t) : 0) + b[i] * t
            guard phi > 0 else { continue }
            let k = phi * airWeight[i] * exp(-muCu[i] * cu - muAl[i] * al)
            let n = Int(lowerNode[i]), f = upperFraction[i]
            w[n] += k * (1 - f)
            if f > 0 { w[n + 1] += k * f }
            total += k
        }
        guard total > 0 else {
            throw InputError(.file("beam quality"), field: "filtration", value: "\(cu) mm Cu + \(al) mm Al",
                             expected: "a filtration that lets photons through at \(kVp) kV")
        }
        for n in w.indices { w[n] /= total }
        return w
    }

    /// Node weights for an arbitrary photon spectrum (energies in keV, relative fluence per
    /// line or bin), e.g. a single line: a line at a node energy gives weight 1 on that node.
    public func weights(energies: [Double], fluence: [Double]) -> [Double] {
        let air = PhotonCrossSections.cached(.air)
        var w = [Double](repeating: 0, count: nodes.count)
        var total = 0.0
        for (e, phi) in zip(energies, fluence) where phi > 0 && e > 0 {
            let k = phi * e * air.muEnOverRho(max(e, 1))
            let (n, f) = Self.hat(e, nodes)
            w[n] += k * (1 - f)
            if f > 0 { w[n + 1] += k * f }
            total += k
        }
        return total > 0 ? w.map { $0 / total } : w
    }

    /// Unfiltered photon fluence per 0.5 keV bin at one integer kVp (cached).
    private func spectrum(_ kVp: Int) -> [Double] {
        lock.lock()
        if let s = unfiltered[kVp] { lock.unlock(); return s }
        lock.unlock()
        let s = XRaySpectrum(kVp: Double(kVp), anodeAngleDegrees: anodeAngleDegrees, filtration: .none).fluence
        lock.lock(); unfiltered[kVp] = s; lock.unlock()
        return s
    }
}
