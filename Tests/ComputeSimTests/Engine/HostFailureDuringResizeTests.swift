import Testing

@testable import ComputeSim

struct HostFailureDuringResizeTests {
    /// Torture finding: a host failure while a server waited in VERIFY_RESIZE released both of
    /// its claims but left the resize's source recorded, so the invariant checker saw a resized
    /// server holding neither host.
    @Test("A host failure during VERIFY_RESIZE leaves an ERROR server holding nothing, refusing confirmResize")
    func hostFailureDuringVerifyResize() throws {
        var cloud = try Lab.cloud()
        let id = try Lab.active(&cloud, flavor: "1")
        let source = try #require(try cloud.server(id, as: Lab.me).host)
        #expect(try Lab.run(&cloud, .resize(flavor: "2"), on: id).last == .verifyResize)
        let destination = try #require(try cloud.server(id, as: Lab.me).host)
        #expect(destination != source)
        try cloud.inject(.hostFailure(destination), at: cloud.now)
        cloud.runUntilIdle()
        let server = try cloud.server(id, as: Lab.me)
        #expect(server.status == .error && server.host == nil)
        #expect(cloud.checkInvariants() == [])
        #expect(cloud.hostPool.usage(of: source)?.servers == 0)
        #expect(throws: CloudError(.conflictingRequest, "Cannot 'confirmResize' instance \(id) while it is in vm_state error")) {
            try cloud.perform(.confirmResize, on: id, as: Lab.me)
        }
    }
}
