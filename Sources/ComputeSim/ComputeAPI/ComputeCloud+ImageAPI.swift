// The read-only part of Glance's v2 API a compute client needs: list and show images, with
// Glance's own field names (snake_case, lower-case status) rather than Nova's image proxy.
extension ComputeCloud {
    /// Answers `GET /v2/images` (filters `name`, `id=in:a,b`, `status`, `visibility`; paging
    /// with `limit` and `marker`) and `GET /v2/images/{id}`, relative to the image endpoint.
    /// Other methods on those paths are 405, other paths 404, with Glance's error text.
    /// - Complexity: O(images) per request.
    public func handleImage(_ request: APIRequest) -> APIResponse {
        let route = parseRoute(request)
        let segments = route.segments.first == "v2" ? Array(route.segments.dropFirst()) : route.segments
        func fault(_ status: Int, _ title: String, _ detail: String) -> APIResponse {
            // Glance's webob faults: a plain-text style message inside a small JSON body.
            APIResponse(status: status, body: ["code": .int(Int64(status)), "title": .string(title), "message": .string(detail)])
        }
        guard segments.first == "images", segments.count <= 2 else { return fault(404, "Not Found", "The resource could not be found.") }
        guard request.method.normalized == "GET" else { return fault(405, "Method Not Allowed", "The method specified is not allowed for this resource.") }
        if segments.count == 2 {
            guard let image = images.first(where: { $0.id.rawValue == segments[1] }) else {
                return fault(404, "Not Found", "No image found with ID \(segments[1])")
            }
            return APIResponse(status: 200, body: glanceImageJSON(image))
        }
        var list = images
        if let name = route.value("name") { list = list.filter { $0.name == name } }
        if let ids = route.value("id") {
            guard ids.hasPrefix("in:") else { return fault(400, "Bad Request", "Invalid filter value \(ids). The filter must start with in:") }
            let wanted = Set(ids.dropFirst(3).split(separator: ",").map { String($0).trimmingWhitespace })
            list = list.filter { wanted.contains($0.id.rawValue) }
        }
        if let status = route.value("status"), status != "active" { list = [] }
        if let visibility = route.value("visibility"), !["public", "all"].contains(visibility) { list = [] }
        var limit = 25
        if let text = route.value("limit") {
            guard let value = Int(text), value >= 0 else { return fault(400, "Bad Request", "limit param must be an integer") }
            limit = min(value, 1_000)
        }
        if let marker = route.value("marker") {
            guard let position = list.firstIndex(where: { $0.id.rawValue == marker }) else {
                return fault(400, "Bad Request", "Invalid marker. Image \(marker) could not be found.")
            }
            list = Array(list[(position + 1)...])
        }
        var body: [(String, JSONValue)] = [
            ("images", .array(list.prefix(limit).map(glanceImageJSON))), ("first", "/v2/images"), ("schema", "/v2/schemas/images"),
        ]
        if list.count > limit, limit > 0 {
            var next = "/v2/images?marker=\(list[limit - 1].id.rawValue)&limit=\(limit)"
            for (key, value) in route.query where !["marker", "limit"].contains(key) { next += "&\(key)=\(Self.percentEncoded(value))" }
            body.append(("next", .string(next)))
        }
        return APIResponse(status: 200, body: .object(body))
    }

    /// Glance's image view: the core fields, then every property as a top-level member.
    func glanceImageJSON(_ image: Image) -> JSONValue {
        let created = JSONValue.string(wallClock.iso8601(at: world.snapshots[image.id]?.created ?? .zero))
        var fields: [(String, JSONValue)] = [
            ("id", .string(image.id.rawValue)), ("name", .string(image.name)), ("status", "active"), ("visibility", "public"),
            ("protected", false), ("os_hidden", false), ("owner", .null), ("min_disk", .int(Int64(image.minDiskGiB))),
            ("min_ram", .int(Int64(image.minRamMiB))), ("size", .int(Int64((image.sizeGiB * 1_073_741_824).rounded()))),
            ("virtual_size", .null), ("disk_format", "qcow2"), ("container_format", "bare"), ("checksum", .null), ("os_hash_algo", .null),
            ("os_hash_value", .null), ("tags", []), ("created_at", created), ("updated_at", created),
            ("self", .string("/v2/images/\(image.id.rawValue)")), ("file", .string("/v2/images/\(image.id.rawValue)/file")),
            ("schema", "/v2/schemas/image"),
        ]
        let taken = Set(fields.map(\.0))
        for (key, value) in image.properties.sorted(by: { $0.key < $1.key }) where !taken.contains(key) { fields.append((key, .string(value))) }
        return .object(fields)
    }

    /// `text` with every byte outside RFC 3986's unreserved set percent-encoded.
    static func percentEncoded(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: ":"), UInt8(ascii: ","):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                output += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return output
    }
}
