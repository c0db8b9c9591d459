import SMAHTTP2
import SMARPC
import Testing

@Suite("Load runs against an in-process server", .timeLimit(.minutes(1)))
struct LoadRunnerTests {
    @Test("2,000 templated requests over two connections all succeed and are all counted")
    func allOK() async throws {
        try await withTestServer { server in
            var configuration = server.load(path: "/test.Echo/Echo", requests: 2_000)
            configuration.warmup = 100
            configuration.vinCount = 64
            configuration.body = .template(try BodyTemplate(parsing: "1:string:{vin}\n2:uint64:{odometer}\n3:string:{uuid}\n4:uint64:{seq}"))
            let report = try await LoadRunner.run(configuration)
            #expect(report.requests == 2_000)
            #expect(report.ok == 2_000)
            #expect(report.failed == 0)
            #expect(report.countsByCode == [.ok: 2_000])
            #expect(report.p50Nanoseconds > 0 && report.p50Nanoseconds <= report.p90Nanoseconds)
            #expect(report.p90Nanoseconds <= report.p99Nanoseconds && report.p99Nanoseconds <= report.maxNanoseconds)
            #expect(report.requestsPerSecond > 0)
            #expect(report.logfmtLine.hasPrefix("load ok=2000 failed=0 rps="))
            #expect(report.logfmtLine.contains(" codes=OK:2000 "))
            #expect(server.server.statistics.callsByCode[.ok] == 2_100, "warmup and measured calls reached the server")
        }
    }

    @Test("non-OK statuses are counted by code, with a sample message")
    func errorsCounted() async throws {
        try await withTestServer { server in
            let report = try await LoadRunner.run(server.load(path: "/test.Echo/Fail", requests: 500))
            #expect(report.requests == 500)
            #expect(report.countsByCode == [.notFound: 500])
            #expect(report.sampleMessages[.notFound] == TestServer.failMessage)
            #expect(report.logfmtLine.contains("ok=0 failed=500"))
            #expect(report.logfmtLine.contains("codes=NOT_FOUND:500"))
        }
    }

    @Test("an unknown path is counted as UNIMPLEMENTED")
    func unimplemented() async throws {
        try await withTestServer { server in
            let report = try await LoadRunner.run(server.load(path: "/test.Echo/Missing", requests: 300))
            #expect(report.countsByCode == [.unimplemented: 300])
        }
    }

    @Test("a duration run stops starting requests after the duration")
    func duration() async throws {
        try await withTestServer { server in
            var configuration = server.load(path: "/test.Echo/Echo", requests: 0)
            configuration.requests = nil
            configuration.durationSeconds = 0.3
            // Deadlines and bounds far above the 0.3 s: on a loaded CI machine calls were seen to
            // stall for seconds; a run that never stops still fails.
            configuration.timeoutMilliseconds = 60_000
            let start = ContinuousClock.now
            let report = try await LoadRunner.run(configuration)
            #expect(ContinuousClock.now - start < .seconds(30))
            #expect(report.requests > 0 && report.ok == report.requests)
            #expect(report.elapsedNanoseconds >= 250_000_000 && report.elapsedNanoseconds < 30_000_000_000)
        }
    }

    @Test("calls beyond the server's MAX_CONCURRENT_STREAMS wait for a free stream")
    func maxConcurrentStreams() async throws {
        try await withTestServer(maxConcurrentStreams: 4) { server in
            var configuration = server.load(path: "/test.Echo/Track", requests: 200)
            configuration.connections = 1
            configuration.concurrency = 64
            configuration.timeoutMilliseconds = 60_000  // waiting for a stream counts against it
            let report = try await LoadRunner.run(configuration)
            #expect(report.countsByCode == [.ok: 200])
            #expect(server.concurrency.peak <= 4)
            #expect(server.concurrency.peak >= 2, "calls did overlap")
        }
    }

    @Test("a target nobody listens on is a connect failure")
    func connectFailure() async throws {
        var configuration = LoadConfiguration()
        configuration.port = try TestServer.freePortNobodyListensOn()
        await #expect(throws: LoadError.self) { try await LoadRunner.run(configuration) }
    }
}
