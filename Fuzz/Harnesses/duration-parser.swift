// Duration parser: parse or refuse; what parses prints as text that parses back to the same value.
func fuzzDurationParser(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let input = text(bytes), let duration = try? SimDuration(parsing: input) else { return }
    guard let again = try? SimDuration(parsing: duration.description) else { finding("\(input) parsed, but its description \(duration.description) does not") }
    if again != duration { finding("\(input) -> \(duration.description) -> \(again.description)") }
}
