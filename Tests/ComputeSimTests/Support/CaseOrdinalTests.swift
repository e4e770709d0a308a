import Testing

@testable import ComputeSim

@Suite("Case ordinals")
struct CaseOrdinalTests {
    /// The tables indexed by `ordinal` are only right if it is the position in `allCases`.
    func expectOrdinalsArePositions<T: CaseOrdinal>(_: T.Type) {
        for (position, value) in T.allCases.enumerated() { #expect(value.ordinal == position, "\(T.self).\(value)") }
        #expect(T.caseCount == T.allCases.count)
    }

    @Test("every engine enum's ordinal is its position in allCases")
    func ordinalsArePositions() {
        expectOrdinalsArePositions(ServerAction.self)
        expectOrdinalsArePositions(VMState.self)
        expectOrdinalsArePositions(TaskState.self)
        expectOrdinalsArePositions(ServerStatus.self)
    }

    @Test("the lifecycle rule table holds each action's own rule")
    func ruleTableMatchesRules() {
        for action in ServerAction.allCases {
            let rule = ServerLifecycle.rule(for: action)
            #expect(rule.taskSequence == ServerLifecycle.rules[action]?.taskSequence, "\(action)")
            #expect(rule.successCode == ServerLifecycle.rules[action]?.successCode, "\(action)")
        }
    }

    @Test("a server with no vm_state is UNKNOWN and every vm_state without a task shows its row's status")
    func statusTableDefaults() {
        #expect(ServerStatus(vmState: nil, taskState: .rebooting) == .unknown)
        #expect(ServerStatus(vmState: .active, taskState: nil) == .active)
        #expect(ServerStatus(vmState: .building, taskState: .spawning) == .build)
        #expect(ServerStatus(vmState: .resized, taskState: .resizeReverting) == .revertResize)
    }
}
