/// Errors of the transport itself, wider than one RPC.
public enum TransportError: Error, CustomStringConvertible {
    case bindFailed(host: String, port: Int, reason: String)

    public var description: String {
        switch self {
        case .bindFailed(let host, let port, let reason): "cannot listen on \(host):\(port): \(reason)"
        }
    }
}
