/// Builds self and bookmark links as Nova does: self has `/v2.1`, bookmark does not; the
/// project segment appears only when the request URL had it.
struct LinkBuilder {
    var base: String
    var project: String?

    func links(_ collection: String, _ id: String) -> JSONValue {
        let tail = (project.map { "/\($0)" } ?? "") + "/\(collection)/\(id)"
        return [["href": .string(base + "/v2.1" + tail), "rel": "self"], ["href": .string(base + tail), "rel": "bookmark"]]
    }

    func bookmark(_ collection: String, _ id: String) -> JSONValue {
        [["href": .string(base + (project.map { "/\($0)" } ?? "") + "/\(collection)/\(id)"), "rel": "bookmark"]]
    }

    /// ``links(_:_:)`` written to bytes.
    func writeLinks(_ collection: String, _ id: String, into sink: inout JSONByteWriter) {
        sink.beginArray()
        for isSelf in [true, false] {
            sink.beginObject()
            sink.key("href")
            let version = isSelf ? "/v2.1" : ""
            if let project {
                sink.string(joining: base, version, "/", project, "/", collection, "/", id)
            } else {
                sink.string(joining: base, version, "/", collection, "/", id)
            }
            sink.member("rel", isSelf ? "self" : "bookmark")
            sink.endObject()
        }
        sink.endArray()
    }

    /// ``bookmark(_:_:)`` written to bytes.
    func writeBookmark(_ collection: String, _ id: String, into sink: inout JSONByteWriter) {
        sink.beginArray()
        sink.beginObject()
        sink.key("href")
        if let project {
            sink.string(joining: base, "/", project, "/", collection, "/", id)
        } else {
            sink.string(joining: base, "/", collection, "/", id)
        }
        sink.member("rel", "bookmark")
        sink.endObject()
        sink.endArray()
    }

    func selfHref(_ collection: String, _ id: String) -> String {
        base + "/v2.1" + (project.map { "/\($0)" } ?? "") + "/\(collection)/\(id)"
    }
}
