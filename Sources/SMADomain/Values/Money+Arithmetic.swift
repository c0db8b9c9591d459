extension Money {
    /// The sum, in the same currency.
    /// - Throws: ``DomainError/invalidArgument(field:reason:)`` on a currency mismatch or overflow.
    public func adding(_ other: Money, field: String = "amount") throws(DomainError) -> Money {
        guard currency == other.currency else {
            throw .invalidArgument(field: field, reason: "cannot add \(other.currency.code) to \(currency.code); amounts must share one currency")
        }
        let (sum, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
        guard !overflow else {
            throw .invalidArgument(field: field, reason: "sum of \(minorUnits) and \(other.minorUnits) \(currency.code) minor units overflows 64 bits")
        }
        return Money(minorUnits: sum, currency: currency)
    }

    /// This unit price times `quantity`, rounded half away from zero to whole minor units.
    /// - Throws: ``DomainError/invalidArgument(field:reason:)`` on overflow.
    public func multiplied(by quantity: Quantity, field: String = "amount") throws(DomainError) -> Money {
        // whole units × price + (thousandths remainder × price) / 1000: no avoidable intermediate overflow.
        let whole = quantity.thousandths / 1_000
        let fraction = quantity.thousandths % 1_000
        let (wholePart, wholeOverflow) = minorUnits.multipliedReportingOverflow(by: whole)
        let (fractionProduct, fractionOverflow) = minorUnits.multipliedReportingOverflow(by: fraction)
        var fractionPart = fractionProduct / 1_000
        let remainder = fractionProduct % 1_000
        if remainder >= 500 { fractionPart += 1 } else if remainder <= -500 { fractionPart -= 1 }
        let (result, sumOverflow) = wholePart.addingReportingOverflow(fractionPart)
        guard !wholeOverflow, !fractionOverflow, !sumOverflow else {
            throw .invalidArgument(field: field, reason: "\(minorUnits) \(currency.code) minor units × \(quantity) overflows 64 bits")
        }
        return Money(minorUnits: result, currency: currency)
    }

    /// The sum of `amounts`, all in `currency`.
    /// - Throws: ``DomainError/invalidArgument(field:reason:)`` on a currency mismatch or overflow.
    public static func total(_ amounts: [Money], currency: Currency, field: String = "amount") throws(DomainError) -> Money {
        var total = Money.zero(currency)
        for amount in amounts {
            total = try total.adding(amount, field: field)
        }
        return total
    }
}
