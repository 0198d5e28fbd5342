import Foundation
import HarmonicCore

/// Out-of-field dose at one point per Gy of prescribed target dose, by component.
public struct OutOfFieldDose: Sendable, Equatable {
    /// Photons scattered in the patient (for protons: secondary photons), Gy/Gy.
    public var patientScatter: Double = 0
    /// Photon head scatter and leakage through the treatment head, Gy/Gy.
    public var headScatterLeakage: Double = 0
    /// Secondary-neutron absorbed dose (Gy/Gy) and dose equivalent (Sv/Gy).
    public var neutronAbsorbed: Double = 0, neutronEquivalent: Double = 0
    /// Absorbed dose of all components, Gy/Gy.
    public var absorbed: Double { patientScatter + headScatterLeakage + neutronAbsorbed }
}

/// An analytical out-of-field model: dose per Gy of prescribed dose against the distance from
/// the field edge (cm).
public protocol OutOfFieldModel: Sendable {
    func dose(distanceFromEdgeCm d: Double) -> OutOfFieldDose
    /// Geometric standard deviations of the model's components (patient scatter, head scatter
    /// and leakage, neutrons), the model uncertainty that sets the 95% intervals.
    var uncertainty: ComponentUncertainty { get }
    /// One line naming the model and its source, for reports.
    var label: String { get }
}

/// Geometric standard deviations of dose components (1 = exact).
public struct ComponentUncertainty: Sendable, Equatable {
    public var inField: Double, patientScatter: Double, headScatterLeakage: Double, neutron: Double
    /// In-field dose of a planning system: 3% one standard deviation (the ±5% accuracy goal of
    /// ICRU Report 24 read as a 95% range, and IAEA TRS-430 section 1).
    public static let planningSystemGSD = 1.03
}

/// A parameter table of Sources/RTDose/Resources (`parameter,value,unit`, `#` comment header
/// that gives the source).
public struct ModelParameters: Sendable {
    public let file: String
    public let values: [String: Double]

    public static let photonFile = "photon_out_of_field.csv", protonFile = "proton_secondary.csv"

    public static func resource(_ name: String) throws -> ModelParameters {
        try ModelParameters(contentsOf: RTDoseResources.url(name))
    }

    public init(contentsOf url: URL) throws {
        file = url.lastPathComponent
        var v: [String: Double] = [:]
        let text = try String(contentsOf: url, encoding: .utf8)
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("#") || line.hasPrefix("parameter,") || line.allSatisfy(\.isWhitespace) { continue }
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count >= 2, let x = Double(f[1].trimmingCharacters(in: .whitespaces)), x.isFinite else {
                throw InputError(.row(file: url.lastPathComponent, line: i + 1), field: "value", value: String(line),
                                 expected: "parameter,value,unit with a finite number")
            }
            v[String(f[0])] = x
        }
        values = v
    }

    public subscript(_ key: String) -> Double {
        get throws {
            guard let x = values[key] else {
                throw InputError(.file(file), field: key, expected: "a row for parameter '\(key)'")
            }
            return x
        }
    }
}

/// Photon out-of-field model (`photon_out_of_field.csv`): patient scatter falling exponentially
/// with distance from the field edge and growing with field size, head scatter falling more
/// slowly, and leakage flat in distance and proportional to monitor units per Gy, so that a
/// modulated plan (IMRT, VMAT: 2-4 times the MU of a conformal plan) gets more leakage
/// (Hauri et al. 2016; Kry et al. 2005; AAPM TG-158).
public struct PhotonOutOfFieldModel: OutOfFieldModel {
    public let ps: (a: Double, b: Double, c: Double)
    public let hs: (a: Double, b: Double)
    public let leakage: Double
    public let uncertainty: ComponentUncertainty
    public let label: String

    /// - Parameters: equivalent square field side (cm); monitor units per Gy of prescribed dose
    ///   (nil: the reference `mu_ref`, as for a conformal plan).
    public init(parameters p: ModelParameters,
                equivalentSquareCm: Double, monitorUnitsPerGy: Double?) throws {
        let s = max(1, equivalentSquareCm)
        let aps = try p["a_ps"], bps = try p["b_ps"], cps = try p["c_ps"], ahs = try p["a_hs"], bhs = try p["b_hs"]
        let l0 = try p["l_0"], muRef = try p["mu_ref"]
        ps = (aps * pow(s / 10, cps), bps, cps)
        hs = (ahs, bhs)
        leakage = l0 * (monitorUnitsPerGy ?? muRef) / muRef
        uncertainty = ComponentUncertainty(inField: ComponentUncertainty.planningSystemGSD,
                                           patientScatter: try p["gsd_patient_scatter"],
                                           headScatterLeakage: try p["gsd_head_leakage"], neutron: 1)
        label = "photon out-of-field: patient scatter + head scatter + MU-scaled leakage (TG-158 form; \(p.file))"
    }

    public func dose(distanceFromEdgeCm d: Double) -> OutOfFieldDose {
        let x = max(0, d)
        return OutOfFieldDose(patientScatter: ps.a * exp(-ps.b * x), headScatterLeakage: hs.a * exp(-hs.b * x) + leakage)
    }
}

/// Proton secondary-radiation model (`proton_secondary.csv`): neutrons and photons produced by
/// nuclear interactions of the protons in the patient, from a point source at the target centre
/// whose strength grows with the target mass (protons needed per Gy). Neutrons: inverse square and
/// exponential attenuation, passive scattering adding the nozzle neutrons (Yan et al. 2002); the form
/// of the analytical leakage-neutron model of Schneider, Newhauser & Farah, Cancers 7:795-810, 2015
/// (doi:10.3390/cancers7020795; within 10% of Monte Carlo, 15% of measurement). Photons: prompt gammas of the
/// non-elastic interactions and 2.2 MeV neutron-capture photons through a water point kernel with
/// build-up (`ProtonSecondaryPhotons`).
public struct ProtonSecondaryModel: OutOfFieldModel {
    let protonsPerGy: Double, radiusCm: Double
    let groups: [(fraction: Double, lambda: Double, h: Double)]
    let yn: Double, wR: Double
    let photons: ProtonSecondaryPhotons
    let nozzleH50: Double
    public let uncertainty: ComponentUncertainty
    public let label: String

    /// - Parameters: target (field) volume in cm³; passive scattering or scanning; the water-like
    ///   body around the target (three box sides, cm) that moderates and captures the neutrons
    ///   (nil: the patient trunk of the `body_*` rows).
    public init(parameters p: ModelParameters,
                targetVolumeCm3: Double, technique: Technique, bodyCm: [Double]? = nil) throws {
        let massKg = max(1, targetVolumeCm3) / 1000
        protonsPerGy = massKg / (try p["epsilon"] * 1.602_176_634e-13)
        radiusCm = pow(3 * max(1, targetVolumeCm3) / (4 * Double.pi), 1.0 / 3)
        groups = [(try p["f_evaporation"], try p["lambda_evaporation"], try p["h_evaporation"]),
                  (try p["f_cascade"], try p["lambda_cascade"], try p["h_cascade"])]
        yn = try p["y_n"]; wR = try p["w_r"]
        let interactions = protonsPerGy * ProtonSecondaryPhotons.nonElasticProbability(rangeCm: try p["range_mean"], beta: try p["beta_ne"])
        let body = try bodyCm ?? [p["body_lateral"], p["body_ap"], p["body_length"]]
        let captured = protonsPerGy * yn * groups[0].fraction
            * ProtonSecondaryPhotons.captureProbability(boxCm: body, ageCm2: try p["tau_water"], diffusionLengthCm: try p["l_water"])
        photons = ProtonSecondaryPhotons(lines: [
            .init(photonsPerGy: interactions * (try p["pg_per_interaction"]), kernel: PhotonPointKernel(energyMeV: try p["pg_energy"])),
            .init(photonsPerGy: captured, kernel: PhotonPointKernel(energyMeV: ProtonSecondaryPhotons.captureEnergyMeV)),
        ])
        nozzleH50 = technique == .passiveScattering ? try p["ps_h50"] : 0
        uncertainty = ComponentUncertainty(inField: ComponentUncertainty.planningSystemGSD,
                                           patientScatter: try p["gsd_photon"], headScatterLeakage: 1,
                                           neutron: try p["gsd_neutron"])
        label = "proton secondary radiation: in-patient neutrons and photons from the target\(technique == .passiveScattering ? " + nozzle neutrons" : "") (\(p.file))"
    }

    public func dose(distanceFromEdgeCm d: Double) -> OutOfFieldDose {
        let x = max(0, d), r = x + radiusCm
        let geometry = 1 / (4 * Double.pi * r * r)
        var h = 0.0
        for g in groups { h += protonsPerGy * yn * g.fraction * exp(-x / g.lambda) * geometry * g.h }
        // Nozzle neutrons: inverse square from the 50 cm reference, held constant inside 25 cm
        // (the nozzle is upstream, so the dose near the isocentre does not diverge).
        if nozzleH50 > 0 { let q = 50 / max(r, 25); h += nozzleH50 * q * q }
        return OutOfFieldDose(patientScatter: photons.dose(atCm: r), headScatterLeakage: 0, neutronAbsorbed: h / wR, neutronEquivalent: h)
    }
}
