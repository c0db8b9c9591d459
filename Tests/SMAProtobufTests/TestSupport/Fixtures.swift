import SMAInteropProtos
import SMAProtos

/// Wire bytes produced by Python's protobuf (the reference implementation), as hex.
///
/// Regenerate with `protoc -IProtos --python_out=DIR` for health.proto, grpc/testing/messages.proto and
/// sma/testing/v1/field_kinds.proto, then `msg.SerializeToString(deterministic=True).hex()` on the
/// messages described next to each constant (the values equal the Swift ones in this file).
enum Fixtures {
    /// `HealthCheckRequest(service="grpc.health.v1.Health")`
    static let healthRequest = "0a15677270632e6865616c74682e76312e4865616c7468"
    /// `HealthCheckResponse(status=SERVING)`
    static let healthResponse = "0801"
    /// `HealthCheckResponse(status=7)`: a value the enum does not declare.
    static let healthResponseUnknownStatus = "0807"
    /// ``simpleRequest``
    static let simpleRequestHex =
        "10af96131a061204000102ff20013a0d0802120964c3a96ac3a020767542020801"
    /// ``fieldKinds``
    static let fieldKindsHex =
        "08d6ffffffffffffffff01108080808080808080c00118ffffffff0f20ffffffffffffffffff01280d30ffffffffff3f3d15cd5b07"
        + "4105000000000000804d9dffffff51000000000000fcff5801650000c03f6900000000000002c0720a68c3a96c6c6f20e29c937a"
        + "0300ff108001038a01110a016e12040a02633112060a0263321801980113a2010d01ffffffffffffffffff01ac02aa01020508b2"
        + "0110000000000000e03f000000000000d0bfb80107b80108b801f7ffffffffffffffff01c2010161c20100c20102c3bcca0100ca"
        + "01020102d201020209da01030a0178e20103010001f00100fa0100800200880200920200ca02009203060a016b1201769a030a08"
        + "0512060a0466697665a2030d08ffffffffffffffffff011001aa03050801120100e203080880e2cfaa061005ea03110803e2020c"
        + "720a6772616e646368696c64"

    static let simpleRequest = Grpc_Testing_SimpleRequest.with {
        $0.responseType = .compressable
        $0.responseSize = 314_159
        $0.payload = .with { $0.body = [0, 1, 2, 255] }
        $0.fillUsername = true
        $0.responseStatus = .with {
            $0.code = 2
            $0.message = "déjà vu"
        }
        $0.expectCompressed = .with { $0.value = true }
    }

    /// Every field kind set, including zero values with presence (optional fields, an empty oneof string).
    static let fieldKinds = Sma_Testing_V1_FieldKinds.with {
        $0.int32Value = -42
        $0.int64Value = -(1 << 62)
        $0.uint32Value = .max
        $0.uint64Value = .max
        $0.sint32Value = -7
        $0.sint64Value = -(1 << 40)
        $0.fixed32Value = 123_456_789
        $0.fixed64Value = (1 << 63) + 5
        $0.sfixed32Value = -99
        $0.sfixed64Value = -(1 << 50)
        $0.boolValue = true
        $0.floatValue = 1.5
        $0.doubleValue = -2.25
        $0.stringValue = "héllo ✓"
        $0.bytesValue = [0, 255, 16]
        $0.color = .blue
        $0.nested = .with {
            $0.name = "n"
            $0.children = [.with { $0.name = "c1" }, .with { $0.name = "c2"; $0.color = .red }]
        }
        $0.lateDeclared = 19
        $0.packedInt32 = [1, -1, 300]
        $0.packedSint64 = [-3, 4]
        $0.packedDouble = [0.5, -0.25]
        $0.unpackedInt32 = [7, 8, -9]
        $0.strings = ["a", "", "ü"]
        $0.blobs = [[], [1, 2]]
        $0.colors = [.green, .unrecognized(9)]
        $0.nesteds = [.with { $0.name = "x" }]
        $0.bools = [true, false, true]
        $0.optionalInt32 = 0
        $0.optionalString = ""
        $0.optionalColor = .unspecified
        $0.optionalBool = false
        $0.optionalNested = .init()
        $0.choice = .choiceString("")
        $0.labels = ["k": "v"]
        $0.nestedById = [5: .with { $0.name = "five" }]
        $0.colorsById = [.max: .red]
        $0.bytesByFlag = [true: [0]]
        $0.createdAt = .with {
            $0.seconds = 1_700_000_000
            $0.nanos = 5
        }
        $0.child = .with {
            $0.int32Value = 3
            $0.choice = .choiceSelf(.with { $0.stringValue = "grandchild" })
        }
    }
}

extension Array where Element == UInt8 {
    /// Bytes from a hex string (test fixtures only).
    init(hex: String) {
        var bytes: [UInt8] = []
        var high: UInt8?
        for c in hex.utf8 {
            let nibble = c <= UInt8(ascii: "9") ? c - UInt8(ascii: "0") : c - UInt8(ascii: "a") + 10
            if let h = high {
                bytes.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        self = bytes
    }

    var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in self { text += [digits[Int(byte >> 4)], digits[Int(byte & 15)]] }
        return String(decoding: text, as: UTF8.self)
    }
}
