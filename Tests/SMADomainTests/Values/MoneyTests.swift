import Testing
@testable import SMADomain

@Suite("Money, Currency and Quantity")
struct MoneyTests {
    @Test("knows minor-unit digits of common currencies")
    func minorUnitDigits() throws {
        #expect(try Currency("USD").minorUnitDigits == 2)
        #expect(try Currency("JPY").minorUnitDigits == 0)
        #expect(try Currency("KWD").minorUnitDigits == 3)
    }

    @Test("refuses malformed and unsupported currency codes", arguments: ["usd", "US", "USDX", "U$D", "ABC"])
    func refusesBadCurrency(_ code: String) {
        #expect(refusal { try Currency(code) }?.field == "currency")
    }

    @Test("adds amounts of one currency")
    func adds() throws {
        let sum = try Money(minorUnits: 150, currency: .usd).adding(Money(minorUnits: 250, currency: .usd))
        #expect(sum == Money(minorUnits: 400, currency: .usd))
    }

    @Test("refuses to add different currencies")
    func refusesMixedCurrencies() {
        #expect(refusal { try Money(minorUnits: 1, currency: .usd).adding(Money(minorUnits: 1, currency: .eur)) }?.kind == .invalidArgument)
    }

    @Test("throws instead of trapping when a sum overflows")
    func additionOverflow() {
        let big = Money(minorUnits: .max, currency: .usd)
        #expect(refusal { try big.adding(Money(minorUnits: 1, currency: .usd)) }?.message.contains("overflow") == true)
    }

    @Test("throws instead of trapping when a product overflows")
    func multiplicationOverflow() throws {
        let big = Money(minorUnits: .max / 2 + 1, currency: .usd)
        #expect(refusal { try big.multiplied(by: Quantity(whole: 2)) }?.kind == .invalidArgument)
    }

    @Test("multiplies by fractional quantities rounding half away from zero")
    func multipliesWithRounding() throws {
        let rate = Money(minorUnits: 12_345, currency: .usd)
        #expect(try rate.multiplied(by: Quantity(thousandths: 1_500)).minorUnits == 18_518)
        #expect(try Money(minorUnits: 1, currency: .usd).multiplied(by: Quantity(thousandths: 500)).minorUnits == 1)
        #expect(try Money(minorUnits: 1, currency: .usd).multiplied(by: Quantity(thousandths: 499)).minorUnits == 0)
    }

    @Test("refuses zero and negative quantities", arguments: [Int64(0), -1_000])
    func refusesNonPositiveQuantity(_ thousandths: Int64) {
        #expect(refusal { try Quantity(thousandths: thousandths, field: "hours") }?.field == "hours")
    }

    @Test("formats quantities with three decimals")
    func quantityDescription() throws {
        #expect(try Quantity(thousandths: 1_050).description == "1.050")
    }
}
