import Foundation
import HarmonicCore

/// A fast writer of valid site-extract CSVs (patients, cardiac procedures, irradiation events)
/// in the data dictionary's layout, for the ingest benchmark only; the realistic cohort is
/// `harmonic synth`. Seeded, so every run writes the same bytes.
struct BenchExtractWriter {
    let children: Int
    let folder: String

    final class Out {
        let handle: FileHandle
        var buffer: [UInt8] = []
        init(_ path: String, header: String) throws {
            FileManager.default.createFile(atPath: path, contents: nil)
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            line(header)
        }
        func line(_ s: String) {
            buffer.append(contentsOf: s.utf8); buffer.append(10)
            if buffer.count > 1 << 20 { flush() }
        }
        func flush() { handle.write(Data(buffer)); buffer.removeAll(keepingCapacity: true) }
        func close() throws { flush(); try handle.close() }
    }

    func write() throws -> Int {
        var rng = RandomStream(seed: 2026)
        let patients = try Out(folder + "/patients.csv", header: "site_patient_id,country,sex,birth_date,cohort,predisposing_condition,vital_status,emigration_date,last_contact_date,death_date")
        let procs = try Out(folder + "/cardiac_procedures.csv", header: "site_procedure_id,site_patient_id,procedure_date,hospital,procedure_type,procedure_class,weight_kg,height_cm,kap_gycm2,ref_air_kerma_mgy,fluoro_time_s,cine_runs,cine_frames,equipment,dose_record_level")
        let events = try Out(folder + "/irradiation_events.csv", header: "event_uid,site_procedure_id,event_datetime,event_type,plane,kap_gycm2,ref_air_kerma_mgy,primary_angle_deg,secondary_angle_deg,kvp,tube_current_ma,pulse_width_ms,exposure_time_s,pulses,filter_material,filter_thickness_mm,field_area_cm2,field_height_mm,field_width_mm,source_detector_distance_mm,table_longitudinal_mm,table_lateral_mm,table_height_mm,target_region")
        let types = ["diagnostic", "asd_closure", "pda_closure", "balloon_valvuloplasty", "balloon_angioplasty", "stent", "ablation", "biopsy"]
        var rows = 0, procID = 0, eventID = 0
        for child in 0..<children {
            let birth = CalendarDate(dayNumber: CalendarDate(year: 1960, month: 1, day: 1)!.dayNumber + Int(rng.uniform() * 21_900))
            let last = CalendarDate(year: 2022, month: 12, day: 31)!
            patients.line("N\(child),NO,\(rng.uniform() < 0.5 ? "M" : "F"),\(birth),cardiac,none,alive,,\(last),")
            rows += 1
            // ~2.17 procedures per child (issue 2: ~150,000 for 70,000 children), 1976-2020, ages 0-17
            let n = 1 + Int(rng.uniform() * 3.28)
            let first = max(birth.dayNumber, CalendarDate(year: 1976, month: 1, day: 1)!.dayNumber)
            let lastDay = min(birth.dayNumber + Int(17 * 365.25), CalendarDate(year: 2020, month: 12, day: 31)!.dayNumber)
            for _ in 0..<(lastDay > first ? n : 0) {
                let date = CalendarDate(dayNumber: first + Int(rng.uniform() * Double(lastDay - first)))
                let ageDays = date.dayNumber - birth.dayNumber
                procID += 1
                let age = Double(ageDays) / 365.25
                let weight = 3.5 + 3.2 * age
                let kap = weight * (0.05 + 0.4 * rng.uniform())
                let level = date.year >= 2005 ? "event" : date.year >= 1990 ? "totals" : "none"
                let type = types[Int(rng.uniform() * Double(types.count))]
                procs.line("S\(procID),N\(child),\(date),OUS,\(type),\(type == "diagnostic" ? "diagnostic" : "interventional"),\(String(format: "%.1f", weight)),\(Int(50 + 7 * age)),\(level == "none" ? "" : String(format: "%.3f", kap)),\(String(format: "%.1f", kap * 12)),\(Int(300 + 900 * rng.uniform())),\(Int(2 + 10 * rng.uniform())),,Siemens Artis,\(level)")
                rows += 1
                guard level == "event" else { continue }
                let m = 60 + Int(rng.uniform() * 80)   // RDSRs of pulsed fluoroscopy: ~100 events per procedure
                for e in 0..<m {
                    eventID += 1
                    let fluoro = e % 3 != 0
                    events.line("1.2.826.0.1.3680043.9.\(eventID),S\(procID),\(date)T\(10 + e / 60):\(e % 60 < 10 ? "0" : "")\(e % 60):00,\(fluoro ? "fluoroscopy" : "stationary_acquisition"),a,\(String(format: "%.4f", kap / Double(m))),\(String(format: "%.2f", kap * 12 / Double(m))),\(Int(rng.uniform() * 180) - 90),\(Int(rng.uniform() * 60) - 30),\(60 + Int(rng.uniform() * 30)),\(fluoro ? 12 : 250),\(fluoro ? 5 : 6),\(fluoro ? 20 : 4),\(fluoro ? 300 : 60),copper,\(fluoro ? "0.2" : "0.1"),\(100 + Int(rng.uniform() * 200)),150,150,1000,-120,0,850,chest")
                    rows += 1
                }
            }
        }
        try patients.close(); try procs.close(); try events.close()
        return rows
    }
}
