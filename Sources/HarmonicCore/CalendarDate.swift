/// A calendar date (proleptic Gregorian) without time zone, as registries record birth,
/// exposure, diagnosis and follow-up dates. Dates known only to the month (older birth
/// records) keep that precision and are placed mid-month (day 15) for arithmetic, the usual
/// epidemiological convention.
public struct CalendarDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public enum Precision: String, Codable, Sendable { case day, month }

    public let year: Int
    public let month: Int
    public let day: Int
    public let precision: Precision

    /// Days since 1970-01-01 (negative before), exact for any Gregorian date.
    public let dayNumber: Int

    public init?(year: Int, month: Int, day: Int, precision: Precision = .day) {
        guard (1800...2200).contains(year), (1...12).contains(month),
              day >= 1, day <= CalendarDate.daysIn(month: month, year: year) else { return nil }
        self.year = year; self.month = month; self.day = day; self.precision = precision
        self.dayNumber = CalendarDate.days(fromCivil: year, month, day)
    }

    /// The date `dayNumber` days after 1970-01-01.
    public init(dayNumber: Int) {
        let (y, m, d) = CalendarDate.civil(fromDays: dayNumber)
        self.year = y; self.month = m; self.day = d; self.precision = .day; self.dayNumber = dayNumber
    }

    /// Parses `YYYY-MM-DD` (day precision) or `YYYY-MM` (month precision, day 15).
    /// Also accepts DICOM `YYYYMMDD`.
    public init?(iso text: some StringProtocol) {
        let s = Array(text.utf8)
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r { let c = s[i]; guard c >= 48 && c <= 57 else { return nil }; v = v * 10 + Int(c - 48) }
            return v
        }
        switch s.count {
        case 10 where s[4] == UInt8(ascii: "-") && s[7] == UInt8(ascii: "-"):
            guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10) else { return nil }
            self.init(year: y, month: m, day: d)
        case 8:
            guard let y = num(0..<4), let m = num(4..<6), let d = num(6..<8) else { return nil }
            self.init(year: y, month: m, day: d)
        case 7 where s[4] == UInt8(ascii: "-"):
            guard let y = num(0..<4), let m = num(5..<7) else { return nil }
            self.init(year: y, month: m, day: 15, precision: .month)
        default:
            return nil
        }
    }

    /// `YYYY-MM-DD`, or `YYYY-MM` for month precision.
    public var description: String {
        let mm = month < 10 ? "0\(month)" : "\(month)"
        if precision == .month { return "\(year)-\(mm)" }
        let dd = day < 10 ? "0\(day)" : "\(day)"
        return "\(year)-\(mm)-\(dd)"
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool { a.dayNumber < b.dayNumber }

    /// Days from `self` to `other` (positive when `other` is later).
    public func days(to other: CalendarDate) -> Int { other.dayNumber - dayNumber }

    /// Elapsed years from `self` to `other`, counting 365.25 days a year (the person-year
    /// convention of Epicure and R's Epi package).
    public func years(to other: CalendarDate) -> Double { Double(days(to: other)) / 365.25 }

    /// Decimal calendar year, e.g. 1990.5 (for calendar-period cells and plots).
    public var decimalYear: Double {
        let start = CalendarDate.days(fromCivil: year, 1, 1)
        let length = CalendarDate.isLeap(year) ? 366.0 : 365.0
        return Double(year) + Double(dayNumber - start) / length
    }

    public func adding(days n: Int) -> CalendarDate { CalendarDate(dayNumber: dayNumber + n) }

    /// The same month and day `n` years later (29 February becomes 28 February).
    public func adding(years n: Int) -> CalendarDate {
        let y = year + n
        let d = min(day, CalendarDate.daysIn(month: month, year: y))
        return CalendarDate(year: y, month: month, day: d, precision: precision) ?? CalendarDate(dayNumber: dayNumber + Int(Double(n) * 365.25))
    }

    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // Days-from-civil and civil-from-days: H. Hinnant, "chrono-Compatible Low-Level Date
    // Algorithms" (2013), exact for the proleptic Gregorian calendar.
    static func days(fromCivil y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
