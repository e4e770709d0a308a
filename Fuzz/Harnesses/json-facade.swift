// JSON facade: the first line is "METHOD PATH", the rest the body (any bytes). The response must
// be well formed, the cloud must keep its invariants, and a follow-up must still work.
func fuzzJSONFacade(_ bytes: UnsafeBufferPointer<UInt8>) {
    let bytes = Array(bytes)
    let newline = bytes.firstIndex(of: 0x0A) ?? bytes.count
    let head = String(decoding: bytes[..<newline], as: UTF8.self).split(separator: " ", maxSplits: 1)
    let method = head.first.map(String.init) ?? "GET"
    let path = head.count > 1 ? String(head[1]) : "/servers"
    let body = newline < bytes.count ? Array(bytes[(newline + 1)...]) : nil
    var cloud = templateCloud
    for project in ["alpha", "beta"] {
        let response = cloud.handle(
            APIRequest(method: HTTPMethod(rawValue: method), path: path, body: body, project: ProjectID(project), roles: project == "beta" ? ["admin"] : []))
        let text = response.bodyText
        if !text.isEmpty, (try? JSONParser.parse(text)) == nil { finding("response body is not JSON: \(text.prefix(200))") }
        if response.status < 200 || response.status > 599 { finding("status \(response.status)") }
        if response.status >= 500 { finding("server error \(response.status): \(text.prefix(200))") }
    }
    try? cloud.advance(by: .minutes(10))
    let problems = cloud.checkInvariants()
    if !problems.isEmpty { finding("invariants: \(problems)") }
    if cloud.handle(APIRequest(method: "GET", path: "/servers/detail", project: "alpha")).status != 200 { finding("listing failed after the request") }
}
