import Foundation

/// An instant as ISO 8601 UTC text, `YYYY-MM-DDTHH:MM:SSZ` (the default output of Foundation's
/// `ISO8601DateFormatter`), for audit, run and job records. Pure Swift: corelibs Foundation's
/// formatter goes through CoreFoundation and ICU on Linux, costs a formatter per call, and was
/// seen crashing (a dangling bridged string) when many threads stamped records at once.
public enum UTCTimestamp {
    public static func string(from date: Date = Date()) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(CalendarDate(dayNumber: days))T\(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60))Z"
    }
}
