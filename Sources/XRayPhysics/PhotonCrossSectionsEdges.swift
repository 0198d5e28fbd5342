import Foundation

/// Absorption edges that fall inside intervals of `PhotonCrossSections`' uniform lookup grid, with
/// the material's values just below and just above each edge: [total, photoelectric, incoherent,
/// coherent] (1/cm) and μen/ρ (cm²/g), five per edge, in `below` and `above`.
public struct EdgeSplits: Sendable {
    /// Position of each edge inside its grid interval, 0 ≤ fraction ≤ 1 (1 and 0: an edge on a grid
    /// point, entered in both intervals it bounds), ascending within an interval.
    @usableFromInline let fraction: [Double]
    /// Grid interval of each edge.
    @usableFromInline let interval: [Int32]
    @usableFromInline let below: [Double], above: [Double]
}

extension PhotonCrossSections {
    /// The material's [total, photoelectric, incoherent, coherent] (1/cm) and μen/ρ (cm²/g) at
    /// `energyKeV` from the element tables (mixture rule); exactly at an edge, the upper side.
    static func mixtureValues(_ material: Material, at energyKeV: Double) -> [Double] {
        let tables = ElementTables.shared
        var v = [Double](repeating: 0, count: 5)
        for fraction in material.massFractions {
            let e = tables.element(fraction.z)
            let w = fraction.fraction
            let segment = e.segment(at: energyKeV)
            let pe = w * ElementTables.interpolate(e.photoelectric, segment)
            let inc = w * ElementTables.interpolate(e.incoherent, segment)
            let coh = w * ElementTables.interpolate(e.coherent, segment)
            v[1] += pe * material.density
            v[2] += inc * material.density
            v[3] += coh * material.density
            v[0] += (pe + inc + coh) * material.density
            v[4] += w * ElementTables.interpolate(e.muEnOverRho, segment)
        }
        return v
    }

    /// Finds the edges of the material's elements inside the lookup grid's intervals.
    static func edgeSplits(_ material: Material) -> ([Int32], EdgeSplits) {
        let tables = ElementTables.shared
        let energies = Set(material.massFractions.flatMap { tables.element($0.z).edges.map(\.energy) }).sorted()
        var slot = [Int32](repeating: -1, count: gridCount - 1)
        var fraction: [Double] = [], interval: [Int32] = [], below: [Double] = [], above: [Double] = []
        for edge in energies {
            let t = (edge - gridStart) * inverseStep
            // An edge on a grid point (Pb L2, 15.2 keV) ends the interval below it and starts the
            // one above it, whichever side of the edge rounding put the grid point's own value.
            let nearest = t.rounded()
            let places: [(Int, Double)] = abs(t - nearest) < 1e-6
                ? [(Int(nearest) - 1, 1), (Int(nearest), 0)]
                : [(Int(t.rounded(.down)), t - t.rounded(.down))]
            let belowValues = mixtureValues(material, at: edge.nextDown), aboveValues = mixtureValues(material, at: edge)
            for (i, s) in places where i >= 0 && i < gridCount - 1 {
                if slot[i] < 0 { slot[i] = Int32(fraction.count) }
                fraction.append(s); interval.append(Int32(i))
                below += belowValues; above += aboveValues
            }
        }
        return (slot, EdgeSplits(fraction: fraction, interval: interval, below: below, above: above))
    }

    /// Component `component` (0 total, 1 photoelectric, 2 incoherent, 3 coherent: 1/cm; 4 μen/ρ)
    /// at fraction `f` of grid interval `i`, which holds at least one edge: linear interpolation
    /// within the piece between neighbouring edges (or grid points) containing `f`, so never
    /// across an edge. At an edge itself, the value above it.
    @usableFromInline
    func valueInEdgeInterval(_ i: Int, _ f: Double, component c: Int) -> Double {
        let gridValue: (Int) -> Double = { c < 4 ? self.linear[4 * $0 + c] : self.massEnergyAbsorption[$0] }
        var start = 0.0, startValue = gridValue(i)
        var k = Int(edgeSlot[i])
        while k < edges.fraction.count && edges.interval[k] == Int32(i) {
            let s = edges.fraction[k]
            if f < s {
                let end = edges.below[5 * k + c]
                return s > start ? startValue + (end - startValue) * (f - start) / (s - start) : end
            }
            start = s; startValue = edges.above[5 * k + c]
            k += 1
        }
        let end = gridValue(i + 1)
        return start < 1 ? startValue + (end - startValue) * (f - start) / (1 - start) : startValue
    }

    @usableFromInline
    func muAcrossEdgeInterval(_ i: Int, _ f: Double) -> PhotonMu {
        PhotonMu(total: valueInEdgeInterval(i, f, component: 0), photoelectric: valueInEdgeInterval(i, f, component: 1),
                 incoherent: valueInEdgeInterval(i, f, component: 2), coherent: valueInEdgeInterval(i, f, component: 3))
    }
}
