import ComputeSim
import Foundation
import Testing

@testable import ComputeSimServer

/// A server on an ephemeral port for one test; stopped when the test returns.
func withServer(
    time: TimeMode = .manual(tickPerRequest: nil), auth: AuthMode = .keystone, limits: ListenerLimits = ListenerLimits(),
    _ body: (SimulatorServer) throws -> Void
) throws {
    var options = ServerOptions()
    options.port = 0
    options.time = time
    options.auth = auth
    options.limits = limits
    let server = try SimulatorServer(configuration: CloudConfiguration(), options: options)
    server.start()
    defer { server.stop() }
    try body(server)
}

let demoSignIn =
    #"{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"demo","domain":{"name":"Default"},"password":"secret"}}},"scope":{"project":{"name":"demo","domain":{"name":"Default"}}}}}"#
let adminSignIn = #"{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"admin","domain":{"id":"default"},"password":"secret"}}}}}"#

/// Signs in and returns the token.
func signIn(_ client: TestClient, _ body: String = demoSignIn) throws -> String {
    let response = try client.request("POST", "/identity/v3/auth/tokens", json: body)
    #expect(response.status == 201)
    return try #require(response.header("X-Subject-Token"))
}

@Suite("The server over real sockets")
struct SimulatorServerTests {
    @Test("A client signs in with a password and gets a project-scoped token with a four-service catalog on the listener's address")
    func signInGivesACatalog() throws {
        try withServer { server in
            let client = try TestClient(port: server.port)
            let response = try client.request("POST", "/identity/v3/auth/tokens", json: demoSignIn)
            #expect(response.status == 201)
            #expect(response.header("X-Subject-Token")?.hasPrefix("gAAAAA") == true)
            let token = try JSONValue(parsing: response.body)["token"]
            #expect(token?["project"]?["name"] == "demo")
            #expect(token?["user"]?["name"] == "demo")
            #expect(token?["roles"]?[0]?["name"] == "member")
            let catalog = token?["catalog"]?.arrayValue ?? []
            #expect(catalog.compactMap { $0["type"]?.stringValue } == ["identity", "compute", "image", "network"])
            #expect(catalog[1]["endpoints"]?[0]?["url"] == .string("http://127.0.0.1:\(server.port)/compute/v2.1"))
            #expect(catalog[1]["endpoints"]?[0]?["interface"] == "public")
            #expect(catalog[1]["endpoints"]?[0]?["region"] == "RegionOne")
            // expires_at is on the real clock, hours ahead of issued_at.
            let issued = token?["issued_at"]?.stringValue ?? "", expires = token?["expires_at"]?.stringValue ?? ""
            #expect(issued.hasSuffix(".000000Z") && expires > issued)
        }
    }

    @Test("A wrong password, a foreign project scope or a missing token is Keystone's 401 with WWW-Authenticate")
    func refusalsAre401() throws {
        try withServer { server in
            let client = try TestClient(port: server.port)
            let wrong = try client.request("POST", "/identity/v3/auth/tokens", json: demoSignIn.replacingOccurrences(of: "secret", with: "guess"))
            let expected = #"{"error":{"code":401,"message":"The request you have made requires authentication.","title":"Unauthorized"}}"#
            #expect(wrong.status == 401)
            #expect(wrong.text == expected)
            let foreign = try client.request(
                "POST", "/identity/v3/auth/tokens", json: demoSignIn.replacingOccurrences(of: #""project":{"name":"demo""#, with: #""project":{"name":"admin""#)
            )
            #expect(foreign.status == 401)
            let missing = try client.request("GET", "/compute/v2.1/servers")
            #expect(missing.status == 401)
            #expect(missing.text == expected)
            #expect(missing.header("WWW-Authenticate") == "Keystone uri=\"http://127.0.0.1:\(server.port)/identity\"")
            let forged = try client.request("GET", "/compute/v2.1/servers", token: "gAAAAAforged")
            #expect(forged.status == 401)
        }
    }

    @Test("Version documents need no token: compute names 2.1 to 2.56, identity v3, image and network their versions")
    func versionDocuments() throws {
        try withServer { server in
            let client = try TestClient(port: server.port)
            let base = "http://127.0.0.1:\(server.port)"
            let compute = try client.request("GET", "/compute/v2.1")
            #expect(compute.status == 200)
            let version = try JSONValue(parsing: compute.body)["version"]
            #expect(version?["version"] == "2.56")
            #expect(version?["min_version"] == "2.1")
            #expect(version?["links"]?[0]?["href"] == .string(base + "/compute/v2.1/"))
            let root = try client.request("GET", "/compute/")
            #expect(try JSONValue(parsing: root.body)["versions"]?[1]?["id"] == "v2.1")
            let identity = try client.request("GET", "/identity/v3")
            #expect(try JSONValue(parsing: identity.body)["version"]?["id"] == "v3.14")
            #expect(try client.request("GET", "/identity").status == 300)
            #expect(try client.request("GET", "/image").status == 300)
            let network = try client.request("GET", "/network")
            #expect(try JSONValue(parsing: network.body)["versions"]?[0]?["links"]?[0]?["href"] == .string(base + "/network/v2.0/"))
            let unknown = try client.request("GET", "/nowhere")
            #expect(unknown.status == 404)
        }
    }

    @Test("With manual time a server stays BUILD until /sim/advance, then is ACTIVE; links carry the listener's address")
    func manualTimeMovesOnlyByControl() throws {
        try withServer(auth: .noauth) { server in
            let client = try TestClient(port: server.port)
            let created = try client.request(
                "POST", "/compute/v2.1/servers", token: "demo:demo",
                json: #"{"server":{"name":"web","imageRef":"70a599e0-31e7-49b7-b260-868f441e862b","flavorRef":"1"}}"#)
            #expect(created.status == 202)
            let id = try #require(try JSONValue(parsing: created.body)["server"]?["id"]?.stringValue)
            let building = try client.request("GET", "/compute/v2.1/servers/\(id)", token: "demo:demo")
            let view = try JSONValue(parsing: building.body)["server"]
            #expect(view?["status"] == "BUILD")
            #expect(view?["links"]?[0]?["href"] == .string("http://127.0.0.1:\(server.port)/compute/v2.1/servers/\(id)"))
            let advanced = try client.request("POST", "/sim/advance", token: "admin:admin", json: #"{"duration":"5m"}"#)
            #expect(advanced.status == 200)
            #expect(try JSONValue(parsing: advanced.body)["seconds"] == "300.000000000")
            let active = try client.request("GET", "/compute/v2.1/servers/\(id)", token: "demo:demo")
            #expect(try JSONValue(parsing: active.body)["server"]?["status"] == "ACTIVE")
            let clock = try client.request("GET", "/sim/clock", token: "admin:admin")
            #expect(try JSONValue(parsing: clock.body)["mode"] == "manual")
        }
    }

    @Test("The same requests against two servers of one seed give byte-identical responses (tokens and request ids too)")
    func sameRequestsSameBytes() throws {
        func transcript() throws -> [String] {
            var lines: [String] = []
            try withServer(time: .manual(tickPerRequest: .seconds(10))) { server in
                let client = try TestClient(port: server.port)
                let token = try signIn(client)
                lines.append(token)
                let created = try client.request(
                    "POST", "/compute/v2.1/servers", token: token,
                    json: #"{"server":{"name":"a","imageRef":"70a599e0-31e7-49b7-b260-868f441e862b","flavorRef":"1","metadata":{"k":"v"}}}"#)
                let id = try JSONValue(parsing: created.body)["server"]?["id"]?.stringValue ?? ""
                lines.append(created.text.replacingOccurrences(of: ":\(server.port)/", with: ":PORT/"))
                for _ in 0..<4 {
                    let shown = try client.request("GET", "/compute/v2.1/servers/\(id)", token: token)
                    lines.append(
                        "\(shown.status) \(shown.header("x-openstack-request-id") ?? "") \(shown.text)".replacingOccurrences(
                            of: ":\(server.port)/", with: ":PORT/"))
                }
            }
            return lines
        }
        let first = try transcript()
        #expect(first.count == 6)
        #expect(first.last?.contains(#""status":"ACTIVE""#) == true)
        #expect(try transcript() == first)
    }

    @Test("A snapshot taken before a create, restored, forgets the server; an unknown snapshot is 404")
    func snapshotAndRestore() throws {
        try withServer(auth: .noauth) { server in
            let client = try TestClient(port: server.port)
            #expect(try client.request("POST", "/sim/snapshot", token: "admin", json: #"{"name":"clean"}"#).status == 201)
            let created = try client.request(
                "POST", "/compute/v2.1/servers", token: "demo:demo",
                json: #"{"server":{"name":"web","imageRef":"70a599e0-31e7-49b7-b260-868f441e862b","flavorRef":"1"}}"#)
            let id = try JSONValue(parsing: created.body)["server"]?["id"]?.stringValue ?? ""
            #expect(try client.request("GET", "/compute/v2.1/servers/\(id)", token: "demo:demo").status == 200)
            #expect(try client.request("POST", "/sim/restore/clean", token: "admin").status == 200)
            #expect(try client.request("GET", "/compute/v2.1/servers/\(id)", token: "demo:demo").status == 404)
            let missing = try client.request("POST", "/sim/restore/other", token: "admin")
            #expect(missing.status == 404)
            #expect(missing.text == #"{"error":{"code":404,"message":"no snapshot named other"}}"#)
            let list = try client.request("GET", "/sim/snapshots", token: "admin")
            #expect(list.text == #"{"snapshots":["clean"]}"#)
        }
    }

    @Test("Faults, files and trace under /sim; a member is refused with 403")
    func controls() throws {
        try withServer { server in
            let client = try TestClient(port: server.port)
            let demo = try signIn(client)
            let admin = try signIn(client, adminSignIn)
            #expect(try client.request("GET", "/sim/clock", token: demo).status == 403)
            let created = try client.request(
                "POST", "/compute/v2.1/servers", token: demo,
                json:
                    #"{"server":{"name":"web","imageRef":"70a599e0-31e7-49b7-b260-868f441e862b","flavorRef":"1","personality":[{"path":"/etc/motd","contents":"aGk="}]}}"#
            )
            let id = try JSONValue(parsing: created.body)["server"]?["id"]?.stringValue ?? ""
            _ = try client.request("POST", "/sim/run-until-idle", token: admin)
            // The server's user_id is the token's user id, as Nova shows Keystone's.
            let shown = try JSONValue(parsing: try client.request("GET", "/compute/v2.1/servers/\(id)", token: demo).body)
            #expect(shown["server"]?["user_id"] == .string(Identity.userID("demo")))
            let files = try client.request("GET", "/sim/servers/\(id)/files?path=%2Fetc", token: admin)
            #expect(files.status == 200)
            let motd = try JSONValue(parsing: files.body)["files"]?.arrayValue?.first { $0["path"] == "/etc/motd" }
            #expect(motd?["mode"] == "0440")
            #expect(motd?["contents"] == "hi")
            let fault = try client.request("POST", "/sim/fault", token: admin, json: #"{"kind":"guestCrash","server":"\#(id)"}"#)
            #expect(fault.status == 200)
            let badFault = try client.request("POST", "/sim/fault", token: admin, json: #"{"kind":"meteor"}"#)
            #expect(badFault.status == 400)
            #expect(badFault.text == #"{"error":{"code":400,"message":"fault kind meteor needs a \"host\", or is unknown"}}"#)
            let trace = try client.request("GET", "/sim/trace?limit=2", token: admin)
            #expect(try JSONValue(parsing: trace.body)["lines"]?.arrayValue?.count == 2)
            #expect(try client.request("DELETE", "/sim/clock", token: admin).status == 405)
        }
    }

    @Test("Glance lists images by name, by id=in:, and pages with limit, marker and a next link")
    func imageService() throws {
        try withServer(auth: .noauth) { server in
            let client = try TestClient(port: server.port)
            let page = try JSONValue(parsing: try client.request("GET", "/image/v2/images?limit=1", token: "demo").body)
            #expect(page["images"]?.arrayValue?.count == 1)
            let first = page["images"]?[0]?["id"]?.stringValue ?? ""
            #expect(page["next"] == .string("/v2/images?marker=\(first)&limit=1"))
            let rest = try JSONValue(parsing: try client.request("GET", "/image/v2/images?limit=1&marker=\(first)", token: "demo").body)
            #expect(rest["images"]?[0]?["id"]?.stringValue != first)
            let byName = try JSONValue(parsing: try client.request("GET", "/image/v2/images?name=ubuntu-24.04", token: "demo").body)
            #expect(byName["images"]?[0]?["status"] == "active")
            #expect(byName["images"]?[0]?["hypervisor_type"] == "kvm")
            let byID = try client.request("GET", "/image/v2/images?id=in:\(first)", token: "demo")
            #expect(try JSONValue(parsing: byID.body)["images"]?.arrayValue?.count == 1)
            #expect(try client.request("GET", "/image/v2/images/nope", token: "demo").status == 404)
            #expect(try client.request("DELETE", "/image/v2/images/\(first)", token: "demo").status == 405)
        }
    }

    @Test("Neutron answers subnets, empty floating IPs and routers, and its own error body")
    func networkService() throws {
        try withServer(auth: .noauth) { server in
            let client = try TestClient(port: server.port)
            let subnets = try JSONValue(parsing: try client.request("GET", "/network/v2.0/subnets?ip_version=4", token: "demo").body)
            #expect(subnets["subnets"]?[0]?["cidr"] == "10.0.0.0/24")
            #expect(subnets["subnets"]?[0]?["gateway_ip"] == "10.0.0.1")
            #expect(try client.request("GET", "/network/v2.0/floatingips", token: "demo").text == #"{"floatingips":[]}"#)
            #expect(try client.request("GET", "/network/v2.0/routers", token: "demo").text == #"{"routers":[]}"#)
            let missing = try client.request("GET", "/network/v2.0/networks/nope", token: "demo")
            #expect(missing.status == 404)
            #expect(missing.text == #"{"NeutronError":{"detail":"","message":"Network nope could not be found.","type":"NetworkNotFound"}}"#)
        }
    }

    @Test("A port in use is a bind error naming the address")
    func portInUse() throws {
        try withServer { server in
            var options = ServerOptions()
            options.port = server.port
            #expect {
                _ = try SimulatorServer(configuration: CloudConfiguration(), options: options)
            } throws: { error in
                (error as? ServerError)?.code == .bind && (error as? ServerError)?.message == "cannot bind 127.0.0.1:\(server.port): Address already in use"
            }
        }
    }
}
