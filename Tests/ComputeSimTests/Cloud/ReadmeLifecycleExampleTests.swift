import ComputeSim
import Testing

// The README's example: orchestration code and its unit test, written against the typed facade.

/// Orchestration code under test: boot a cluster in an anti-affinity group and wait for it.
func bootCluster(_ cloud: inout ComputeCloud, size: Int, as me: Caller) throws -> [Server] {
    try cloud.createServerGroup("web", name: "web", policy: .antiAffinity, as: me)
    let request = CreateServerRequest(name: "web", image: ComputeCloud.ubuntu, flavor: "2", group: "web", minCount: size, maxCount: size)
    let ids = try cloud.createServers(request, as: me).ids
    try cloud.advance(by: .minutes(5))  // virtual time: takes microseconds
    return try ids.map { try cloud.server($0, as: me) }
}

@Test func clusterNodesAreActiveOnDistinctHosts() throws {
    var cloud = try ComputeCloud()  // default catalog: 4 hosts, seed 1
    let nodes = try bootCluster(&cloud, size: 3, as: Caller(project: "team"))
    #expect(nodes.allSatisfy { $0.status == .active })
    #expect(Set(nodes.map(\.hostID)).count == 3)  // anti-affinity held
    #expect(throws: CloudError.self) { try bootCluster(&cloud, size: 5, as: Caller(project: "team")) }
}
