// Path normalisation: a path either is refused or normalises to components that are never
// empty, "." or "..", within the length limit, and normalising again changes nothing.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPathNormalisation(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let input = text(data, size), let path = try? VirtualPath(input) else { return 0 }
    if path.components.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." || $0.contains("/") }) { finding("\(input) -> \(path.components)") }
    if path.description.utf8.count > VirtualPath.maximumLength { finding("\(input) grew to \(path.description)") }
    guard let again = try? VirtualPath(path.description) else { finding("\(input) -> \(path.description) is refused") }
    if again != path { finding("\(input) -> \(path) -> \(again)") }
    return 0
}
