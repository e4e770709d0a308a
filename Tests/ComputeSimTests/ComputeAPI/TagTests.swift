import Testing

@testable import ComputeSim

struct TagTests {
    static let v226 = ["OpenStack-API-Version": "compute 2.26"]
    static let create = #"{"server": {"name": "NAME", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1"}}"#

    /// A cloud with one ACTIVE server; its id.
    static func activeServer() throws -> (ComputeCloud, String) {
        var cloud = try ComputeCloud()
        let created = API.call(&cloud, "POST", "/servers", create.replacingOccurrences(of: "NAME", with: "web"))
        let id = try #require(created.body?.value(at: "server.id")?.stringValue)
        try cloud.advance(by: .minutes(5))
        return (cloud, id)
    }

    @Test("the six tag calls answer as Nova's: 201 with Location for a new tag, 204 for a known one, sorted and unique lists")
    func tagCalls() throws {
        var (cloud, id) = try Self.activeServer()
        let added = API.call(&cloud, "PUT", "/servers/\(id)/tags/web", headers: Self.v226)
        #expect(added.status == 201)
        #expect(added.headers["Location"] == "http://compute.sim/v2.1/servers/\(id)/tags/web")
        #expect(API.call(&cloud, "PUT", "/servers/\(id)/tags/web", headers: Self.v226).status == 204)
        #expect(API.call(&cloud, "GET", "/servers/\(id)/tags/web", headers: Self.v226).status == 204)
        let missing = API.call(&cloud, "GET", "/servers/\(id)/tags/db", headers: Self.v226)
        #expect(missing.status == 404)
        #expect(missing.body?.value(at: "itemNotFound.message") == .string("Server \(id) has no tag 'db'"))
        let replaced = API.call(&cloud, "PUT", "/servers/\(id)/tags", #"{"tags": ["zeta", "alpha", "zeta"]}"#, headers: Self.v226)
        #expect(replaced.bodyText == #"{"tags":["alpha","zeta"]}"#)
        #expect(API.call(&cloud, "GET", "/servers/\(id)", headers: Self.v226).body?.value(at: "server.tags") == ["alpha", "zeta"])
        #expect(API.call(&cloud, "DELETE", "/servers/\(id)/tags/alpha", headers: Self.v226).status == 204)
        let gone = API.call(&cloud, "DELETE", "/servers/\(id)/tags/alpha", headers: Self.v226)
        #expect(gone.status == 404)
        #expect(gone.body?.value(at: "itemNotFound.message") == "Tag alpha could not be found.")
        #expect(API.call(&cloud, "DELETE", "/servers/\(id)/tags", headers: Self.v226).status == 204)
        #expect(API.call(&cloud, "GET", "/servers/\(id)/tags", headers: Self.v226).bodyText == #"{"tags":[]}"#)
        // Before 2.26 there is no such resource, and views have no tags.
        #expect(API.call(&cloud, "GET", "/servers/\(id)/tags").status == 404)
        #expect(API.call(&cloud, "GET", "/servers/\(id)").body?.value(at: "server.tags") == nil)
    }

    @Test("invalid tags, a 51st tag and a building server are refused with Nova's texts")
    func refusals() throws {
        var (cloud, id) = try Self.activeServer()
        let slash = API.call(&cloud, "PUT", "/servers/\(id)/tags/a,b", headers: Self.v226)
        #expect(slash.status == 400)
        #expect(
            slash.body?.value(at: "badRequest.message")
                == "Tag 'a,b' is invalid. It must be a non empty string without characters '/' and ','. Validation error message: 'a,b' does not match '^[^,/]*$'"
        )
        let long = String(repeating: "t", count: 61)
        #expect(API.call(&cloud, "PUT", "/servers/\(id)/tags", #"{"tags": ["\#(long)"]}"#, headers: Self.v226).status == 400)
        let fifty = (0..<50).map { "\"t\($0)\"" }.joined(separator: ",")
        #expect(API.call(&cloud, "PUT", "/servers/\(id)/tags", #"{"tags": [\#(fifty)]}"#, headers: Self.v226).status == 200)
        let extra = API.call(&cloud, "PUT", "/servers/\(id)/tags/one-more", headers: Self.v226)
        #expect(extra.status == 400)
        #expect(extra.body?.value(at: "badRequest.message") == "The number of tags exceeded the per-server limit 50")
        let building = API.call(&cloud, "POST", "/servers", Self.create.replacingOccurrences(of: "NAME", with: "new"))
        let newID = try #require(building.body?.value(at: "server.id")?.stringValue)
        let early = API.call(&cloud, "PUT", "/servers/\(newID)/tags/x", headers: Self.v226)
        #expect(early.status == 409)
        #expect(early.body?.value(at: "conflictingRequest.message") == .string("Cannot 'update tag' instance \(newID) while it is in vm_state building"))
    }

    @Test("tags, tags-any, not-tags and not-tags-any filter the list; a create from 2.52 sets tags")
    func filtersAndCreate() throws {
        var cloud = try ComputeCloud()
        let v252 = ["OpenStack-API-Version": "compute 2.52"]
        var ids: [String: String] = [:]
        for (name, tags) in [("a", #"["web", "prod"]"#), ("b", #"["web"]"#), ("c", #"[]"#)] {
            let body =
                #"{"server": {"name": "\#(name)", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1", "networks": "auto", "tags": \#(tags)}}"#
            let created = API.call(&cloud, "POST", "/servers", body, headers: v252)
            #expect(created.status == 202)
            ids[name] = created.body?.value(at: "server.id")?.stringValue
        }
        func names(_ query: String) -> [String] {
            let listed = API.call(&cloud, "GET", "/servers/detail?\(query)", headers: Self.v226)
            return (listed.body?.value(at: "servers")?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }.sorted()
        }
        #expect(names("tags=web,prod") == ["a"])
        #expect(names("tags-any=prod,web") == ["a", "b"])
        #expect(names("not-tags=web,prod") == ["b", "c"])
        #expect(names("not-tags-any=prod") == ["b", "c"])
        let shown = API.call(&cloud, "GET", "/servers/\(ids["a"] ?? "")", headers: v252)
        #expect(shown.body?.value(at: "server.tags") == ["prod", "web"])
    }
}
