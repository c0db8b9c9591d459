import SMAProtos
import SMARPC

/// Builds the `grpc-status-details-bin` trailer: a `google.rpc.Status` carrying a
/// `google.rpc.BadRequest` that names the offending field, for rich-error client helpers.
enum BadRequestDetail {
    static func trailers(field: String, description: String) -> Metadata {
        // The description may quote the offending value: bounded (see StatusText).
        let description = StatusText.bounded(description, limit: 512)
        var violation = Google_Rpc_BadRequest.FieldViolation()
        violation.field = field
        violation.description = description
        var badRequest = Google_Rpc_BadRequest()
        badRequest.fieldViolations = [violation]
        var any = Google_Protobuf_Any()
        any.typeUrl = "type.googleapis.com/google.rpc.BadRequest"
        any.value = badRequest.serializedBytes()
        var status = Google_Rpc_Status()
        status.code = Int32(RPCError.Code.invalidArgument.rawValue)
        status.message = "\(field): \(description)"
        status.details = [any]
        var metadata = Metadata()
        metadata.add("grpc-status-details-bin", binary: status.serializedBytes())
        return metadata
    }
}
