import Foundation  // percent-decoding of query strings

/// The JSON facade: Compute API v2.1 requests in, Nova-shaped responses out.
extension ComputeCloud {
    /// The microversions this facade accepts.

    /// Answers one API request. Never throws: every failure is an error response with Nova's
    /// fault body. Unknown paths are 404, wrong methods 405, bodies that are not JSON 400.
    public mutating func handle(_ request: APIRequest) -> APIResponse { handle(request, renderingBody: false) }

    /// Answers one API request as ``handle(_:)`` does; with `renderingBody`, responses the facade
    /// can write straight to canonical JSON bytes (today `GET /servers/{id}` and
    /// `GET /servers/detail`) carry their body
    /// only as ``APIResponse/bodyBytes`` (``APIResponse/body`` is nil): the same bytes, without
    /// building the value first. For a server that writes bodies to the wire.
    public mutating func handle(_ request: APIRequest, renderingBody: Bool) -> APIResponse {
        // Nova's request id middleware: one id per request, drawn before the request runs so
        // the actions it records carry it.
        let requestID = RequestID(&requestIDs)
        if var response = networkAPI(request) {
            // Neutron's paths (/v2.0/networks, /v2.0/ports): no compute microversion headers.
            if response.body != nil { response.headers["Content-Type"] = "application/json" }
            response.headers["x-openstack-request-id"] = requestID.text
            return response
        }
        var response: APIResponse
        var version = Microversion.minimum
        currentRequest = requestID
        do {
            version = try Self.negotiateVersion(request.headers)
            response = try route(request, version: version, rendering: renderingBody)
        } catch {
            response = APIResponse(error)
        }
        currentRequest = nil
        let versionText = version.description
        response.headers.reserveCapacity(response.headers.count + 6)
        response.headers["OpenStack-API-Version"] = "compute \(versionText)"
        response.headers["X-OpenStack-Nova-API-Version"] = versionText
        response.headers["Vary"] = "OpenStack-API-Version, X-OpenStack-Nova-API-Version"
        if response.hasBody { response.headers["Content-Type"] = "application/json" }
        // Under both of the middleware's names.
        let requestText = requestID.text
        response.headers["x-openstack-request-id"] = requestText
        response.headers["x-compute-request-id"] = requestText
        return response
    }

    static func negotiateVersion(_ headers: [String: String]) throws(CloudError) -> Microversion {
        if headers.isEmpty { return Microversion.minimum }
        var requested: String? = nil
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            switch name.lowercased() {
            case "openstack-api-version":
                let parts = value.split(separator: " ")
                if parts.count == 2, parts[0].lowercased() == "compute" { requested = String(parts[1]) }
            case "x-openstack-nova-api-version":
                if requested == nil { requested = value.trimmingWhitespace }
            default: break
            }
        }
        guard let text = requested else { return Microversion.minimum }
        if text.lowercased() == "latest" { return Microversion.maximum }
        let numbers = text.split(separator: ".").compactMap { Int($0) }
        guard numbers.count == 2 else { throw CloudError(.badRequest, "API Version String \(text) is of invalid format. Must be of format MajorNum.MinorNum.") }
        let version = Microversion(numbers[0], numbers[1])
        guard version >= Microversion.minimum, version <= Microversion.maximum else {
            throw CloudError(.notAcceptable, "Version \(text) is not supported by the API. Minimum is 2.1 and maximum is 2.56.")
        }
        return version
    }

    // MARK: Routing

    struct Route {
        var segments: [String]
        var query: [(String, String)]
        var projectInURL: Bool
        func values(_ name: String) -> [String] { query.filter { $0.0 == name }.map(\.1) }
        func value(_ name: String) -> String? { values(name).last }
    }

    static let collections: Set<String> = [
        "servers", "flavors", "images", "limits", "os-server-groups", "os-hypervisors", "os-networks", "os-keypairs", "os-availability-zone", "os-services",
        "extensions", "os-quota-sets", "os-simple-tenant-usage", "os-migrations", "os-aggregates",
    ]

    func parseRoute(_ request: APIRequest) -> Route {
        // Splitting on the ASCII delimiters' bytes (as Nova splits on code points), not on
        // Characters, and testing for "%" and "+" on bytes: with Foundation imported, a
        // `contains("%")` on a String is Foundation's locale-aware substring search.
        let parts = Self.split(Substring(request.path), on: "?", maxSplits: 1)
        // Percent-decoding goes through Foundation; only pay for it when there is something to decode.
        func decoded(_ text: Substring) -> String {
            text.utf8.contains(UInt8(ascii: "%")) ? (String(text).removingPercentEncoding ?? String(text)) : String(text)
        }
        var segments = Self.split(parts[0], on: "/").filter { !$0.isEmpty }.map(decoded)
        if segments.first == "v2.1" { segments.removeFirst() }
        var projectInURL = false
        if let first = segments.first, !Self.collections.contains(first), segments.count > 1 {
            segments.removeFirst()
            projectInURL = true
        }
        var query: [(String, String)] = []
        if parts.count > 1 {
            for pair in Self.split(parts[1], on: "&") where !pair.isEmpty {
                let kv = Self.split(pair, on: "=", maxSplits: 1)
                let key = decoded(kv[0])
                let rawValue = kv.count > 1 ? kv[1] : ""
                let value =
                    rawValue.utf8.contains(UInt8(ascii: "+"))
                    ? decoded(Substring(String(rawValue).replacingOccurrences(of: "+", with: " "))) : decoded(rawValue)
                query.append((key, value))
            }
        }
        return Route(segments: segments, query: query, projectInURL: projectInURL)
    }

    /// `text` split at every `separator` byte (an ASCII delimiter), empty pieces kept, into at
    /// most `maxSplits + 1` pieces.
    /// - Complexity: O(n) over the UTF-8 bytes.
    static func split(_ text: Substring, on separator: Unicode.Scalar, maxSplits: Int = .max) -> [Substring] {
        let byte = UInt8(ascii: separator)
        var pieces: [Substring] = []
        var start = text.utf8.startIndex
        var index = start
        while index < text.utf8.endIndex {
            if text.utf8[index] == byte && pieces.count < maxSplits {
                pieces.append(Substring(text.utf8[start..<index]))
                start = text.utf8.index(after: index)
            }
            index = text.utf8.index(after: index)
        }
        pieces.append(Substring(text.utf8[start...]))
        return pieces
    }

    func body(_ request: APIRequest) throws(CloudError) -> JSONValue {
        guard let bytes = request.body, !bytes.isEmpty else { throw CloudError(.badRequest, "Malformed request body") }
        guard bytes.count <= 114_688 else { throw CloudError(.overLimit, "Request is too large.") }
        // Nova says only "Malformed request body"; ComputeSim adds where and why (issue 9).
        do { return try JSONParser.parse(bytes) } catch { throw CloudError(.badRequest, "Malformed request body: \(error.description)") }
    }

    mutating func route(_ request: APIRequest, version: Microversion, rendering: Bool = false) throws(CloudError) -> APIResponse {
        let route = parseRoute(request)
        let caller = request.caller
        let method = request.method.normalized
        let notFound = CloudError(.itemNotFound, "The resource could not be found.")
        let badMethod = CloudError(.badMethod, "The method specified is not allowed for this resource.")
        func only(_ allowed: String...) throws(CloudError) { guard allowed.contains(method) else { throw badMethod } }
        let links = LinkBuilder(base: world.configuration.apiBaseURL, project: route.projectInURL ? caller.project.rawValue : nil)
        switch route.segments.first {
        case nil where !route.projectInURL:
            // `GET /` lists the versions, `GET /v2.1` describes the current one.
            try only("GET")
            let path = Self.split(Substring(request.path), on: "?", maxSplits: 1)[0]
            let current = Self.split(path, on: "/").contains("v2.1")
            return APIResponse(status: 200, body: versionDocument(current: current))
        case "os-services"?:
            return try serviceRequest(route, method: method, request: request, caller: caller, version: version)
        case "extensions"?:
            return try extensionRequest(route, method: method)
        case "os-migrations"?:
            return try migrationList(route, method: method, caller: caller, links: links, version: version)
        case "os-simple-tenant-usage"?:
            return try usageRequest(route, method: method, caller: caller, links: links, version: version)
        case "os-quota-sets"?:
            return try quotaSetRequest(route, method: method, request: request, caller: caller, version: version)
        case "os-availability-zone"?:
            try only("GET")
            guard route.segments.count <= 2, route.segments.count == 1 || route.segments[1] == "detail" else { throw notFound }
            return try availabilityZones(detail: route.segments.count == 2, caller: caller)
        case "servers"?:
            let rest = Array(route.segments.dropFirst())
            switch rest.count {
            case 0:
                try only("GET", "POST")
                if method == "POST" { return try createServer(try body(request), caller: caller, links: links, version: version) }
                return try listServers(route, caller: caller, detail: false, links: links, version: version)
            case 1 where rest[0] == "detail":
                try only("GET")
                return try listServers(route, caller: caller, detail: true, links: links, version: version, rendering: rendering)
            case 1:
                try only("GET", "PUT", "DELETE")
                let id = ServerID(rest[0])
                switch method {
                case "GET":
                    let shown = try server(id, as: caller)
                    guard rendering else {
                        return APIResponse(status: 200, body: ["server": serverJSON(shown, caller: caller, links: links, version: version)])
                    }
                    var writer = JSONByteWriter()
                    writer.beginObject()
                    writer.key("server")
                    writeServer(shown, caller: caller, links: links, version: version, into: &writer)
                    writer.endObject()
                    var response = APIResponse(status: 200)
                    response.rendered = writer.bytes
                    return response
                case "PUT":
                    let body = try body(request)
                    guard let update = body["server"], update.objectValue != nil else {
                        throw CloudError(
                            .badRequest, "Invalid input for field/attribute server. Value: \(body.redacted.canonicalText). 'server' is a required property")
                    }
                    try BodySchema.rejectUnexpected(body, allowed: ["server"], field: nil)
                    try BodySchema.rejectUnexpected(update, allowed: BodySchema.updateServer(version), field: "server")
                    for key in ["name", "accessIPv4", "accessIPv6"] + (version >= Microversion(2, 19) ? ["description"] : []) {
                        if let value = update[key], value.stringValue == nil {
                            throw CloudError(
                                .badRequest,
                                "Invalid input for field/attribute \(key). Value: \(value.redacted.canonicalText). \(value.redacted.canonicalText) is not of type 'string'"
                            )
                        }
                    }
                    let description = version >= Microversion(2, 19) ? update["description"]?.stringValue : nil
                    let updated = try updateServer(
                        id, name: update["name"]?.stringValue, description: description, accessIPv4: update["accessIPv4"]?.stringValue,
                        accessIPv6: update["accessIPv6"]?.stringValue, as: caller)
                    return APIResponse(
                        status: 200, body: ["server": serverJSON(updated, caller: caller, links: links, version: version, scope: .updated(showsKeyName: false))]
                    )
                default:
                    try deleteServer(id, as: caller)
                    return APIResponse(status: 204)
                }
            case 2 where rest[1] == "os-server-password":
                // The password a guest posts to the metadata service, encrypted with its key pair:
                // the simulated guests are Linux cloud images whose cloud-init posts none, so it
                // is always empty, and clearing it changes nothing (as Nova's for such guests).
                try only("GET", "DELETE")
                _ = try index(of: ServerID(rest[0]), for: caller)
                return method == "DELETE" ? APIResponse(status: 204) : APIResponse(status: 200, body: ["password": ""])
            case 2 where rest[1] == "diagnostics":
                return try diagnosticsRequest(ServerID(rest[0]), method: method, caller: caller, version: version)
            case 2 where rest[1] == "migrations", 3 where rest[1] == "migrations":
                if rest.count == 3 && method == "DELETE" && version >= Microversion(2, 24) {
                    try abortLiveMigration(Self.migrationNumber(rest[2]), of: ServerID(rest[0]), as: caller)
                    return APIResponse(status: 202)
                }
                return try serverMigrations(ServerID(rest[0]), migration: rest.count == 3 ? rest[2] : nil, method: method, caller: caller, version: version)
            case 4 where rest[1] == "migrations" && rest[3] == "action":
                guard version >= Microversion(2, 22) else { throw notFound }
                try only("POST")
                let body = try body(request)
                guard let argument = body["force_complete"] else {
                    throw CloudError(.badRequest, "'force_complete' is a required property")
                }
                try BodySchema.rejectUnexpected(body, allowed: ["force_complete"], field: nil)
                guard argument.isNull else {
                    let shown = argument.redacted.canonicalText
                    throw CloudError(.badRequest, "Invalid input for field/attribute force_complete. Value: \(shown). \(shown) is not of type 'null'")
                }
                try forceCompleteLiveMigration(Self.migrationNumber(rest[2]), of: ServerID(rest[0]), as: caller)
                return APIResponse(status: 202)
            case 2 where rest[1] == "os-instance-actions", 3 where rest[1] == "os-instance-actions":
                return try instanceActionRequest(
                    route, server: ServerID(rest[0]), requestID: rest.count == 3 ? rest[2] : nil, method: method, caller: caller, links: links,
                    version: version)
            case 2 where rest[1] == "action":
                try only("POST")
                return try performAction(try body(request), on: ServerID(rest[0]), caller: caller, links: links, version: version)
            case 2 where rest[1] == "metadata":
                try only("GET", "PUT", "POST")
                let id = ServerID(rest[0])
                if method == "GET" { return APIResponse(status: 200, body: ["metadata": Self.dictionary(try server(id, as: caller).metadata)]) }
                let body = try body(request)
                if body["metadata"] != nil { try BodySchema.rejectUnexpected(body, allowed: ["metadata"], field: nil) }
                let items = try Self.metadataBody(body, key: "metadata")
                return APIResponse(status: 200, body: ["metadata": Self.dictionary(try updateMetadata(id, items, replacing: method == "PUT", as: caller))])
            case 2 where rest[1] == "tags", 3 where rest[1] == "tags":
                guard version >= Microversion(2, 26) else { throw notFound }
                return try tagRequest(request, server: ServerID(rest[0]), tag: rest.count == 3 ? rest[2] : nil, method: method, caller: caller)
            case 2 where rest[1] == "os-interface", 3 where rest[1] == "os-interface":
                return try interfaceRequest(request, server: ServerID(rest[0]), port: rest.count == 3 ? PortID(rest[2]) : nil, caller: caller, version: version)
            case 3 where rest[1] == "metadata":
                try only("GET", "PUT", "DELETE")
                let id = ServerID(rest[0]), key = rest[2]
                switch method {
                case "GET":
                    guard let value = try server(id, as: caller).metadata[key] else { throw CloudError(.itemNotFound, "Metadata item was not found") }
                    return APIResponse(status: 200, body: ["meta": .object([(key, .string(value))])])
                case "PUT":
                    let body = try body(request)
                    if body["meta"] != nil { try BodySchema.rejectUnexpected(body, allowed: ["meta"], field: nil) }
                    let items = try Self.metadataBody(body, key: "meta")
                    guard items.count == 1, let value = items[key] else {
                        throw CloudError(.badRequest, items.count == 1 ? "Request body and URI mismatch" : "Request body contains too many items")
                    }
                    _ = try updateMetadata(id, [key: value], replacing: false, as: caller)
                    return APIResponse(status: 200, body: ["meta": .object([(key, .string(value))])])
                default:
                    try deleteMetadata(id, key: key, as: caller)
                    return APIResponse(status: 204)
                }
            case 2 where rest[1] == "ips", 3 where rest[1] == "ips":
                try only("GET")
                let server = try server(ServerID(rest[0]), as: caller)
                let networks = Self.addresses(server, detailed: false)
                if rest.count == 3 {
                    guard let addresses = networks[rest[2]] else { throw CloudError(.itemNotFound, "Instance is not a member of specified network") }
                    return APIResponse(status: 200, body: .object([(rest[2], addresses)]))
                }
                return APIResponse(status: 200, body: ["addresses": networks])
            default: throw notFound
            }
        case "os-aggregates"?:
            return try aggregateRequest(route, method: method, request: request, caller: caller, version: version)
        case "flavors"?:
            return try flavorRequest(route, method: method, request: request, caller: caller, links: links, version: version)
        case "images"?:
            return try imageProxyRequest(route, method: method, request: request, caller: caller, links: links, version: version)
        case "os-networks"?:
            // Nova's network proxy (until 2.35): the networks the caller may use, id and label
            // only (every other nova-network field is null).
            guard version < Microversion(2, 36) else { throw notFound }
            try only("GET")
            let rest = Array(route.segments.dropFirst())
            let visible = world.configuration.networks.filter { $0.isVisible(to: caller.project, isAdmin: caller.isAdmin) }
            if rest.isEmpty { return APIResponse(status: 200, body: ["networks": .array(visible.map { Self.networkJSON($0, caller: caller) })]) }
            guard rest.count == 1, let network = visible.first(where: { $0.id == rest[0] }) else { throw CloudError(.itemNotFound, "Network not found") }
            return APIResponse(status: 200, body: ["network": Self.networkJSON(network, caller: caller)])
        case "limits"?:
            try only("GET")
            guard route.segments.count == 1 else { throw notFound }
            return APIResponse(status: 200, body: limitsJSON(caller.project, version: version))
        case "os-server-groups"?:
            return try serverGroups(route, method: method, request: request, caller: caller)
        case "os-keypairs"?:
            return try keyPairRequest(route, method: method, request: request, caller: caller, links: links, version: version)
        case "os-hypervisors"?:
            try only("GET")
            return try hypervisorRequest(route, caller: caller, links: links, version: version)
        default:
            throw notFound
        }
    }
}
