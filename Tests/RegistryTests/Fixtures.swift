import Foundation
import GRDB
import HarmonicTestSupport
@testable import Registry

/// A small valid site extract (Norway) that tests then spoil one field at a time.
enum Fixture {
    static let keyNO = try! Pseudonymiser(keyBytes: Array(repeating: 7, count: 32))
    static let keyBE = try! Pseudonymiser(keyBytes: Array(repeating: 9, count: 32))

    static let patients = """
    site_patient_id,country,sex,birth_date,cohort,predisposing_condition,vital_status,emigration_date,last_contact_date,death_date
    P1,NO,M,2001-03-04,cardiac,none,alive,,2020-12-31,
    P2,NO,F,1995-06,cardiac,down_syndrome,dead,,2010-05-01,2010-05-01
    """
    static let procedures = """
    site_procedure_id,site_patient_id,procedure_date,hospital,procedure_type,procedure_class,weight_kg,height_cm,kap_gycm2,ref_air_kerma_mgy,fluoro_time_s,cine_runs,cine_frames,equipment,dose_record_level
    C1,P1,2005-01-10,OUS,asd_closure,interventional,18.5,110,4.2,55,600,4,300,Siemens Artis,event
    C2,P2,1999-02-01,OUS,diagnostic,diagnostic,12,90,2.5,,420,3,,,totals
    """
    static let events = """
    event_uid,site_procedure_id,event_datetime,event_type,plane,kap_gycm2,ref_air_kerma_mgy,primary_angle_deg,secondary_angle_deg,kvp,tube_current_ma,pulse_width_ms,exposure_time_s,pulses,filter_material,filter_thickness_mm,field_area_cm2,field_height_mm,field_width_mm,source_detector_distance_mm,table_longitudinal_mm,table_lateral_mm,table_height_mm,target_region
    1.2.3.1,C1,2005-01-10T10:00:00,fluoroscopy,a,1.5,20,30,0,70,12,5,300,4500,copper,0.2,200,140,140,1000,0,0,800,chest
    1.2.3.2,C1,2005-01-10T10:20:00,stationary_acquisition,b,2.7,35,-90,0,75,200,6,5,90,copper,0.1,200,140,140,1000,0,0,800,chest
    """
    static let outcomes = """
    outcome_id,site_patient_id,diagnosis_date,topography,morphology,behaviour,basis_of_diagnosis,source_registry
    O1,P1,2015-04-01,C42.1,9861/3,3,7,Cancer Registry of Norway
    """

    /// Writes `files` (table name -> CSV text) into a fresh directory and returns the file paths.
    static func write(_ files: [String: String], in dir: URL? = nil) throws -> [String] {
        let d = try dir ?? SharedData.temporaryDirectory("registry-test")
        return try files.map { name, text in
            let url = d.appendingPathComponent(name + ".csv")
            try (text + "\n").write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }
    }

    /// A record id of the fixture site as the store holds it: its keyed hash under `key`, with the
    /// column name prefixed (`Pseudonymiser.pseudonym(for:column:)`).
    static func keyed(_ raw: String, _ column: String, key: Pseudonymiser = keyNO) -> String { key.pseudonym(for: raw, column: column) }

    /// Stored (keyed) id → raw id, for the raw ids `candidates` of identifier column `column`.
    static func rawIDs(_ candidates: [String], column: String) -> [String: String] {
        Dictionary(uniqueKeysWithValues: candidates.map { (keyed($0, column), $0) })
    }

    /// `rows` (first column: a stored record id) in the order of the raw ids `raw`.
    static func ordered(_ rows: [[DatabaseValue]], as raw: [String], column: String) -> [[DatabaseValue]] {
        let position = Dictionary(uniqueKeysWithValues: raw.enumerated().map { (keyed($1, column), $0) })
        return rows.sorted { (position[$0.string(0) ?? ""] ?? .max) < (position[$1.string(0) ?? ""] ?? .max) }
    }

    /// A fresh store of the kind the running test case was given (`StoreKind.current`).
    static func store(role: Role = .dataManager(site: "NO")) throws -> RegistryStore { try StoreKind.current.makeStore(role: role) }

    @discardableResult
    static func load(_ store: RegistryStore, _ files: [String: String], key: Pseudonymiser = keyNO, site: String = "NO") throws -> LoadReport {
        try store.ingest(files: try write(files), site: site, pseudonymiser: key, user: "tester")
    }

    /// Every data row and quarantine entry of the store, as text, for before/after comparisons.
    static func snapshot(_ store: RegistryStore) throws -> [String] {
        try store.backend.read { db in
            var out: [String] = []
            for t in DataDictionary.tables {
                let columns = ["site"] + t.columns.map { RegistrySchema.storeColumn($0.name) }
                out += try db.fetch("SELECT \(columns.map(SQLDialect.quote).joined(separator: ", ")) FROM \(t.name) ORDER BY 1, 2").map { row in
                    "\(t.name) " + zip(columns, row).map { "\($0):\(text($1))" }.joined(separator: " ")
                }
            }
            out += try db.fetch("SELECT site, table_name, row_key, field, value, reason FROM quarantine ORDER BY 1,2,3,4").map { $0.map(text).joined(separator: " ") }
            return out
        }
    }

    /// A stored value as text, the same on both stores (integers without a decimal point).
    static func text(_ v: DatabaseValue) -> String {
        switch v.storage {
        case .null: "NULL"
        case .int64(let i): String(i)
        case .double(let d): String(d)
        case .string(let s): "'\(s)'"
        case .blob(let b): "blob(\(b.count))"
        }
    }

    /// The procedures CSV with one field of row C1 replaced.
    static func procedures(setting column: String, to value: String) -> String { replace(procedures, row: 1, column: column, value: value) }

    static func replace(_ csv: String, row: Int, column: String, value: String) -> String {
        replace(csv, row: row, [column: value])
    }

    /// The CSV with several fields of one data row (`row` 1 = the first after the header) replaced.
    static func replace(_ csv: String, row: Int, _ values: [String: String]) -> String {
        var lines = csv.split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var fields = lines[row].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        for (column, value) in values { fields[header.firstIndex(of: column)!] = value }
        lines[row] = fields.joined(separator: ",")
        return lines.joined(separator: "\n")
    }
}
