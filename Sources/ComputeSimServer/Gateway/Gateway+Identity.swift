import ComputeSim

extension Gateway {
    /// `/identity` (versions, 300), `/identity/v3` (the v3 document), and
    /// `/identity/v3/auth/tokens`: POST signs in (201, `X-Subject-Token`), GET and HEAD check
    /// the `X-Subject-Token` for a caller with a valid `X-Auth-Token`, DELETE revokes it (204).
    mutating func identityRequest(_ request: HTTPRequest, target: Target, method: String) -> APIResponse {
        let segments = Array(target.segments.dropFirst())
        let read = method == "GET" || method == "HEAD"
        switch segments.map(String.init) {
        case [] where read:
            return APIResponse(status: 300, body: ["versions": ["values": [identityVersion()]]])
        case ["v3"] where read:
            return APIResponse(status: 200, body: ["version": identityVersion()])
        case ["v3", "auth", "tokens"]:
            return tokensRequest(request, method: method)
        default:
            return Identity.Failure(status: 404, message: "The resource could not be found.").response
        }
    }

    private func identityVersion() -> JSONValue {
        [
            "id": "v3.14", "status": "stable", "updated": "2020-04-07T00:00:00Z", "links": [["rel": "self", "href": .string(urls.identity + "/")]],
            "media-types": [["base": "application/json", "type": "application/vnd.openstack.identity-v3+json"]],
        ]
    }

    private mutating func tokensRequest(_ request: HTTPRequest, method: String) -> APIResponse {
        let now = unixNow()
        switch method {
        case "POST":
            let body: JSONValue
            do { body = try JSONValue(parsing: request.body) } catch {
                return Identity.Failure(status: 400, message: "Malformed request body: \(error.description)").response
            }
            do {
                let (token, grant) = try identity.issue(body, now: now)
                return APIResponse(status: 201, headers: ["X-Subject-Token": token], body: Identity.tokenJSON(grant, urls: urls))
            } catch {
                return unauthorized(error)
            }
        case "GET", "HEAD", "DELETE":
            guard identity.grant(for: request.headers["X-Auth-Token"], now: now) != nil else { return unauthorized(.unauthorized) }
            guard let subject = request.headers["X-Subject-Token"], let grant = identity.grant(for: subject, now: now) else {
                return Identity.Failure(status: 404, message: "Could not find token: \(request.headers["X-Subject-Token"] ?? "").").response
            }
            if method == "DELETE" {
                _ = identity.revoke(subject)
                return APIResponse(status: 204)
            }
            return APIResponse(status: 200, headers: ["X-Subject-Token": subject], body: Identity.tokenJSON(grant, urls: urls))
        default:
            return Identity.Failure(status: 405, message: "The method specified is not allowed for this resource.").response
        }
    }
}
