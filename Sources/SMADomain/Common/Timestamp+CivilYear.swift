extension Timestamp {
    /// The proleptic Gregorian year (UTC) this timestamp falls in.
    ///
    /// Uses Howard Hinnant's days-to-civil algorithm; no calendar library needed.
    public var civilYear: Int64 {
        let msPerDay = Self.millisecondsPerDay
        var days = millisecondsSinceEpoch / msPerDay
        if millisecondsSinceEpoch % msPerDay < 0 { days -= 1 }
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }
}
