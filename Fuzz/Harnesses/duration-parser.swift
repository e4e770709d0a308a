// Duration parser: parse or refuse; what parses prints as text that parses back to the same value.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDurationParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let input = text(data, size), let duration = try? SimDuration(parsing: input) else { return 0 }
    guard let again = try? SimDuration(parsing: duration.description) else { finding("\(input) parsed, but its description \(duration.description) does not") }
    if again != duration { finding("\(input) -> \(duration.description) -> \(again.description)") }
    return 0
}
