import SimulationKernel
import Testing

@testable import ComputeSim

struct ServerHandleTests {
    @Test("A handle reads, acts on and deletes its server exactly as the id does")
    func handleActsLikeTheID() throws {
        var cloud = try Lab.cloud()
        let created = try cloud.createServers(Lab.request(), as: Lab.me)
        let handle = try #require(cloud.handles(of: created).first)
        #expect(handle.id == created.ids[0])
        #expect(cloud.handle(of: handle.id) == handle)
        #expect(try cloud.status(of: handle, as: Lab.me) == .build)
        cloud.runUntilIdle()
        #expect(try cloud.server(handle, as: Lab.me) == (try cloud.server(handle.id, as: Lab.me)))
        #expect(try cloud.perform(.stop, on: handle, as: Lab.me).httpStatus == 202)
        cloud.runUntilIdle()
        #expect(try cloud.status(of: handle, as: Lab.me) == .shutoff)
        try cloud.deleteServer(handle, as: Lab.me)
        cloud.runUntilIdle()
        #expect(throws: CloudError.notFound(handle.id)) { try cloud.status(of: handle, as: Lab.me) }
        #expect(throws: CloudError.notFound(handle.id)) { try cloud.perform(.start, on: handle, as: Lab.me) }
    }

    @Test("Another project's handle is 404 naming the server, as its id is")
    func otherProjectIsNotFound() throws {
        var cloud = try Lab.cloud()
        let created = try cloud.createServers(Lab.request(), as: Lab.me)
        let handle = try #require(cloud.handles(of: created).first)
        let other = Caller(project: "other")
        #expect(throws: CloudError.notFound(handle.id)) { try cloud.server(handle, as: other) }
        #expect(throws: CloudError.notFound(handle.id)) { try cloud.deleteServer(handle, as: other) }
        #expect(try cloud.status(of: handle, as: Lab.admin) == .build)
    }

    @Test("A handle whose server was archived is stale once another server takes its record number: 404 naming the old server")
    func staleHandleAfterArchive() throws {
        var cloud = try Lab.cloud { $0.deletedServerRetention = .zero }
        let one = try cloud.createServers(Lab.request("one"), as: Lab.me)
        let first = try #require(cloud.handles(of: one).first)
        cloud.runUntilIdle()
        try cloud.deleteServer(first, as: Lab.me)
        cloud.runUntilIdle()
        #expect(cloud.handle(of: first.id) == nil)
        #expect(throws: CloudError.notFound(first.id)) { try cloud.status(of: first, as: Lab.me) }  // vacant
        let two = try cloud.createServers(Lab.request("two"), as: Lab.me)
        let second = try #require(cloud.handles(of: two).first)
        #expect(second != first && second.index == first.index)  // the number was reused
        #expect(throws: CloudError.notFound(first.id)) { try cloud.server(first, as: Lab.me) }
        #expect(throws: CloudError.notFound(first.id)) { try cloud.deleteServer(first, as: Lab.me) }
        #expect(try cloud.server(second, as: Lab.me).name == "two")
        // The first create's result no longer names a server: its record holds "two" now.
        #expect(cloud.handles(of: one).isEmpty)
    }

    @Test("The handles of a multi-create are those of its ids, in order, read from the record numbers the create returns")
    func handlesOfAMultiCreate() throws {
        var cloud = try Lab.cloud()
        var request = Lab.request("many")
        request.minCount = 3
        request.maxCount = 3
        let created = try cloud.createServers(request, as: Lab.me)
        #expect(created.ids.count == 3 && created.records.count == 3)
        let handles = cloud.handles(of: created)
        #expect(handles == created.ids.compactMap { cloud.handle(of: $0) })
        #expect(handles.map(\.id) == created.ids)
        #expect(try handles.map { try cloud.server($0, as: Lab.me).name } == ["many-1", "many-2", "many-3"])
    }
}
