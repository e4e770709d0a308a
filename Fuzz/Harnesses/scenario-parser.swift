// Scenario parser: any text is parsed or refused with a ScenarioError; a parsed scenario of a
// modest size also builds its runner (the cloud, fault plan and groups) without trapping.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScenarioParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let input = text(data, size) else { return 0 }
    guard let scenario = try? Scenario.parse(input, baseDirectory: "/nonexistent") else { return 0 }
    if scenario.configuration.hosts.count <= 2_000 {
        _ = try? ScenarioRunner(scenario: scenario, duration: min(scenario.duration, .hours(1)))
    }
    return 0
}
