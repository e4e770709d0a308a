// API sequence (structure-aware, coverage-guided torture): the input's bytes are the choices of
// an APITorture run, so libFuzzer steers a typed sequence of API calls from three projects,
// time advances (to the 100-year limit and past it) and host faults. After every step the
// response must be well formed and the cloud's invariants must hold.
func fuzzAPISequence(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard var torture = try? APITorture(choices: Array(bytes)) else { finding("the torture cloud cannot be built") }
    let report = torture.runUntilChoicesAreUsed(maximumSteps: 400)
    if let first = report.problems.first { finding("\(report.problems.count) problems; first: \(first)") }
}
