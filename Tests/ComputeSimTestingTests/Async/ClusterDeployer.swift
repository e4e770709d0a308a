import ComputeSim
import ComputeSimTesting

/// The README's example of orchestration code, written against ``ComputeClient`` and any
/// `Clock` exactly as production code would be: it never knows it runs on a simulator.
///
/// Creates `count` servers in a new anti-affinity group, waits (polling) for each to be ACTIVE
/// within `timeout`, replaces a build that ends in ERROR up to `retries` times, checks that the
/// hostIds are distinct, and returns the servers. On any failure it deletes what it created
/// (servers and group), waits until the servers are gone, and rethrows.
struct ClusterDeployer<Client: ComputeClient, C: Clock>: Sendable where C.Duration == Duration, C: Sendable {
    let client: Client
    let clock: C
    let caller: Caller
    var timeout: Duration = .seconds(600)
    var interval: Duration = .seconds(5)
    var retries = 2

    struct SpreadError: Error, Equatable { var hostIDs: [String] }

    func deploy(count: Int, name: String, flavor: FlavorID, image: ImageID) async throws -> [Server] {
        let group = try await client.createServerGroup(name: name, policy: .antiAffinity, as: caller)
        var created: [ServerID] = []
        do {
            var servers: [Server] = []
            for index in 1...count {
                let server = try await bootOne(name: "\(name)-\(index)", flavor: flavor, image: image, group: group) { created.append($0) }
                servers.append(server)
            }
            let hostIDs = servers.map(\.hostID)
            guard Set(hostIDs).count == hostIDs.count else { throw SpreadError(hostIDs: hostIDs) }
            return servers
        } catch {
            for id in created { try? await client.deleteServer(id, as: caller) }
            for id in created { try? await client.waitForDeletion(id, as: caller, timeout: .seconds(120), interval: interval, clock: clock) }
            try? await client.deleteServerGroup(group, as: caller)
            throw error
        }
    }

    /// Boots one server, replacing it when its build ends in ERROR.
    private func bootOne(name: String, flavor: FlavorID, image: ImageID, group: ServerGroupID, created: (ServerID) -> Void) async throws -> Server {
        var attempt = 0
        while true {
            var request = CreateServerRequest(name: name, image: image, flavor: flavor)
            request.group = group
            let id = try await client.createServers(request, as: caller).ids[0]
            created(id)
            let server = try await client.waitForStatus(id, in: [.active, .error], as: caller, timeout: timeout, interval: interval, clock: clock)
            if server.status == .active { return server }
            attempt += 1
            try await client.deleteServer(id, as: caller)
            guard attempt <= retries else { throw BuildFailed(server: id, fault: server.fault?.message ?? "") }
        }
    }

    struct BuildFailed: Error, Equatable { var server: ServerID; var fault: String }
}
