import HarmonicCore

extension CalendarDate {
    /// The same day `n` months later (clamped to the month's last day), for start dates the
    /// guidelines give in months ("≥ 6 months from the end of radiotherapy").
    func addingMonths(_ n: Int) -> CalendarDate {
        let index = year * 12 + (month - 1) + n
        let y = index / 12, m = index % 12 + 1
        let d = min(day, CalendarDate.daysIn(month: m, year: y))
        return CalendarDate(year: y, month: m, day: d, precision: precision) ?? adding(days: n * 30)
    }
}
