import HarmonicCore

/// One cardiac procedure as dose monitoring sees it: who (age, weight), where (site, hospital,
/// X-ray system), what (procedure type and class), when, and its recorded dose indicators.
/// Built from the registry by `RegistryStore.procedureDoses()`; the unit of reference levels,
/// benchmarking, alerts and the KAP factor model.
public struct ProcedureDose: Sendable, Hashable {
    /// Site (country) code of the registry, e.g. "NO".
    public var site: String
    /// The child: `SITE/pseudonym`, never a site identifier.
    public var child: String
    /// `SITE/site_procedure_id`.
    public var procedure: String
    public var date: CalendarDate
    /// Hospital code as the site records it (unique within the site).
    public var hospital: String
    /// Manufacturer and model of the X-ray system, when recorded.
    public var equipment: String?
    /// `cardiac_procedures.procedure_type` (e.g. `asd_closure`).
    public var procedureType: String
    /// `diagnostic` or `interventional`.
    public var procedureClass: String
    public var ageYears: Double
    public var weightKg: Double?
    /// Total kerma-area product (Gy·cm²), when recorded.
    public var kapGyCm2: Double?
    public var fluoroTimeS: Double?
    public var cineFrames: Double?
    /// Organ doses of the procedure from the dose reconstruction (mGy; effective dose in mSv under
    /// the key `effective_dose_msv`), when it has run. Keys are `procedure_organ_dose` columns.
    public var organDoses: [String: Double]

    public init(site: String, child: String, procedure: String, date: CalendarDate, hospital: String, equipment: String?,
                procedureType: String, procedureClass: String, ageYears: Double, weightKg: Double?, kapGyCm2: Double?,
                fluoroTimeS: Double? = nil, cineFrames: Double? = nil, organDoses: [String: Double] = [:]) {
        self.site = site; self.child = child; self.procedure = procedure; self.date = date; self.hospital = hospital
        self.equipment = equipment; self.procedureType = procedureType; self.procedureClass = procedureClass
        self.ageYears = ageYears; self.weightKg = weightKg; self.kapGyCm2 = kapGyCm2
        self.fluoroTimeS = fluoroTimeS; self.cineFrames = cineFrames; self.organDoses = organDoses
    }

    /// The hospital as benchmarked across sites: hospital codes are unique only within a site.
    public var hospitalKey: String { hospital.uppercased().hasPrefix(site.uppercased()) ? hospital : "\(site)/\(hospital)" }

    /// KAP per kg of body weight (Gy·cm²/kg), when both are recorded.
    public var kapPerKg: Double? {
        guard let kapGyCm2, let weightKg, weightKg > 0 else { return nil }
        return kapGyCm2 / weightKg
    }

    /// The band of `kind` this child falls in at the procedure (nil outside every band or without a weight).
    public func band(_ kind: BandKind) -> PatientBand? {
        switch kind {
        case .age: PatientBand.band(.age, containing: ageYears)
        case .weight: weightKg.flatMap { PatientBand.band(.weight, containing: $0) }
        }
    }
}
