import HarmonicCore

/// The two entries of a coefficient table at the reference ages that bracket an age, and the
/// weight of the upper one (linear in age, clamped to the first and last reference age): the
/// shared first half of the kV imaging and radiography lookups.
/// `table` names the table in errors; `entry(age)` is the table's entry at a reference age, and
/// `missing` describes it ("cbct chest entry ... sex F") when it is absent.
func bracketByAge<Entry>(ages: [Int], ageYears: Double, table: String, entry: (Int) -> Entry?,
                         missing: (Int) -> String) throws -> (lower: Entry, upper: Entry, fraction: Double) {
    guard ageYears.isFinite, (0...120).contains(ageYears) else { throw DoseModelError("age \(ageYears) years: expected 0-120") }
    guard !ages.isEmpty else { throw DoseModelError("empty \(table)") }
    let bracket = KnotBracket(ages.map(Double.init), ageYears)
    func at(_ k: Int) throws -> Entry {
        guard let e = entry(ages[k]) else { throw DoseModelError("\(table) has no \(missing(ages[k]))") }
        return e
    }
    return (try at(bracket.lower), try at(bracket.upper), bracket.fraction)
}
