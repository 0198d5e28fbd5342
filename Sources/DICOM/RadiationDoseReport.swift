import HarmonicCore

/// Type of an irradiation event (CID 10002).
public enum IrradiationEventType: String, Sendable, Codable {
    case fluoroscopy, stationaryAcquisition = "stationary_acquisition",
         steppingAcquisition = "stepping_acquisition", rotationalAcquisition = "rotational_acquisition", other

    init(_ code: CodedConcept?) {
        switch code?.value {
        case "P5-06000", "44491008": self = .fluoroscopy
        case "113611": self = .stationaryAcquisition
        case "113612": self = .steppingAcquisition
        case "113613": self = .rotationalAcquisition
        default: self = .other
        }
    }
}

/// Acquisition plane (CID 10003).
public enum AcquisitionPlane: String, Sendable, Codable {
    case single, a, b, unknown
    init(_ code: CodedConcept?) {
        switch code?.value {
        case "113622": self = .single
        case "113620": self = .a
        case "113621": self = .b
        default: self = .unknown
        }
    }
}

/// One X-ray filter of an event (TID 10003 "X-Ray Filters").
public struct XRayFilter: Sendable, Equatable {
    public var type: String?
    public var material: String?
    public var thicknessMinimum: Centimetre?
    public var thicknessMaximum: Centimetre?
}

/// Origin of an event's collimated field values.
public enum CollimatedFieldSource: String, Sendable, Codable {
    /// Collimated Field Height/Width/Area (113788/113789/113790) of TID 10003A.
    case standard
    /// Derived from the Philips private shutter positions (`PhilipsPrivateConcepts`).
    case philipsShutters = "philips_shutters"
}

/// One irradiation event of a projection X-ray dose report (TID 10003), in SI-based units.
public struct IrradiationEvent: Sendable {
    public var uid: String?
    /// DateTime Started as DICOM DT text.
    public var dateTimeStarted: String?
    public var type: IrradiationEventType = .other
    public var plane: AcquisitionPlane = .unknown
    public var doseAreaProduct: GrayCm2?
    public var doseAtReferencePoint: Gray?
    public var primaryAngleDegrees: Double?
    public var secondaryAngleDegrees: Double?
    /// Mean of the KVP values reported (several per event in TID 10003A).
    public var kVp: KiloVolt?
    public var tubeCurrentMilliampere: Double?
    public var pulseWidthMilliseconds: Double?
    public var exposureTime: Seconds?
    public var irradiationDuration: Seconds?
    public var numberOfPulses: Double?
    public var filters: [XRayFilter] = []
    public var collimatedFieldArea: Double? // cm²
    /// Where the collimated field came from: the standard concepts, or Philips' private shutters.
    public var collimatedFieldSource: CollimatedFieldSource = .standard
    public var collimatedFieldHeight: Centimetre?
    public var collimatedFieldWidth: Centimetre?
    public var sourceToDetector: Centimetre?
    public var tableLongitudinal: Centimetre?
    public var tableLateral: Centimetre?
    public var tableHeight: Centimetre?
    public var targetRegion: String?
    public var acquisitionProtocol: String?
}

/// Accumulated totals of one plane (TID 10002).
public struct AccumulatedDose: Sendable {
    public var plane: AcquisitionPlane = .unknown
    public var doseAreaProductTotal: GrayCm2?
    public var doseAtReferencePointTotal: Gray?
    public var fluoroDoseAreaProductTotal: GrayCm2?
    public var fluoroDoseAtReferencePointTotal: Gray?
    public var totalFluoroTime: Seconds?
    public var acquisitionDoseAreaProductTotal: GrayCm2?
    public var acquisitionDoseAtReferencePointTotal: Gray?
    public var totalAcquisitionTime: Seconds?
    public var totalNumberOfRadiographicFrames: Double?
}

/// An X-Ray Radiation Dose SR (TID 10001) reduced to what dosimetry needs: device,
/// events and per-plane totals, with units normalised (Gy·cm², Gy, s, cm, degrees, kV, mA).
/// Concepts are matched by code value, never by meaning (GE misspells meanings).
public struct RadiationDoseReport: Sendable {
    public var sopInstanceUID: String?
    public var studyInstanceUID: String?
    public var patientID: String?
    public var manufacturer: String?
    public var modelName: String?
    public var events: [IrradiationEvent] = []
    public var accumulated: [AccumulatedDose] = []
    /// Has Intent modifier of Procedure Reported (TID 10001): diagnostic, therapeutic or combined.
    public var procedureIntent: CodedConcept?
    /// Measurements whose unit we could not convert: "concept code: unit code".
    public var unconvertedUnits: [String] = []

    public static let sopClassUID = "1.2.840.10008.5.1.4.1.1.88.67"

    /// Total DAP over planes (Gy·cm²).
    public var totalDoseAreaProduct: GrayCm2? {
        let v = accumulated.compactMap(\.doseAreaProductTotal?.value)
        return v.isEmpty ? nil : GrayCm2(v.reduce(0, +))
    }
    public var totalDoseAtReferencePoint: Gray? {
        let v = accumulated.compactMap(\.doseAtReferencePointTotal?.value)
        return v.isEmpty ? nil : Gray(v.reduce(0, +))
    }

    public init(file: DICOMFile) throws {
        let ds = file.dataSet
        let root = ContentItem(document: ds)
        guard root.conceptName?.value == "113701" || ds.string(.sopClassUID) == Self.sopClassUID else {
            throw InputError(.tag(file: ds.buffer.name, tag: "(0040,A043)", offset: ds.element(Tag(0x0040_A043))?.headerOffset ?? 0),
                             field: "ConceptNameCodeSequence", value: root.conceptName?.description ?? "none",
                             expected: "an X-Ray Radiation Dose Report (113701, DCM) document")
        }
        self.init(root: root)
        sopInstanceUID = ds.string(.sopInstanceUID)
        studyInstanceUID = ds.string(.studyInstanceUID)
        patientID = ds.string(.patientID)
        // Device Observer Manufacturer / Model Name (121014 / 121015, TID 1004) when the header lacks them.
        manufacturer = ds.string(.manufacturer) ?? root.child("121014")?.text
        modelName = ds.string(.manufacturerModelName) ?? root.child("121015")?.text
    }

    public init(root: ContentItem) {
        var unconverted: [String] = []
        func num(_ item: ContentItem?, _ convert: (String) -> Double?) -> Double? {
            guard let item, let v = item.numericValue else { return nil }
            let unit = item.unit?.value ?? ""
            guard let f = convert(unit) else {
                unconverted.append("\(item.conceptName?.value ?? "?"): \(unit)"); return nil
            }
            return v * f
        }
        // Has Intent: (G-C0E8, SRT) in older reports, (363703001, SCT) since SNOMED CT codes replaced SRT.
        procedureIntent = (root.find("G-C0E8") ?? root.find("363703001"))?.code
        for container in root.children("113702") {
            var acc = AccumulatedDose()
            acc.plane = AcquisitionPlane(container.find("113764")?.code)
            acc.doseAreaProductTotal = num(container.find("113722"), MeasurementUnit.toGrayCm2).map { GrayCm2($0) }
            acc.doseAtReferencePointTotal = num(container.find("113725"), MeasurementUnit.toGray).map { Gray($0) }
            acc.fluoroDoseAreaProductTotal = num(container.find("113726"), MeasurementUnit.toGrayCm2).map { GrayCm2($0) }
            acc.fluoroDoseAtReferencePointTotal = num(container.find("113728"), MeasurementUnit.toGray).map { Gray($0) }
            acc.totalFluoroTime = num(container.find("113730"), MeasurementUnit.toSeconds).map { Seconds($0) }
            acc.acquisitionDoseAreaProductTotal = num(container.find("113727"), MeasurementUnit.toGrayCm2).map { GrayCm2($0) }
            acc.acquisitionDoseAtReferencePointTotal = num(container.find("113729"), MeasurementUnit.toGray).map { Gray($0) }
            acc.totalAcquisitionTime = num(container.find("113855"), MeasurementUnit.toSeconds).map { Seconds($0) }
            acc.totalNumberOfRadiographicFrames = container.find("113731")?.numericValue
            accumulated.append(acc)
        }
        for item in root.children("113706") {
            var e = IrradiationEvent()
            e.uid = item.find("113769")?.uid
            e.dateTimeStarted = item.find("111526")?.dateTime
            e.type = IrradiationEventType(item.find("113721")?.code)
            e.plane = AcquisitionPlane(item.find("113764")?.code)
            e.acquisitionProtocol = item.find("125203")?.text
            e.doseAreaProduct = num(item.find("122130"), MeasurementUnit.toGrayCm2).map { GrayCm2($0) }
            e.doseAtReferencePoint = num(item.find("113738"), MeasurementUnit.toGray).map { Gray($0) }
            e.primaryAngleDegrees = num(item.find("112011"), MeasurementUnit.toDegrees)
            e.secondaryAngleDegrees = num(item.find("112012"), MeasurementUnit.toDegrees)
            let kvps = item.findAll("113733").compactMap { num($0, MeasurementUnit.toKilovolt) }
            e.kVp = kvps.isEmpty ? nil : KiloVolt(kvps.reduce(0, +) / Double(kvps.count))
            e.tubeCurrentMilliampere = num(item.find("113734"), MeasurementUnit.toMilliampere)
            e.pulseWidthMilliseconds = num(item.find("113793"), MeasurementUnit.toSeconds).map { $0 * 1000 }
            // Exposure Time is 113824; older reports (Siemens AXIOM-Artis) use 113735, which PS3.16
            // retired with the same meaning "Exposure Time".
            e.exposureTime = num(item.find("113824") ?? item.find("113735"), MeasurementUnit.toSeconds).map { Seconds($0) }
            e.irradiationDuration = num(item.find("113742"), MeasurementUnit.toSeconds).map { Seconds($0) }
            e.numberOfPulses = item.find("113768")?.numericValue
            e.filters = item.findAll("113771").map { f in
                XRayFilter(type: f.find("113772")?.code?.meaning, material: f.find("113757")?.code?.meaning,
                           thicknessMinimum: num(f.find("113758"), MeasurementUnit.toCentimetres).map { Centimetre($0) },
                           thicknessMaximum: num(f.find("113773"), MeasurementUnit.toCentimetres).map { Centimetre($0) })
            }
            e.collimatedFieldArea = num(item.find("113790"), MeasurementUnit.toSquareCentimetres)
            e.collimatedFieldHeight = num(item.find("113788"), MeasurementUnit.toCentimetres).map { Centimetre($0) }
            e.collimatedFieldWidth = num(item.find("113789"), MeasurementUnit.toCentimetres).map { Centimetre($0) }
            if e.collimatedFieldHeight == nil, e.collimatedFieldWidth == nil, e.collimatedFieldArea == nil,
               let field = PhilipsPrivateConcepts.collimatedField(item) {
                e.collimatedFieldWidth = field.width
                e.collimatedFieldHeight = field.height
                e.collimatedFieldArea = field.width.value * field.height.value
                e.collimatedFieldSource = .philipsShutters
            }
            e.sourceToDetector = num(item.find("113750"), MeasurementUnit.toCentimetres).map { Centimetre($0) }
            e.tableLongitudinal = num(item.find("113751"), MeasurementUnit.toCentimetres).map { Centimetre($0) }
            e.tableLateral = num(item.find("113752"), MeasurementUnit.toCentimetres).map { Centimetre($0) }
            e.tableHeight = num(item.find("113753"), MeasurementUnit.toCentimetres).map { Centimetre($0) }
            e.targetRegion = item.find("123014")?.code?.meaning
            events.append(e)
        }
        unconvertedUnits = unconverted
    }
}

extension ContentItem {
    /// First descendant (depth first) with this concept code value.
    public func find(_ code: String) -> ContentItem? {
        for c in children {
            if c.conceptName?.value == code { return c }
            if let d = c.find(code) { return d }
        }
        return nil
    }
    /// All descendants with this concept code value (not searching inside matches).
    public func findAll(_ code: String) -> [ContentItem] {
        var out: [ContentItem] = []
        for c in children {
            if c.conceptName?.value == code { out.append(c) } else { out += c.findAll(code) }
        }
        return out
    }
}
