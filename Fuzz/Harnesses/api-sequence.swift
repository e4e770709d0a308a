// API sequence (structure-aware, coverage-guided torture): the input's bytes are the choices of
// an APITorture run, so libFuzzer steers a typed sequence of API calls from three projects,
// time advances (to the 100-year limit and past it) and host faults. After every step the
// response must be well formed and the cloud's invariants must hold.
nonisolated(unsafe) let templateTorture: APITorture = {
    guard let torture = try? APITorture(seed: 0) else { finding("the torture cloud cannot be built") }
    return torture
}()

// (nonisolated(unsafe): APITorture is not Sendable, and libFuzzer calls the harness on one thread.)
func fuzzAPISequence(_ bytes: UnsafeBufferPointer<UInt8>) {
    var torture = templateTorture.readingChoices(Array(bytes))
    let report = torture.runUntilChoicesAreUsed(maximumSteps: 400)
    if let first = report.problems.first { finding("\(report.problems.count) problems; first: \(first)") }
}
