import CNGHTTP2

/// Header lists made only of static strings: no copy into a buffer, and nghttp2 is told
/// not to copy them either (they live for the whole process).
enum StaticHeaders {
    static func with<R>(_ fields: (StaticString, StaticString)..., body: (UnsafePointer<nghttp2_nv>, Int) -> R) -> R {
        withUnsafeTemporaryAllocation(of: nghttp2_nv.self, capacity: fields.count) { nva in
            for (i, field) in fields.enumerated() {
                nva[i] = nghttp2_nv(
                    name: UnsafeMutablePointer(mutating: field.0.utf8Start),
                    value: UnsafeMutablePointer(mutating: field.1.utf8Start),
                    namelen: field.0.utf8CodeUnitCount, valuelen: field.1.utf8CodeUnitCount,
                    flags: UInt8(NGHTTP2_NV_FLAG_NO_COPY_NAME.rawValue | NGHTTP2_NV_FLAG_NO_COPY_VALUE.rawValue))
            }
            return body(UnsafePointer(nva.baseAddress!), fields.count)
        }
    }
}
