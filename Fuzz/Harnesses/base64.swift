// Base64: strict decoding accepts only canonical text (it re-encodes to the same text), and any
// bytes round-trip through encode and decode.
func fuzzBase64(_ bytes: UnsafeBufferPointer<UInt8>) {
    let array = Array(bytes)
    if Base64.decodeStrict(Base64.encode(array)) != array { finding("bytes do not round-trip") }
    if let input = text(bytes), let decoded = Base64.decodeStrict(input), Base64.encode(decoded) != input {
        finding("\(input) decoded, but re-encodes as \(Base64.encode(decoded))")
    }
}
