import Glibc

/// The values behind a template's placeholders: request numbers, random values, and a pool
/// of VINs whose odometers only ever increase.
///
/// A VIN is taken out of the pool for as long as its request is in flight (when the pool is
/// at least as large as the concurrency), so readings of one vehicle reach the server in
/// order. Loop-confined like the run it belongs to.
public struct TemplateValues {
    public private(set) var random: SplitMix64
    /// The VIN pool.
    public let vins: [[UInt8]]
    private var odometers: [UInt64]
    /// Readings taken per VIN: the n-th increment of a VIN depends only on the seed, the VIN
    /// and n, so runs with the same seed give every vehicle the same sequence of readings
    /// whatever the order of completions (a registration run and a recording run agree).
    private var readingCounts: [UInt64]
    private let seed: UInt64
    /// VINs not in flight, as a ring (FIFO: every vehicle gets its turn).
    private var freeVINs: [Int]
    private var freeHead = 0
    private var freeCount: Int

    // Per request: placeholders used twice in one message give the same value.
    private(set) var sequence: UInt64 = 0
    private var vinIndex = -1
    private var vinExclusive = false
    private var odometer: UInt64?
    private var uuid: (UInt64, UInt64)?

    /// - Parameters:
    ///   - vinCount: size of the VIN pool (0 when no template uses `{vin}` or `{odometer}`).
    ///   - seed: seeds the VINs, odometers and random placeholders.
    ///   - odometerOffset: added to every vehicle's readings (to continue above the readings
    ///     of an earlier run with the same seed).
    public init(vinCount: Int, seed: UInt64, odometerOffset: UInt64 = 0) {
        self.seed = seed
        var vinRandom = SplitMix64(seed: seed)
        vins = VIN.pool(count: vinCount, using: &vinRandom)
        odometers = (0..<vinCount).map { _ in odometerOffset &+ 1_000 &+ vinRandom.next(below: 150_000) }
        readingCounts = Array(repeating: 0, count: vinCount)
        random = SplitMix64(seed: seed ^ 0x5241_4E44_4F4D_0001)
        freeVINs = Array(0..<vinCount)
        freeCount = vinCount
    }

    /// Starts the values of a new request.
    /// - Parameter drawsVIN: whether to take the request's VIN now (templates using `{vin}`
    ///   or `{odometer}`).
    /// - Returns: the VIN the request holds exclusively — give it back with
    ///   ``releaseVIN(_:)`` when the request completes — or -1.
    @discardableResult
    public mutating func beginRequest(sequence: UInt64, drawsVIN: Bool = false) -> Int {
        self.sequence = sequence
        vinIndex = -1
        vinExclusive = false
        odometer = nil
        uuid = nil
        guard drawsVIN, !vins.isEmpty else { return -1 }
        let vin = currentVIN()
        return vinExclusive ? vin : -1
    }

    /// Returns a VIN to the pool.
    public mutating func releaseVIN(_ index: Int) {
        guard index >= 0 else { return }
        freeVINs[(freeHead + freeCount) % freeVINs.count] = index
        freeCount += 1
    }

    // MARK: Placeholder values

    mutating func currentVIN() -> Int {
        if vinIndex >= 0 { return vinIndex }
        precondition(!vins.isEmpty, "the VIN pool is empty")
        if freeCount > 0 {
            vinIndex = freeVINs[freeHead]
            freeHead = (freeHead + 1) % freeVINs.count
            freeCount -= 1
            vinExclusive = true
        } else {
            vinIndex = Int(random.next(below: UInt64(vins.count)))
        }
        return vinIndex
    }

    mutating func currentOdometer() -> UInt64 {
        if let odometer { return odometer }
        let vin = currentVIN()
        readingCounts[vin] += 1
        var increment = SplitMix64(seed: seed ^ (UInt64(vin) << 32) ^ readingCounts[vin])
        odometers[vin] += 1 + increment.next(below: 250)
        odometer = odometers[vin]
        return odometers[vin]
    }

    mutating func number(for placeholder: BodyTemplate.Placeholder) -> Int64 {
        switch placeholder {
        case .seq: Int64(bitPattern: sequence)
        case .odometer: Int64(bitPattern: currentOdometer())
        case .random(let low, let high): low &+ Int64(bitPattern: random.next(below: UInt64(bitPattern: high &- low) &+ 1))
        case .nowSeconds: Int64(Self.realtime().tv_sec)
        case .nowMilliseconds:
            { let now = Self.realtime(); return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec / 1_000_000) }()
        case .choice(let options): options.isEmpty ? 0 : options[Int(random.next(below: UInt64(options.count)))].number
        case .vin, .uuid: 0
        }
    }

    mutating func appendText(for placeholder: BodyTemplate.Placeholder, to buffer: inout [UInt8]) {
        switch placeholder {
        case .vin:
            buffer.append(contentsOf: vins[currentVIN()])
        case .uuid:
            appendUUID(to: &buffer)
        case .choice(let options):
            if !options.isEmpty { buffer.append(contentsOf: options[Int(random.next(below: UInt64(options.count)))].text) }
        default:
            Self.appendDecimal(number(for: placeholder), to: &buffer)
        }
    }

    private mutating func appendUUID(to buffer: inout [UInt8]) {
        if uuid == nil {
            // Version 4 (random), variant 10.
            uuid = ((random.next() & ~0xF000) | 0x4000, (random.next() & ~(0xC << 60)) | (0x8 << 60))
        }
        let (high, low) = uuid!
        let hex = Self.hexDigits
        for i in 0..<16 {
            if i == 4 || i == 6 || i == 8 || i == 10 { buffer.append(UInt8(ascii: "-")) }
            let byte = i < 8 ? UInt8(truncatingIfNeeded: high >> UInt64(56 - 8 * i)) : UInt8(truncatingIfNeeded: low >> UInt64(56 - 8 * (i - 8)))
            buffer.append(hex[Int(byte >> 4)])
            buffer.append(hex[Int(byte & 0x0F)])
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func appendDecimal(_ value: Int64, to buffer: inout [UInt8]) {
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        let start = buffer.count
        repeat {
            buffer.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        buffer[start...].reverse()
    }

    private static func realtime() -> timespec {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return ts
    }
}
