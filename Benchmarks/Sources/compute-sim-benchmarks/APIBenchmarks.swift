import ComputeSim

/// `api`: N JSON requests through ComputeCloud.handle, alternating a create (POST /servers)
/// and a show of the server just created (GET /servers/{id}), on 1,000 hosts with unlimited
/// quotas. Checks every create answered 202 and every show 200.
func apiBenchmark(_ options: Options) throws(UsageError) -> [String] {
    let requests = try options.integer("requests", default: 200_000)
    guard requests >= 2 else { throw UsageError("--requests must be at least 2") }
    var cloud = try benchCloud(hosts: 1_000)
    let create = APIRequest(method: "POST", path: "/v2.1/servers", body: benchCreateBody, project: "bench")
    var failures = 0
    let clock = ContinuousClock()
    let start = clock.now
    for _ in 0..<(requests / 2) {
        let created = cloud.handle(create)
        guard created.status == 202, let id = created.body?.value(at: "server.id")?.stringValue else { failures += 1; continue }
        let shown = cloud.handle(APIRequest(method: "GET", path: "/v2.1/servers/" + id, project: "bench"))
        if shown.status != 200 { failures += 1 }
    }
    let seconds = (clock.now - start).seconds
    guard failures == 0 else { throw UsageError("self-check failed: \(failures) requests did not succeed") }
    var line = JSONLine()
    line.add("benchmark", "api")
    line.add("requests", requests / 2 * 2)
    line.add("seconds", seconds)
    line.add("requestsPerSecond", Double(requests / 2 * 2) / seconds)
    return [line.text]
}

/// `api-show`: `GET /servers/{id}` of existing servers through the JSON facade: the answer as a
/// value, the value written as canonical bytes, and the answer written straight to bytes (what
/// `serve` does, without the sockets). Prints requests/s for each and the bytes per answer.
func apiShowBenchmark(_ options: Options) throws(UsageError) -> [String] {
    let requests = try options.integer("requests", default: 200_000)
    let servers = try options.integer("servers", default: 100)
    guard requests >= 1, servers >= 1 else { throw UsageError("--requests and --servers must be at least 1") }
    var cloud = try benchCloud(hosts: 100)
    var shows: [APIRequest] = []
    for _ in 0..<servers {
        let created = cloud.handle(APIRequest(method: "POST", path: "/v2.1/servers", body: benchCreateBody, project: "bench"))
        guard let id = created.body?.value(at: "server.id")?.stringValue else { throw UsageError("self-check failed: create answered \(created.status)") }
        shows.append(APIRequest(method: "GET", path: "/v2.1/servers/" + id, project: "bench"))
    }
    cloud.runUntilIdle()
    let clock = ContinuousClock()
    var bytes = 0
    let answerStart = clock.now
    for index in 0..<requests { bytes &+= cloud.handle(shows[index % servers]).status }
    let answerSeconds = (clock.now - answerStart).seconds
    bytes = 0
    let writeStart = clock.now
    for index in 0..<requests { bytes += cloud.handle(shows[index % servers]).body?.canonicalBytes.count ?? 0 }
    let writeSeconds = (clock.now - writeStart).seconds
    // What `serve` does: the view written straight to bytes, no tree.
    var renderedBytes = 0
    let renderStart = clock.now
    for index in 0..<requests { renderedBytes += cloud.handle(shows[index % servers], renderingBody: true).bodyBytes.count }
    let renderSeconds = (clock.now - renderStart).seconds
    guard renderedBytes == bytes else { throw UsageError("self-check failed: rendered \(renderedBytes) bytes, written \(bytes)") }
    var line = JSONLine()
    line.add("benchmark", "api-show")
    line.add("requests", requests)
    line.add("answersPerSecond", Double(requests) / answerSeconds)
    line.add("answersWrittenPerSecond", Double(requests) / writeSeconds)
    line.add("answersRenderedPerSecond", Double(requests) / renderSeconds)
    line.add("bytesPerAnswer", bytes / requests)
    return [line.text]
}

/// A cloud of `hosts` large hosts with unlimited quotas, for the API benchmarks.
private func benchCloud(hosts: Int) throws(UsageError) -> ComputeCloud {
    var configuration = CloudConfiguration()
    configuration.hosts = (0..<hosts).map { Host(name: HostName("compute-\($0)"), vcpus: 1_024, memoryMiB: 4_194_304, diskGiB: 100_000) }
    configuration.defaultQuota = .unlimited
    do { return try ComputeCloud(configuration: configuration) } catch { throw UsageError("\(error)") }
}

/// `POST /servers` of one m1.tiny from the default image.
private let benchCreateBody = Array(#"{"server": {"name": "bench", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1"}}"#.utf8)
