// Session parser: any text runs or stops with a SessionError naming its line; never traps.
func fuzzSessionParser(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let input = text(bytes), let cloud = try? ComputeCloud() else { return }
    var runner = SessionRunner(cloud: cloud)
    _ = try? runner.run(input)
    let problems = runner.cloud.checkInvariants()
    if !problems.isEmpty { finding("invariants: \(problems)") }
}
