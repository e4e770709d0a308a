/// Builds self and bookmark links as Nova does: self has `/v2.1`, bookmark does not; the
/// project segment appears only when the request URL had it.
struct LinkBuilder {
    var base: String
    var project: String?

    func links(_ collection: String, _ id: String) -> JSONValue {
        let tail = (project.map { "/\($0)" } ?? "") + "/\(collection)/\(id)"
        return [["rel": "self", "href": .string(base + "/v2.1" + tail)], ["rel": "bookmark", "href": .string(base + tail)]]
    }

    func bookmark(_ collection: String, _ id: String) -> JSONValue {
        [["rel": "bookmark", "href": .string(base + (project.map { "/\($0)" } ?? "") + "/\(collection)/\(id)")]]
    }

    func selfHref(_ collection: String, _ id: String) -> String {
        base + "/v2.1" + (project.map { "/\($0)" } ?? "") + "/\(collection)/\(id)"
    }
}
