import Glibc
import SMARPC

/// Runs a closed-loop load test: every connection keeps its share of the concurrency in
/// flight, starting the next call from the previous call's result on the loop thread.
/// No task, no closure and (for a fixed body) no buffer is created per request.
public enum LoadRunner {
    /// Connects, runs the load on a dedicated ``EventLoop`` and returns the report.
    /// - Throws: ``LoadError/connectFailed(_:)`` when a connection cannot be opened,
    ///   ``LoadError/invalidConfiguration(_:)`` for settings that cannot work.
    public static func run(_ configuration: LoadConfiguration) async throws(LoadError) -> LoadReport {
        guard configuration.connections >= 1, configuration.concurrency >= configuration.connections else {
            throw .invalidConfiguration("--concurrency (\(configuration.concurrency)) must be at least --connections (\(configuration.connections)), which must be at least 1")
        }
        guard configuration.requests != nil || configuration.durationSeconds != nil else {
            throw .invalidConfiguration("give --requests or --duration")
        }
        let head: GRPCRequestHead
        do {
            head = try GRPCRequestHead(
                path: configuration.path, authority: configuration.authority ?? "\(configuration.host):\(configuration.port)",
                timeoutNanoseconds: configuration.timeoutMilliseconds.map { UInt64($0) * 1_000_000 },
                metadata: configuration.metadata)
        } catch {
            throw .invalidConfiguration(error.reason)
        }
        let loop = EventLoop(index: 0)
        loop.start()
        defer { loop.stop() }
        let result: Result<LoadReport, LoadError> = await withCheckedContinuation { continuation in
            loop.execute {
                LoadDriver(configuration: configuration, head: head, loop: loop, continuation: continuation).start()
            }
        }
        return try result.get()
    }
}

/// The state of one run. Confined to the run's loop thread; kept alive by its connections'
/// callbacks until ``finish(_:)`` closes them. Each call's tag carries whether it is measured
/// (bit 0) and the VIN it holds exclusively, plus one (the other bits).
final class LoadDriver {
    private let configuration: LoadConfiguration
    private let head: GRPCRequestHead
    private let loop: EventLoop
    @exclusivity(unchecked) private var continuation: CheckedContinuation<Result<LoadReport, LoadError>, Never>?
    @exclusivity(unchecked) private var connections: [HTTP2ClientConnection] = []
    private var connectedCount = 0
    @exclusivity(unchecked) private var running = false
    private var nextConnection = 0

    // Per-call state: `@exclusivity(unchecked)` as in HTTP2ClientConnection (loop-confined,
    // accesses never overlap).
    private let limit: Int?
    @exclusivity(unchecked) private var issued = 0
    @exclusivity(unchecked) private var inFlight = 0
    private let fixedBody: [UInt8]
    private let template: BodyTemplate?
    @exclusivity(unchecked) private var values: TemplateValues

    @exclusivity(unchecked) private var report = LoadReport()
    @exclusivity(unchecked) private var latencies: [UInt64] = []
    @exclusivity(unchecked) private var codeCounts = [Int](repeating: 0, count: RPCError.Code.allCases.count)
    @exclusivity(unchecked) private var measureStart: UInt64 = 0
    @exclusivity(unchecked) private var measureEnd: UInt64 = 0
    @exclusivity(unchecked) private var stopIssuingAt = UInt64.max
    private var cpuStart = rusage()

    init(configuration: LoadConfiguration, head: GRPCRequestHead, loop: EventLoop,
         continuation: CheckedContinuation<Result<LoadReport, LoadError>, Never>) {
        self.configuration = configuration
        self.head = head
        self.loop = loop
        self.continuation = continuation
        limit = configuration.requests.map { $0 + configuration.warmup }
        switch configuration.body {
        case .fixed(let bytes):
            fixedBody = bytes
            template = nil
        case .template(let compiled):
            fixedBody = []
            template = compiled
        }
        values = TemplateValues(vinCount: template?.usesVIN == true ? configuration.vinCount : 0, seed: configuration.seed,
                                odometerOffset: configuration.odometerOffset)
        latencies.reserveCapacity(min(configuration.requests ?? 1_000_000, 50_000_000))
    }

    func start() {
        var clientConfiguration = HTTP2ClientConfiguration()
        clientConfiguration.collectsResponses = configuration.checksResponses
        for _ in 0..<configuration.connections {
            let connection: HTTP2ClientConnection
            do {
                connection = try HTTP2ClientConnection(host: configuration.host, port: configuration.port, loop: loop,
                                                       configuration: clientConfiguration)
            } catch {
                finish(.failure(.connectFailed(error.description)))
                return
            }
            // Strong references on purpose: the connections (held by the loop) keep the run
            // alive; a connection drops its callbacks once closed.
            connection.onConnect = { self.connected() }
            connection.onResult = { [unowned connection] result in self.completed(result, on: connection) }
            connection.onClose = { error in self.closed(error) }
            connections.append(connection)
        }
    }

    private func connected() {
        connectedCount += 1
        guard connectedCount == connections.count, continuation != nil else { return }
        running = true
        for (i, connection) in connections.enumerated() {
            let share = configuration.concurrency / connections.count + (i < configuration.concurrency % connections.count ? 1 : 0)
            for _ in 0..<share {
                if !issue(on: connection) { break }
            }
        }
        finishIfDone()
    }

    private func closed(_ error: HTTP2ClientError?) {
        guard continuation != nil else { return }
        guard running else {
            finish(.failure(.connectFailed(error?.description ?? "the connection closed before the run started")))
            return
        }
        if let error { report.connectionErrors.append(error.description) }
        finishIfDone()
    }

    // MARK: Requests

    private var mayIssue: Bool {
        if let limit, issued >= limit { return false }
        return stopIssuingAt == .max || MonotonicClock.now < stopIssuingAt
    }

    /// Starts one call on `preferred`, or on another connection when that one is gone.
    @discardableResult
    private func issue(on preferred: HTTP2ClientConnection) -> Bool {
        guard running, mayIssue else { return false }
        var connection = preferred
        if !connection.acceptsCalls {
            guard let alive = nextAliveConnection() else { return false }
            connection = alive
        }
        let measured = issued >= configuration.warmup
        if measured && measureStart == 0 {
            measureStart = MonotonicClock.now
            getrusage(RUSAGE_SELF.rawValue, &cpuStart)
            if let seconds = configuration.durationSeconds {
                stopIssuingAt = measureStart &+ UInt64(seconds * 1e9)
            }
        }
        let started: Bool
        if let template {
            let vin = values.beginRequest(sequence: configuration.sequenceStart &+ UInt64(issued), drawsVIN: template.usesVIN)
            let tag = (vin + 1) << 1 | (measured ? 1 : 0)
            started = connection.startCall(head, tag: tag) { buffer in template.encode(into: &buffer, values: &values) }
            if !started { values.releaseVIN(vin) }
        } else {
            started = connection.startCall(head, tag: measured ? 1 : 0, message: fixedBody)
        }
        guard started else { return false }
        issued += 1
        inFlight += 1
        return true
    }

    private func nextAliveConnection() -> HTTP2ClientConnection? {
        for _ in 0..<connections.count {
            nextConnection = (nextConnection + 1) % connections.count
            if connections[nextConnection].acceptsCalls { return connections[nextConnection] }
        }
        return nil
    }

    private func completed(_ result: GRPCClientResult, on connection: HTTP2ClientConnection) {
        inFlight -= 1
        values.releaseVIN((result.tag >> 1) - 1)
        if result.tag & 1 == 1 {
            report.requests += 1
            codeCounts[result.code.rawValue] += 1
            if result.code != .ok && report.sampleMessages[result.code] == nil {
                report.sampleMessages[result.code] = result.message
            }
            latencies.append(result.latencyNanoseconds)
            measureEnd = MonotonicClock.now
        }
        issue(on: connection)
        finishIfDone()
    }

    private func finishIfDone() {
        guard running, inFlight == 0, continuation != nil else { return }
        if mayIssue {
            // Nothing in flight yet more to send: only possible when every connection is gone.
            guard nextAliveConnection() == nil else { return }
            if let limit { report.notStarted = limit - issued }
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        report.cpuUserMicroseconds = Self.microseconds(usage.ru_utime) - Self.microseconds(cpuStart.ru_utime)
        report.cpuSystemMicroseconds = Self.microseconds(usage.ru_stime) - Self.microseconds(cpuStart.ru_stime)
        report.elapsedNanoseconds = measureEnd > measureStart ? measureEnd - measureStart : 0
        report.setLatencies(&latencies)
        for code in RPCError.Code.allCases where codeCounts[code.rawValue] > 0 {
            report.countsByCode[code] = codeCounts[code.rawValue]
        }
        finish(.success(report))
    }

    private func finish(_ result: Result<LoadReport, LoadError>) {
        guard let continuation else { return }
        self.continuation = nil
        running = false
        for connection in connections { connection.close() }
        connections.removeAll()
        continuation.resume(returning: result)
    }

    private static func microseconds(_ time: timeval) -> Double {
        Double(time.tv_sec) * 1e6 + Double(time.tv_usec)
    }
}
