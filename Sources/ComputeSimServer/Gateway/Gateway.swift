import ComputeSim
import SimulationKernel

/// Routes HTTP requests to the simulated services: identity, compute, image, network and the
/// simulation's own controls. It owns the cloud; the listener calls it from one thread, one
/// request at a time.
///
/// Paths: `/identity[/v3]`, `/compute[/v2.1]`, `/image[/v2]`, `/network[/v2.0]`, `/sim`.
/// Version documents need no token; everything else does (Keystone's 401 without one).
struct Gateway {
    var cloud: ComputeCloud
    var identity: Identity
    var time: VirtualTime
    let auth: AuthMode
    let urls: ServiceURLs
    let base: String
    /// Saved clouds by name (`POST /sim/snapshot`); at most ``maximumSnapshots``.
    var snapshots: [String: ComputeCloud] = [:]
    /// Monotonic nanoseconds (speed of virtual time) and Unix seconds (token lifetimes).
    let monotonicNow: () -> Int64
    let unixNow: () -> Int64

    static let maximumSnapshots = 64

    init(cloud: ComputeCloud, options: ServerOptions, base: String, monotonicNow: @escaping () -> Int64, unixNow: @escaping () -> Int64) {
        var cloud = cloud
        cloud.traceCapture = .last(1_000)
        self.cloud = cloud
        identity = Identity(users: options.users, seed: options.seed)
        time = VirtualTime(mode: options.time, wallNow: monotonicNow(), simulatedNow: cloud.now)
        auth = options.auth
        urls = ServiceURLs(base: base)
        self.base = base
        self.monotonicNow = monotonicNow
        self.unixNow = unixNow
    }

    /// A request's path split into segments (percent-escapes left alone) and its query text.
    struct Target {
        var segments: [Substring]
        var query: Substring?
        /// The path below the first segment, with the query: what a service's facade reads.
        var rest: String

        init(_ target: String) {
            // Split on the bytes of "?" and "/" (ASCII), not on Characters.
            let text = Substring(target)
            let utf8 = text.utf8
            let questionMark = utf8.firstIndex(of: UInt8(ascii: "?"))
            let pathEnd = questionMark ?? utf8.endIndex
            query = questionMark.map { text[utf8.index(after: $0)...] }
            var segments: [Substring] = []
            var segmentStart = utf8.startIndex
            var index = utf8.startIndex
            while index < pathEnd {
                if utf8[index] == UInt8(ascii: "/") {
                    if index > segmentStart { segments.append(text[segmentStart..<index]) }
                    segmentStart = utf8.index(after: index)
                }
                index = utf8.index(after: index)
            }
            if pathEnd > segmentStart { segments.append(text[segmentStart..<pathEnd]) }
            self.segments = segments
            // The path below the first segment, with the query.
            let first = segments.first?.endIndex ?? pathEnd
            rest = String(text[first...])
        }
    }

    /// The answer to one request, before it is written as HTTP (``http(_:head:)``, which needs
    /// no access to the cloud).
    mutating func handle(_ request: HTTPRequest) -> APIResponse {
        let target = Target(request.target)
        let method = request.method.uppercased()
        let response: APIResponse
        switch target.segments.first {
        case nil:
            response = APIResponse(
                status: 200,
                body: [
                    "identity": .string(urls.identity), "compute": .string(urls.compute), "image": .string(urls.image),
                    "network": .string(urls.network), "control": .string(urls.control),
                ])
        case "identity"?:
            response = identityRequest(request, target: target, method: method)
        case "compute"?:
            response = computeRequest(request, target: target, method: method)
        case "image"?:
            response = imageRequest(request, target: target, method: method)
        case "network"?:
            response = networkRequest(request, target: target, method: method)
        case "sim"?:
            response = controlRequest(request, target: target, method: method)
        default:
            response = APIResponse(status: 404, body: ["error": ["code": 404, "message": "The resource could not be found.", "title": "Not Found"]])
        }
        return response
    }

    /// The wire form: headers sorted by name, JSON bodies as canonical text.
    static func http(_ response: APIResponse, head: Bool) -> HTTPResponse {
        var fields = response.headers.map { (name: $0.key, value: $0.value) }
        if response.hasBody, response.headers["Content-Type"] == nil { fields.append(("Content-Type", "application/json")) }
        fields.sort { $0.name < $1.name }
        let headers = HTTPHeaders(fields)
        let body = head ? [] : response.bodyBytes
        return HTTPResponse(status: response.status, headers: headers, body: body)
    }

    // MARK: Callers and time

    /// Who sent the request, from `X-Auth-Token`.
    func caller(_ request: HTTPRequest) throws(Identity.Failure) -> (user: String, project: ProjectID, roles: [Role]) {
        guard let token = request.headers["X-Auth-Token"], !token.isEmpty else { throw Identity.Failure.unauthorized }
        switch auth {
        case .noauth:
            // Nova's noauth2: "user:project" (or just "user", its own project); "admin" is an administrator.
            let parts = token.split(separator: ":", maxSplits: 1).map(String.init)
            let user = parts[0]
            let project = parts.count > 1 ? parts[1] : user
            return (user, ProjectID(project), user == "admin" ? [.admin, .member] : [.member])
        case .keystone:
            guard let grant = identity.grant(for: token, now: unixNow()) else { throw Identity.Failure.unauthorized }
            // Nova's user_id is Keystone's user id, as the token shows it.
            return (Identity.userID(grant.user.name), grant.project, grant.user.roles)
        }
    }

    /// Runs the events due before a request is answered (speed mode), or ticks (manual mode
    /// with a tick, compute requests only).
    mutating func catchUp(compute: Bool) {
        guard let target = time.target(wallNow: monotonicNow(), simulatedNow: cloud.now, compute: compute) else { return }
        // The cloud refuses only times past SimTime.limit, which `target` never exceeds.
        try? cloud.advance(to: target)
    }

    /// An authenticated request handed to one of the cloud's facades.
    private mutating func forward(
        _ request: HTTPRequest, path: String, compute: Bool, to facade: (inout ComputeCloud, APIRequest) -> APIResponse
    ) -> APIResponse {
        let who: (user: String, project: ProjectID, roles: [Role])
        do { who = try caller(request) } catch { return unauthorized(error) }
        catchUp(compute: compute)
        // The facade reads only the microversion headers.
        var headers: [String: String] = [:]
        for (name, value) in request.headers
        where HTTPHeaders.sameName(name, "OpenStack-API-Version") || HTTPHeaders.sameName(name, "X-OpenStack-Nova-API-Version") {
            headers[name] = value
        }
        let apiRequest = APIRequest(
            method: HTTPMethod(rawValue: request.method), path: path, headers: headers, body: request.body.isEmpty ? nil : request.body,
            project: who.project, user: who.user, roles: who.roles)
        return facade(&cloud, apiRequest)
    }

    func unauthorized(_ failure: Identity.Failure) -> APIResponse {
        var response = failure.response
        if failure.status == 401 { response.headers["WWW-Authenticate"] = "Keystone uri=\"\(base)/identity\"" }
        return response
    }

    // MARK: Services

    private mutating func computeRequest(_ request: HTTPRequest, target: Target, method: String) -> APIResponse {
        let segments = target.segments.dropFirst()
        // The version documents need no token: the facade's own, on this listener's address.
        if segments.count <= 1, segments.first.map({ $0 == "v2.1" }) ?? true, method == "GET" || method == "HEAD" {
            return APIResponse(status: 200, body: cloud.versionDocument(current: !segments.isEmpty))
        }
        guard segments.first == "v2.1" else {
            return APIResponse(status: 404, body: ["itemNotFound": ["code": 404, "message": "The resource could not be found."]])
        }
        return forward(request, path: target.rest, compute: true) { cloud, request in cloud.handle(request, renderingBody: true) }
    }

    private mutating func imageRequest(_ request: HTTPRequest, target: Target, method: String) -> APIResponse {
        let segments = target.segments.dropFirst()
        if segments.count <= 1, segments.first.map({ $0 == "v2" || $0 == "versions" }) ?? true, method == "GET" || method == "HEAD" {
            let version: JSONValue = ["id": "v2.9", "status": "CURRENT", "links": [["rel": "self", "href": .string(urls.image + "/v2/")]]]
            return APIResponse(status: segments.isEmpty ? 300 : 200, body: ["versions": [version]])
        }
        return forward(request, path: target.rest, compute: false) { cloud, request in cloud.handleImage(request) }
    }

    private mutating func networkRequest(_ request: HTTPRequest, target: Target, method: String) -> APIResponse {
        let segments = target.segments.dropFirst()
        if segments.isEmpty, method == "GET" || method == "HEAD" {
            return APIResponse(
                status: 200, body: ["versions": [["id": "v2.0", "status": "CURRENT", "links": [["rel": "self", "href": .string(urls.network + "/v2.0/")]]]]])
        }
        if segments.count == 1, segments.first == "v2.0", method == "GET" || method == "HEAD" {
            let resources: [JSONValue] = ["network", "subnet", "port"].map { name in
                ["name": .string(name), "collection": .string(name + "s"), "links": [["rel": "self", "href": .string(urls.network + "/v2.0/\(name)s")]]]
            }
            return APIResponse(status: 200, body: ["resources": .array(resources)])
        }
        guard segments.first == "v2.0" else {
            return APIResponse(status: 404, body: ["NeutronError": ["type": "HTTPNotFound", "message": "The resource could not be found.", "detail": ""]])
        }
        if segments.count == 2, segments.last == "extensions", method == "GET" {
            guard (try? caller(request)) != nil else { return unauthorized(.unauthorized) }
            return APIResponse(status: 200, body: ["extensions": []])
        }
        return forward(request, path: target.rest, compute: false) { cloud, request in cloud.handle(request) }
    }
}
