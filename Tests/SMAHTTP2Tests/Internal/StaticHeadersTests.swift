import CNGHTTP2
@testable import SMAHTTP2
import SMARPC
import Testing

@Suite("StaticHeaders: header lists built once")
struct StaticHeadersTests {
    static func fields(_ list: StaticHeaders.List) -> [(String, String)] {
        (0..<list.count).map { i in
            let nv = list.nva[i]
            return (String(decoding: UnsafeRawBufferPointer(start: nv.name, count: nv.namelen), as: UTF8.self),
                    String(decoding: UnsafeRawBufferPointer(start: nv.value, count: nv.valuelen), as: UTF8.self))
        }
    }

    @Test("every status code's trailers carry that code, and nghttp2 is told not to copy them")
    func trailers() {
        for code in RPCError.Code.allCases {
            let list = StaticHeaders.trailers(for: code)
            let fields = Self.fields(list)
            #expect(fields.count == 1)
            #expect(fields.first?.0 == "grpc-status")
            #expect(fields.first?.1 == String(code.rawValue))
            #expect(list.nva[0].flags == UInt8(NGHTTP2_NV_FLAG_NO_COPY_NAME.rawValue | NGHTTP2_NV_FLAG_NO_COPY_VALUE.rawValue))
        }
    }

    @Test("the response headers of a call without metadata")
    func response() {
        let fields = Self.fields(StaticHeaders.response)
        #expect(fields.map(\.0) == [":status", "content-type", "grpc-accept-encoding"])
        #expect(fields.map(\.1) == ["200", "application/grpc", "identity,gzip,deflate"])
    }
}
