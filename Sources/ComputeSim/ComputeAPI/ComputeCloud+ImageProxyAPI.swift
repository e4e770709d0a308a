// The Compute API's image proxy: /images (list and show until 2.35, delete) and
// /images/{id}/metadata[/{key}] (until 2.38).
extension ComputeCloud {
    mutating func imageProxyRequest(_ route: Route, method: String, request: APIRequest, caller: Caller, links: LinkBuilder, version: Microversion)
        throws(CloudError) -> APIResponse
    {
        let notFound = CloudError(.itemNotFound, "The resource could not be found.")
        let badMethod = CloudError(.badMethod, "The method specified is not allowed for this resource.")
        let rest = Array(route.segments.dropFirst())
        if rest.count >= 2, rest[1] == "metadata" {
            // The metadata proxy lasts until 2.38, three microversions longer than the rest.
            guard version < Microversion(2, 39), rest.count <= 3 else { throw notFound }
            let id = ImageID(rest[0])
            guard let image = images.first(where: { $0.id == id }) else { throw CloudError(.itemNotFound, "Image not found.") }
            if rest.count == 2 {
                switch method {
                case "GET": return APIResponse(status: 200, body: ["metadata": Self.dictionary(image.properties)])
                case "POST", "PUT":
                    let body = try body(request)
                    try BodySchema.rejectUnexpected(body, allowed: ["metadata"], field: nil)
                    let metadata = try Self.metadataBody(body, key: "metadata")
                    let result = try updateImageMetadata(id, metadata, replacing: method == "PUT", as: caller)
                    return APIResponse(status: 200, body: ["metadata": Self.dictionary(result)])
                default: throw badMethod
                }
            }
            let key = rest[2]
            switch method {
            case "GET":
                guard let value = image.properties[key] else { throw notFound }
                return APIResponse(status: 200, body: ["meta": .object([(key, .string(value))])])
            case "PUT":
                let body = try body(request)
                try BodySchema.rejectUnexpected(body, allowed: ["meta"], field: nil)
                let items = try Self.metadataBody(body, key: "meta")
                guard items.count == 1 else { throw CloudError(.badRequest, "Request body contains too many items") }
                guard let value = items[key] else { throw CloudError(.badRequest, "Request body and URI mismatch") }
                _ = try updateImageMetadata(id, [key: value], replacing: false, as: caller)
                return APIResponse(status: 200, body: ["meta": .object([(key, .string(value))])])
            case "DELETE":
                try deleteImageMetadata(id, key: key, as: caller)
                return APIResponse(status: 204)
            default: throw badMethod
            }
        }
        // The rest of the image proxy ends at 2.35: from 2.36 Nova answers as for a method it lacks.
        guard version < Microversion(2, 36) else { throw notFound }
        if method == "DELETE" {
            guard rest.count == 1 else { throw badMethod }
            try deleteImage(ImageID(rest[0]), as: caller)
            return APIResponse(status: 204)
        }
        guard method == "GET" else { throw badMethod }
        if rest.isEmpty || rest == ["detail"] {
            return APIResponse(status: 200, body: ["images": .array(images.map { imageJSON($0, detail: !rest.isEmpty, links: links) })])
        }
        guard rest.count == 1, let image = images.first(where: { $0.id.rawValue == rest[0] }) else { throw CloudError(.itemNotFound, "Image not found.") }
        return APIResponse(status: 200, body: ["image": imageJSON(image, detail: true, links: links)])
    }
}
