import HarmonicCore

/// How procedures are grouped before their doses are compared: by class (diagnostic against
/// interventional, as published paediatric cardiology DRLs are set) or by the procedure type.
public enum ProcedureGrouping: String, Sendable, Codable, CaseIterable {
    case procedureClass = "class"
    case procedureType = "type"
}

/// Settings of a reference-level table.
public struct ReferenceLevelOptions: Sendable, Codable {
    /// A hospital's median enters the DRL only with at least this many procedures in the group.
    /// ICRP Publication 135 (2017), para 108-110: a facility median needs enough patients to be
    /// stable (at least 10-20 per room for children's examinations is usual practice); smaller
    /// hospitals are still listed, marked as not used.
    public var minProceduresPerHospital: Int = 10
    public var groupings: [ProcedureGrouping] = [.procedureClass, .procedureType]
    public var bandKinds: [BandKind] = [.age, .weight]
    public init(minProceduresPerHospital: Int = 10, groupings: [ProcedureGrouping] = [.procedureClass, .procedureType],
                bandKinds: [BandKind] = [.age, .weight]) {
        self.minProceduresPerHospital = minProceduresPerHospital; self.groupings = groupings; self.bandKinds = bandKinds
    }
}

/// One facility (a hospital, or one X-ray system of a hospital) in one group.
public struct FacilitySummary: Sendable, Codable, Hashable {
    public var hospital: String
    /// The X-ray system, for per-system rows; nil for the hospital as a whole.
    public var equipment: String?
    public var procedures: Int
    /// Median KAP (Gy·cm²) of the facility's procedures in the group.
    public var medianKAPGyCm2: Double
    /// Median KAP per kg (Gy·cm²/kg) of those with a recorded weight.
    public var medianKAPPerKg: Double?
    /// True when `procedures` ≥ the minimum, so the median entered the DRL.
    public var usedForDRL: Bool
    /// Median / local DRL of the group (nil when the group has none).
    public var ratioToDRL: Double?
    /// The facility's median exceeds the local DRL: ICRP 135 asks for a review of its practice.
    public var aboveDRL: Bool
}

/// Median KAP of one calendar year in a group.
public struct YearPoint: Sendable, Codable, Hashable {
    public var year: Int
    public var procedures: Int
    public var medianKAPGyCm2: Double
}

/// A published value set beside this registry's figure for the same group.
public struct PublishedComparison: Sendable, Codable, Hashable {
    public var source: String
    public var citation: String
    /// `p75` (a DRL: compared with the local DRL) or `median` (compared with the achievable dose).
    public var quantity: String
    public var publishedBand: String
    /// False when the published band only lies inside this group's band (e.g. 0-30 days within <1 y).
    public var sameBand: Bool
    public var publishedGyCm2: Double
    public var oursGyCm2: Double?
    public var ratio: Double?
}

/// Reference levels of one group: a procedure class or type in one age or weight band.
public struct ReferenceLevelGroup: Sendable, Codable {
    public var grouping: ProcedureGrouping
    /// Class (`diagnostic`, `interventional`, `all`) or type code.
    public var procedure: String
    public var band: PatientBand
    public var bandLabel: String
    public var procedures: Int
    public var hospitalsUsed: Int
    /// Local DRL: the 75th percentile of the used hospital medians (ICRP 135, para 52 and 110), Gy·cm².
    public var localDRLGyCm2: Double?
    /// Achievable dose: the 50th percentile of the same medians (NCRP Report 172, 2012, section 3.3).
    public var achievableDoseGyCm2: Double?
    /// Median KAP and KAP per kg over all procedures of the group.
    public var medianKAPGyCm2: Double
    public var medianKAPPerKg: Double?
    public var hospitals: [FacilitySummary]
    /// Per X-ray system of each hospital, where recorded.
    public var systems: [FacilitySummary]
    public var trend: [YearPoint]
    public var published: [PublishedComparison]
}

/// The reference-level and benchmarking tables of a registry (`harmonic drl`).
public struct ReferenceLevelTable: Sendable, Codable {
    public var options: ReferenceLevelOptions
    public var proceduresRead: Int
    /// Procedures without a recorded KAP (not in any table).
    public var withoutKAP: Int
    /// With a KAP but at 16 years or older (outside the paediatric age bands).
    public var outsideAgeBands: Int
    /// With a KAP but no recorded weight, or a weight of 80 kg or more (not in the weight tables).
    public var outsideWeightBands: Int
    public var groups: [ReferenceLevelGroup]

    /// Groups `procedures` and computes, per group, the hospital (and system) medians, the local
    /// DRL (P75 of the medians), the achievable dose (P50), KAP per kg, the yearly trend, the
    /// hospitals above the DRL and the comparison with the published values.
    public static func compute(_ procedures: [ProcedureDose], options: ReferenceLevelOptions = .init(),
                               published: [PublishedReferenceLevel] = PublishedReferenceLevel.builtIn) -> ReferenceLevelTable {
        let dosed = procedures.filter { ($0.kapGyCm2 ?? -1) >= 0 }
        struct Key: Hashable { var grouping: ProcedureGrouping; var procedure: String; var band: PatientBand }
        var members: [Key: [Int]] = [:]
        var outsideAge = 0, outsideWeight = 0
        for (i, p) in dosed.enumerated() {
            for kind in options.bandKinds {
                guard let band = p.band(kind) else {
                    if kind == .age { outsideAge += 1 } else { outsideWeight += 1 }
                    continue
                }
                for g in options.groupings {
                    switch g {
                    case .procedureClass:
                        members[Key(grouping: g, procedure: p.procedureClass, band: band), default: []].append(i)
                        members[Key(grouping: g, procedure: "all", band: band), default: []].append(i)
                    case .procedureType:
                        members[Key(grouping: g, procedure: p.procedureType, band: band), default: []].append(i)
                    }
                }
            }
        }
        let keys = members.keys.sorted {
            ($0.grouping.rawValue, $0.procedure, $0.band) < ($1.grouping.rawValue, $1.procedure, $1.band)
        }
        let groups = keys.map { key in
            group(key.grouping, key.procedure, key.band, members[key]!.map { dosed[$0] }, options: options, published: published)
        }
        return ReferenceLevelTable(options: options, proceduresRead: procedures.count, withoutKAP: procedures.count - dosed.count,
                                   outsideAgeBands: outsideAge, outsideWeightBands: outsideWeight, groups: groups)
    }

    static func group(_ grouping: ProcedureGrouping, _ procedure: String, _ band: PatientBand, _ ps: [ProcedureDose],
                      options: ReferenceLevelOptions, published: [PublishedReferenceLevel]) -> ReferenceLevelGroup {
        func summaries(_ key: (ProcedureDose) -> String, equipment: (ProcedureDose) -> String?) -> [FacilitySummary] {
            var byKey: [String: [ProcedureDose]] = [:]
            for p in ps { byKey[key(p), default: []].append(p) }
            return byKey.map { k, list in
                FacilitySummary(hospital: list[0].hospitalKey, equipment: equipment(list[0]), procedures: list.count,
                                medianKAPGyCm2: Percentile.median(list.compactMap(\.kapGyCm2)) ?? 0,
                                medianKAPPerKg: Percentile.median(list.compactMap(\.kapPerKg)),
                                usedForDRL: list.count >= options.minProceduresPerHospital, ratioToDRL: nil, aboveDRL: false)
            }
        }
        var hospitals = summaries({ $0.hospitalKey }, equipment: { _ in nil })
        var systems = summaries({ "\($0.hospitalKey)\u{1F}\($0.equipment ?? "")" }, equipment: { $0.equipment })
            .filter { $0.equipment != nil }
        let usedMedians = hospitals.filter(\.usedForDRL).map(\.medianKAPGyCm2).sorted()
        let drl = Percentile.ofSorted(usedMedians, 75)
        let achievable = Percentile.ofSorted(usedMedians, 50)
        func mark(_ list: inout [FacilitySummary]) {
            for i in list.indices {
                if let drl, drl > 0 {
                    list[i].ratioToDRL = list[i].medianKAPGyCm2 / drl
                    list[i].aboveDRL = list[i].medianKAPGyCm2 > drl
                }
            }
            list.sort { ($0.medianKAPGyCm2, $0.hospital, $0.equipment ?? "") > ($1.medianKAPGyCm2, $1.hospital, $1.equipment ?? "") }
        }
        mark(&hospitals); mark(&systems)
        var byYear: [Int: [Double]] = [:]
        for p in ps { if let k = p.kapGyCm2 { byYear[p.date.year, default: []].append(k) } }
        let trend = byYear.keys.sorted().map { y in
            YearPoint(year: y, procedures: byYear[y]!.count, medianKAPGyCm2: Percentile.median(byYear[y]!) ?? 0)
        }
        let median = Percentile.median(ps.compactMap(\.kapGyCm2)) ?? 0
        let comparisons: [PublishedComparison] = grouping == .procedureClass
            ? published.filter { $0.matches(procedureClass: procedure, band: band) }.map { pub in
                let ours = pub.quantity == .p75 ? drl : achievable
                return PublishedComparison(source: pub.source, citation: pub.citation, quantity: pub.quantity.rawValue,
                                           publishedBand: pub.bandLabel, sameBand: pub.sameLimits(as: band),
                                           publishedGyCm2: pub.valueGyCm2, oursGyCm2: ours,
                                           ratio: ours.map { $0 / pub.valueGyCm2 })
            }
            : []
        return ReferenceLevelGroup(grouping: grouping, procedure: procedure, band: band, bandLabel: band.description,
                                   procedures: ps.count, hospitalsUsed: usedMedians.count, localDRLGyCm2: drl,
                                   achievableDoseGyCm2: achievable, medianKAPGyCm2: median,
                                   medianKAPPerKg: Percentile.median(ps.compactMap(\.kapPerKg)),
                                   hospitals: hospitals, systems: systems, trend: trend, published: comparisons)
    }

    /// The group of `procedure` (class, `all` or type) in `band`, if any.
    public func group(_ grouping: ProcedureGrouping, _ procedure: String, _ band: PatientBand) -> ReferenceLevelGroup? {
        groups.first { $0.grouping == grouping && $0.procedure == procedure && $0.band == band }
    }
}
