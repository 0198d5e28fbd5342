import Crypto
import Foundation
import HarmonicCore

/// Keyed pseudonyms for site patient identifiers: hex HMAC-SHA-256 (RFC 2104, FIPS 198-1) of
/// the identifier's UTF-8 bytes under a per-site secret key kept outside the store. The same
/// child gets the same pseudonym in every load and from DICOM PatientID; without the key the
/// pseudonym cannot be linked back, and two sites' keys give unrelated pseudonyms.
public struct Pseudonymiser: @unchecked Sendable {
    /// The HMAC state after the key (RFC 2104's inner pad), copied for each pseudonym so the key
    /// schedule is not redone per identifier (ingest hashes one or two identifiers per row). A value
    /// type never mutated in place: safe to share across threads.
    private let keyed: HMAC<SHA256>

    /// Minimum key length: 32 bytes, the HMAC-SHA-256 block-strength recommendation of RFC 2104 §3.
    public static let keyLength = 32

    public init(keyBytes: [UInt8]) throws {
        guard keyBytes.count >= Self.keyLength else {
            throw InputError(.file("site key"), expected: "a site key of at least \(Self.keyLength) bytes (found \(keyBytes.count))")
        }
        keyed = HMAC<SHA256>(key: SymmetricKey(data: keyBytes))
    }

    /// Reads a key file written by `Pseudonymiser.writeNewKey(to:)` (64 hex characters) or raw bytes.
    public init(keyFile path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(.file(path), expected: "a readable site key file (create one with `harmonic ingest --new-key FILE`)")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingWhitespace()
        if let bytes = Self.bytes(fromHex: text) { try self.init(keyBytes: bytes) } else { try self.init(keyBytes: [UInt8](data)) }
    }

    /// The pseudonym of a site identifier: 64 lower-case hex characters.
    public func pseudonym(for siteIdentifier: String) -> String { mac(siteIdentifier.trimmingWhitespace()) }

    /// The keyed hash of a value of any identifier column (`course_id`, `imaging_id`, `sample_id`,
    /// `site_procedure_id`, `event_uid`, ...): the same HMAC, with the column name prefixed
    /// (domain separation), so a record identifier that happens to equal a patient identifier
    /// does not give the patient's pseudonym. `site_patient_id` gives `pseudonym(for:)` itself.
    /// Every column that references another table's identifier has the same name, so references
    /// hash to the referenced key.
    /// The message is the column name, U+001F and the value with its surrounding white space removed.
    public func pseudonym(for value: String, column: String) -> String {
        column == "site_patient_id" ? pseudonym(for: value) : mac(column, "\u{1F}", value.trimmingWhitespace())
    }

    /// Hex HMAC of the concatenated UTF-8 of `parts`, from a copy of the keyed state.
    private func mac(_ parts: String...) -> String {
        var h = keyed
        for var part in parts { part.withUTF8 { h.update(data: UnsafeRawBufferPointer($0)) } }
        return Self.hex(Array(h.finalize()))
    }

    /// Every site key of a folder, one file per site named by its two-letter code (`NO.key`,
    /// `FR.key`: the files `harmonic ingest --new-key` writes), by upper-case site code. Other
    /// files are ignored; an unreadable or short key file is an error naming it.
    public static func siteKeys(inFolder directory: String) throws -> [String: Pseudonymiser] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
            throw InputError(.file(directory), expected: "a folder of site key files (NO.key, FR.key: harmonic ingest --new-key)")
        }
        var keys: [String: Pseudonymiser] = [:]
        for name in names where name.lowercased().hasSuffix(".key") {
            let site = String(name.dropLast(4)).uppercased()
            guard site.count == 2, site.allSatisfy({ $0.isASCII && $0.isLetter }) else { continue }
            keys[site] = try Pseudonymiser(keyFile: (directory as NSString).appendingPathComponent(name))
        }
        return keys
    }

    /// Writes a new key of 32 random bytes (system CSPRNG) as hex, readable only by the owner.
    /// Refuses to overwrite an existing file, which would orphan every pseudonym made with it.
    public static func writeNewKey(to path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw InputError(.file(path), expected: "a new file name: refusing to overwrite an existing site key")
        }
        let key = SymmetricKey(size: .bits256)
        let bytes = key.withUnsafeBytes { Array($0) }
        guard FileManager.default.createFile(atPath: path, contents: Data((hex(bytes) + "\n").utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw InputError(.file(path), expected: "a writable location for the site key")
        }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8](); out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    static func bytes(fromHex text: String) -> [UInt8]? {
        let u = Array(text.utf8)
        guard u.count >= 2 * keyLength, u.count % 2 == 0 else { return nil }
        func v(_ c: UInt8) -> UInt8? {
            switch c { case 48...57: c - 48; case 97...102: c - 87; case 65...70: c - 55; default: nil }
        }
        var out = [UInt8]()
        var i = 0
        while i < u.count { guard let hi = v(u[i]), let lo = v(u[i + 1]) else { return nil }; out.append(hi << 4 | lo); i += 2 }
        return out
    }
}
