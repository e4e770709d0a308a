// Query strings: any query on the listing endpoints of a cloud whose servers carry hostile
// names (a run of 160 "a" then "!", regex metacharacters, long names). The first byte picks the
// endpoint, the microversion and the mode: with bits 0x60 the rest chooses a well-formed `name`
// pattern from a small grammar (below); with bit 0x40 alone the rest is a `name` pattern as text (the
// harness percent-encodes it, so "+" stays a quantifier); with bit 0x20 alone the rest is
// NUL-separated parameters whose first byte picks a key the listings read and whose other bytes
// are the value (percent-encoded); otherwise the rest is the raw query string. Every answer is JSON with a status below 500, and answers must come fast: a slow
// filter is a timeout finding (-timeout).
let queryCloud: ComputeCloud? = {
    guard var cloud = try? ComputeCloud() else { return nil }
    let names = [String(repeating: "a", count: 160) + "!", "web-1", "(a+)+", "x.y", String(repeating: "ab", count: 120), "ünï\u{301}"]
    for (index, name) in names.enumerated() {
        let body =
            #"{"server": {"name": \#(JSONValue.string(name).canonicalText), "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1", "metadata": {"k": "v\#(index)"}}}"#
        _ = cloud.handle(APIRequest(method: "POST", path: "/v2.1/servers", body: Array(body.utf8), project: index % 2 == 0 ? "alpha" : "beta"))
    }
    cloud.runUntilIdle()
    try? cloud.advance(by: .hours(1))
    return cloud
}()

func fuzzQueryString(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard var cloud = queryCloud, let first = bytes.first else { return }
    let endpoints = [
        "/v2.1/servers", "/v2.1/servers/detail", "/v2.1/os-hypervisors/detail", "/v2.1/os-server-groups", "/v2.1/flavors/detail", "/v2.1/images/detail",
        "/v2.1/limits", "/v2.1/os-simple-tenant-usage",
    ]
    let versions = ["2.1", "2.5", "2.47", "2.66", "latest"]
    let rest = String(decoding: bytes.dropFirst(), as: UTF8.self)
    let query: String
    if first & 0x60 == 0x60 {
        var choices = ArraySlice(bytes.dropFirst())
        query = "name=" + percentEncoded(grammarPattern(&choices))
    } else if first & 0x40 != 0 {
        query = "name=" + percentEncoded(rest)
    } else if first & 0x20 != 0 {
        let keys = [
            "name", "status", "changes-since", "changes-before", "limit", "marker", "sort_key", "sort_dir", "image", "flavor", "ip", "ip6", "all_tenants",
            "deleted", "host", "locked", "tenant_id", "start", "end",
        ]
        query = bytes.dropFirst().split(separator: 0, omittingEmptySubsequences: true).map { parameter in
            keys[Int(parameter[parameter.startIndex]) % keys.count] + "=" + percentEncoded(String(decoding: parameter.dropFirst(), as: UTF8.self))
        }.joined(separator: "&")
    } else {
        query = rest
    }
    let path = endpoints[Int(first) % endpoints.count] + "?" + query
    let request = APIRequest(
        method: "GET", path: path, headers: ["OpenStack-API-Version": "compute \(versions[Int(first / 8) % versions.count])"], project: "alpha",
        roles: first & 0x80 != 0 ? ["admin"] : [])
    let response = cloud.handle(request)
    let text = response.bodyText
    if !text.isEmpty, (try? JSONParser.parse(text)) == nil { finding("response body is not JSON: \(text.prefix(200))") }
    if response.status >= 500 { finding("server error \(response.status) for \(path.prefix(200)): \(text.prefix(200))") }
}

/// Every byte outside unreserved characters as %XX.
func percentEncoded(_ text: String) -> String {
    var output = ""
    for byte in text.utf8 {
        let unreserved = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || "-._~".utf8.contains(byte)
        if unreserved {
            output.unicodeScalars.append(Unicode.Scalar(byte))
        } else {
            let hex = String(byte, radix: 16, uppercase: true)
            output += "%" + (hex.count == 1 ? "0" + hex : hex)
        }
    }
    return output
}

/// A regular expression the bytes choose from a small grammar (structure-aware: every choice is
/// a pattern of the subset the filter takes, so mutations explore nesting, quantifiers and
/// anchors rather than syntax errors). A regex engine the coverage does not see (a system
/// library) gives the fuzzer no gradient; the grammar makes nested quantifiers over the hostile
/// names common instead of rare. Each byte is one choice; a group ends at its closing choice or
/// when the bytes run out.
/// - Complexity: O(bytes).
func grammarPattern(_ choices: inout ArraySlice<UInt8>, depth: Int = 0) -> String {
    let atoms = ["a", "b", "!", ".", "[a-z]", "\\w", "\\d", "[^!]", "web-", "x\\.y"]
    let quantifiers = ["+", "*", "?", "{2,}", "{1,3}", "+?", "*?"]
    var pattern = ""
    var canRepeat = false
    while let byte = choices.popFirst() {
        switch byte % 8 {
        case 0, 1, 2:
            pattern += atoms[Int(byte / 8) % atoms.count]
            canRepeat = true
        case 3 where canRepeat:
            pattern += quantifiers[Int(byte / 8) % quantifiers.count]
            canRepeat = false
        case 4 where depth < 6:
            pattern += "(" + grammarPattern(&choices, depth: depth + 1) + ")"
            canRepeat = true
        case 5 where depth > 0:
            return pattern
        case 6:
            pattern += ["|", "^", "$"][Int(byte / 8) % 3]
            canRepeat = false
        default:
            continue
        }
    }
    return pattern
}
