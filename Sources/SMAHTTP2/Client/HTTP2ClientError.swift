/// Why a client connection could not be opened or ended abnormally (wider than one call).
public enum HTTP2ClientError: Error, Sendable, CustomStringConvertible {
    case resolveFailed(host: String, reason: String)
    case connectFailed(host: String, port: Int, reason: String)
    case connectTimedOut(host: String, port: Int)
    /// The peer violated HTTP/2 (nghttp2's description).
    case protocolError(String)
    /// The socket failed or the peer closed it.
    case connectionLost(String)

    public var description: String {
        switch self {
        case .resolveFailed(let host, let reason): "cannot resolve \(host): \(reason)"
        case .connectFailed(let host, let port, let reason): "cannot connect to \(host):\(port): \(reason)"
        case .connectTimedOut(let host, let port): "connecting to \(host):\(port) timed out"
        case .protocolError(let reason): "HTTP/2 protocol error: \(reason)"
        case .connectionLost(let reason): "connection lost: \(reason)"
        }
    }
}
