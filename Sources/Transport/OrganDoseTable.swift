import Foundation
import HarmonicCore

/// Plain-text rendering of an `OrganDoseResult` (the `harmonic mc` table).
public enum OrganDoseTable {
    public static func render(_ r: OrganDoseResult, title: String) -> String {
        var lines = [title,
                     String(format: "%.3g histories in %.2f s; focus-skin %@ cm", Double(r.histories), r.wallSeconds,
                            r.focusToSkin.map { String(format: "%.1f", $0) } ?? "-"),
                     "",
                     "organ                     mGy/(Gy·cm²)   mGy/mGy ESAK   ±1σ %    mass g"]
        func pad(_ s: String, _ n: Int, left: Bool = false) -> String {
            s.count >= n ? s : (left ? s + String(repeating: " ", count: n - s.count) : String(repeating: " ", count: n - s.count) + s)
        }
        for d in r.organs {
            let sigma = d.relativeUncertainty.isFinite ? String(format: "%.1f", 100 * d.relativeUncertainty) : "-"
            lines.append(pad(d.organ.displayName, 25, left: true) + " "
                         + pad(d.perKAP.map { String(format: "%.4g", $0) } ?? "-", 12) + "   "
                         + pad(String(format: "%.4g", d.perAirKerma), 12) + "  " + pad(sigma, 6) + "  "
                         + pad(String(format: "%.1f", d.massGrams), 8))
        }
        lines.append("")
        lines.append(String(format: "effective dose ICRP 103 (phantom sex): %@ mSv/(Gy·cm²)  %.4g mSv/mGy ESAK  ±%.1f%%",
                            r.effectiveDose103PerKAP.map { String(format: "%.4g", $0) } ?? "-", r.effectiveDose103PerAirKerma,
                            100 * r.effectiveDose103RelativeUncertainty))
        lines.append(String(format: "effective dose ICRP 60:                 %@ mSv/(Gy·cm²)  %.4g mSv/mGy ESAK  ±%.1f%%",
                            r.effectiveDose60PerKAP.map { String(format: "%.4g", $0) } ?? "-", r.effectiveDose60PerAirKerma,
                            100 * r.effectiveDose60RelativeUncertainty))
        lines.append("ESAK: incident air kerma free in air at the skin entrance on the central ray, without backscatter.")
        if let sites = r.skeletalSites, let marrow = r.dose(.redMarrow), marrow.perAirKerma > 0 {
            // Where the red-marrow dose comes from: sites carrying at least 1% of it.
            lines.append("")
            lines.append("red marrow by skeletal site (ICRP 143)   % of marrow   % of marrow dose   site marrow mGy/mGy ESAK")
            for s in sites.sorted(by: { $0.activeMarrowFraction * $0.marrowPerAirKerma > $1.activeMarrowFraction * $1.marrowPerAirKerma }) {
                let share = s.activeMarrowFraction * s.marrowPerAirKerma / marrow.perAirKerma
                guard share >= 0.01 else { continue }
                lines.append(pad(s.site.displayName, 40, left: true) + pad(String(format: "%.1f", 100 * s.activeMarrowFraction), 12)
                             + pad(String(format: "%.1f", 100 * share), 19) + pad(String(format: "%.4g", s.marrowPerAirKerma), 27))
            }
            lines.append(r.marrowResponse == MarrowResponse.photoelectronEnhanced.rawValue
                         ? "marrow response: marrow kerma × the trabeculae's photoelectron enhancement (chord model; not the validated default)"
                         : "marrow response: marrow kerma in the spongiosa fluence (Cristy & Eckerman 1987; the method of Chang et al. 2017)")
        }
        return lines.joined(separator: "\n")
    }
}
