// Base64: strict decoding accepts only canonical text (it re-encodes to the same text), and any
// bytes round-trip through encode and decode.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBase64(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if Base64.decodeStrict(Base64.encode(bytes)) != bytes { finding("bytes do not round-trip") }
    if let input = text(data, size), let decoded = Base64.decodeStrict(input), Base64.encode(decoded) != input {
        finding("\(input) decoded, but re-encodes as \(Base64.encode(decoded))")
    }
    return 0
}
