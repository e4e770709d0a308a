// Path normalisation: a path either is refused or normalises to components that are never
// empty, "." or "..", within the length limit, and normalising again changes nothing.
func fuzzPathNormalisation(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let input = text(bytes), let path = try? VirtualPath(input) else { return }
    if path.components.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." || $0.contains("/") }) { finding("\(input) -> \(path.components)") }
    if path.description.utf8.count > VirtualPath.maximumLength { finding("\(input) grew to \(path.description)") }
    guard let again = try? VirtualPath(path.description) else { finding("\(input) -> \(path.description) is refused") }
    if again != path { finding("\(input) -> \(path) -> \(again)") }
}
