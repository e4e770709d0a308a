// Session parser: any text runs or stops with a SessionError naming its line; never traps.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSessionParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let input = text(data, size), let cloud = try? ComputeCloud() else { return 0 }
    var runner = SessionRunner(cloud: cloud)
    _ = try? runner.run(input)
    let problems = runner.cloud.checkInvariants()
    if !problems.isEmpty { finding("invariants: \(problems)") }
    return 0
}
