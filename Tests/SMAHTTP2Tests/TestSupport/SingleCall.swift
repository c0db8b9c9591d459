import SMAHTTP2
import SMARPC
import Testing

/// Makes one call with a fresh ``HTTP2ClientConnection`` on its own loop and returns the result.
func singleCall(port: Int, path: String, message: [UInt8], timeoutNanoseconds: UInt64? = nil,
                metadata: [(name: String, value: String)] = []) async throws -> GRPCClientResult {
    let head = try GRPCRequestHead(path: path, authority: "127.0.0.1:\(port)", timeoutNanoseconds: timeoutNanoseconds, metadata: metadata)
    let loop = EventLoop(index: 9)
    loop.start()
    defer { loop.stop() }
    return try await withCheckedThrowingContinuation { continuation in
        loop.execute {
            do {
                let connection = try HTTP2ClientConnection(host: "127.0.0.1", port: port, loop: loop)
                var result: GRPCClientResult?
                connection.onResult = { [unowned connection] in
                    result = $0
                    connection.close()
                }
                connection.onClose = { error in
                    if let result {
                        continuation.resume(returning: result)
                    } else {
                        continuation.resume(throwing: error ?? HTTP2ClientError.connectionLost("closed without a result"))
                    }
                }
                #expect(connection.startCall(head, tag: 42, message: message))
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }
}
