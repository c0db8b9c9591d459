/// A proto3 enum as a Swift enum: the declared cases plus `unrecognized(Int32)`, so that values this
/// build does not know survive a decode/encode round trip (proto3 enums are open).
public protocol ProtoEnum: ProtoFieldValue {
    /// The enum's zero value, its proto3 default.
    init()
    /// The case for a wire value; unknown values map to `unrecognized`.
    init(rawValue: Int32)
    /// The wire value.
    var rawValue: Int32 { get }
}
