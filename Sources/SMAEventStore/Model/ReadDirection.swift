/// The direction of a stream read.
public enum ReadDirection: Hashable, Sendable {
    /// From the given version towards the newest event.
    case forward
    /// From the given version towards the first event.
    case backward
}
