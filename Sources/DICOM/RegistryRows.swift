/// Dose report → rows in the registry's `irradiation_events` column names and units
/// (kap_gycm2, ref_air_kerma_mgy, mm for lengths), so `RegistryStore.load(rows:into:...)` can take
/// them without the registry knowing DICOM. Values are plain decimal text; absent values are omitted.
extension RadiationDoseReport {
    public func irradiationEventRows(siteProcedureID: String) -> [[String: String]] {
        events.enumerated().map { i, e in
            var row: [String: String] = ["site_procedure_id": siteProcedureID,
                                         "event_uid": e.uid ?? "\(sopInstanceUID ?? siteProcedureID).event\(i + 1)"]
            if let dt = e.dateTimeStarted.flatMap(DICOMDateTime.isoDateTime) { row["event_datetime"] = dt }
            if e.type != .other { row["event_type"] = e.type.rawValue }
            if e.plane != .unknown { row["plane"] = e.plane.rawValue }
            func put(_ key: String, _ v: Double?) { if let v, v.isFinite { row[key] = String(v) } }
            put("kap_gycm2", e.doseAreaProduct?.value)
            put("ref_air_kerma_mgy", e.doseAtReferencePoint?.milligray)
            put("primary_angle_deg", e.primaryAngleDegrees)
            put("secondary_angle_deg", e.secondaryAngleDegrees)
            put("kvp", e.kVp?.value)
            put("tube_current_ma", e.tubeCurrentMilliampere)
            put("pulse_width_ms", e.pulseWidthMilliseconds)
            put("exposure_time_s", e.exposureTime?.value ?? e.irradiationDuration?.value)
            if let n = e.numberOfPulses, n.isFinite { row["pulses"] = String(Int(n.rounded())) }
            // One filter column in the registry: the copper filter if any (it dominates hardening), else the first.
            if let f = e.filters.first(where: { ($0.material ?? "").lowercased().contains("copper") }) ?? e.filters.first {
                let m = (f.material ?? "").lowercased()
                row["filter_material"] = m.contains("copper") ? "copper" : m.contains("alumin") ? "aluminum"
                    : m.contains("molybden") ? "molybdenum" : m.isEmpty ? "other" : "other"
                put("filter_thickness_mm", (f.thicknessMaximum ?? f.thicknessMinimum)?.millimetre)
            }
            put("field_area_cm2", e.collimatedFieldArea)
            put("field_height_mm", e.collimatedFieldHeight?.millimetre)
            put("field_width_mm", e.collimatedFieldWidth?.millimetre)
            put("source_detector_distance_mm", e.sourceToDetector?.millimetre)
            put("table_longitudinal_mm", e.tableLongitudinal?.millimetre)
            put("table_lateral_mm", e.tableLateral?.millimetre)
            put("table_height_mm", e.tableHeight?.millimetre)
            if let t = e.targetRegion { row["target_region"] = t }
            return row
        }
    }
}

extension DICOMDateTime {
    /// DT "YYYYMMDDHHMMSS[.F][&ZZXX]" → "YYYY-MM-DDTHH:MM:SS" (fraction and offset dropped).
    public static func isoDateTime(_ text: String) -> String? {
        let digits = Array(text.prefix { $0.isNumber })
        guard digits.count >= 8 else { return nil }
        let padded = digits + Array(repeating: Character("0"), count: max(0, 14 - digits.count))
        let s = String(padded.prefix(14))
        func part(_ a: Int, _ n: Int) -> Substring { s.dropFirst(a).prefix(n) }
        return "\(part(0, 4))-\(part(4, 2))-\(part(6, 2))T\(part(8, 2)):\(part(10, 2)):\(part(12, 2))"
    }
}
