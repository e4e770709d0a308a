import Testing

@testable import ComputeSim

/// The image proxy's writes: image metadata (until 2.38) and image deletion (until 2.35).
struct ImageProxyTests {
    static func call(_ cloud: inout ComputeCloud, _ method: HTTPMethod, _ path: String, _ body: String? = nil, admin: Bool = false, version: String = "2.1")
        -> APIResponse
    {
        API.call(&cloud, method, path, body, admin: admin, version: version)
    }

    /// A snapshot of a server of project demo.
    static func snapshot(_ cloud: inout ComputeCloud) throws -> ImageID {
        let id = try Lab.active(&cloud)
        return try #require(try cloud.perform(.createImage(name: "snap"), on: id, as: Lab.me).image)
    }

    @Test("a project sets, replaces, reads and deletes its snapshot's metadata; the catalog's images only administrators change")
    func metadata() throws {
        var cloud = try ComputeCloud()
        let image = try Self.snapshot(&cloud)
        let base = try #require(cloud.images.first { $0.id == image }).properties
        let merged = Self.call(&cloud, "POST", "/images/\(image)/metadata", #"{"metadata": {"tier": "gold"}}"#)
        #expect(merged.status == 200)
        #expect(merged.body?["metadata"]?["tier"] == "gold" && merged.body?["metadata"]?.objectValue?.count == base.count + 1)
        #expect(Self.call(&cloud, "GET", "/images/\(image)/metadata/tier").body == ["meta": ["tier": "gold"]])
        #expect(Self.call(&cloud, "PUT", "/images/\(image)/metadata/tier", #"{"meta": {"tier": "silver"}}"#).body == ["meta": ["tier": "silver"]])
        #expect(
            Self.call(&cloud, "PUT", "/images/\(image)/metadata/tier", #"{"meta": {"other": "x"}}"#).body
                == ["badRequest": ["code": 400, "message": "Request body and URI mismatch"]])
        #expect(Self.call(&cloud, "DELETE", "/images/\(image)/metadata/tier").status == 204)
        #expect(
            Self.call(&cloud, "DELETE", "/images/\(image)/metadata/tier").body == ["itemNotFound": ["code": 404, "message": "Invalid metadata key"]])
        let replaced = Self.call(&cloud, "PUT", "/images/\(image)/metadata", #"{"metadata": {"only": "this"}}"#, version: "2.38")
        #expect(replaced.body == ["metadata": ["only": "this"]])
        #expect(Self.call(&cloud, "GET", "/images/\(image)/metadata", version: "2.39").status == 404)
        // The catalog's image: members are refused, administrators may.
        let cirros = ComputeCloud.cirros
        #expect(
            Self.call(&cloud, "POST", "/images/\(cirros)/metadata", #"{"metadata": {"a": "b"}}"#).body
                == ["forbidden": ["code": 403, "message": .string("Not authorized for image \(cirros).")]])
        #expect(Self.call(&cloud, "POST", "/images/\(cirros)/metadata", #"{"metadata": {"a": "b"}}"#, admin: true).status == 200)
        // The metadata-items quota (128 by default).
        let many = (0..<129).map { #""k\#($0)": "v""# }.joined(separator: ", ")
        #expect(
            Self.call(&cloud, "PUT", "/images/\(image)/metadata", #"{"metadata": {\#(many)}}"#).body
                == ["forbidden": ["code": 403, "message": "Image metadata limit exceeded"]])
    }

    @Test("a project deletes its snapshot (until 2.35); a create naming it is then refused; the catalog's images are not the members' to delete")
    func deletion() throws {
        var cloud = try ComputeCloud()
        let image = try Self.snapshot(&cloud)
        #expect(
            Self.call(&cloud, "DELETE", "/images/\(ComputeCloud.cirros)").body
                == ["forbidden": ["code": 403, "message": "You are not allowed to delete the image."]])
        #expect(Self.call(&cloud, "DELETE", "/images/\(image)", version: "2.36").status == 404)
        #expect(Self.call(&cloud, "DELETE", "/images/\(image)").status == 204)
        #expect(Self.call(&cloud, "GET", "/images/\(image)").body == ["itemNotFound": ["code": 404, "message": "Image not found."]])
        #expect(Self.call(&cloud, "DELETE", "/images/\(image)").status == 404)
        #expect(throws: CloudError.self) { _ = try cloud.createServers(CreateServerRequest(name: "x", image: image, flavor: "1"), as: Lab.me) }
    }
}
