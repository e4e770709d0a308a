// Session parser: any text runs or stops with a SessionError naming its line; never traps.
//
// An input whose first byte is 0xFF is structure-aware instead: the rest of the bytes choose a
// well-formed session, one line per choice (creates that capture the server's id, actions,
// reads, listings, deletes, host faults, idle runs, and advances from a second to past the
// 100-year limit), so mutations explore sequences and long stretches of time rather than JSON
// syntax.
//
// Only an input's first 32 lines run, so one execution stays near a millisecond and a long run
// reaches 10^7 executions; the fixtures' long sessions run whole in the test suite.
func fuzzSessionParser(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let input = text(bytes, orGeneratedBy: generatedSession) else { return }
    var runner = SessionRunner(cloud: templateCloud)
    _ = try? runner.run(String(firstLines(of: input, count: 32)))
    let problems = runner.cloud.checkInvariants()
    if !problems.isEmpty { finding("invariants: \(problems)") }
}

/// The text up to its `count`th line break (all of it when it has fewer lines).
/// - Complexity: O(n) in the bytes kept.
func firstLines(of text: String, count: Int) -> Substring {
    var breaks = 0
    for index in text.utf8.indices where text.utf8[index] == UInt8(ascii: "\n") {
        breaks += 1
        if breaks == count { return text[..<index] }
    }
    return text[...]
}

/// A session the choices pick line by line (two bytes a line: the kind, then its argument; at
/// most 32 lines, the most the harness runs).
/// - Complexity: O(choices).
func generatedSession(_ choices: Slice<UnsafeBufferPointer<UInt8>>) -> String {
    let durations = ["1s", "30s", "10m", "1h", "1d", "30d", "365d", "36500d", "36501d", "106751d"]
    let actions = [
        #"{"reboot": {"type": "SOFT"}}"#, #"{"reboot": {"type": "HARD"}}"#, #"{"os-stop": null}"#, #"{"os-start": null}"#, #"{"pause": null}"#,
        #"{"unpause": null}"#, #"{"suspend": null}"#, #"{"resume": null}"#, #"{"shelve": null}"#, #"{"unshelve": null}"#, #"{"lock": null}"#,
        #"{"unlock": null}"#, #"{"resize": {"flavorRef": "2"}}"#, #"{"confirmResize": null}"#, #"{"revertResize": null}"#,
        #"{"rebuild": {"imageRef": "70a599e0-31e7-49b7-b260-868f441e862b"}}"#, #"{"rescue": null}"#, #"{"unrescue": null}"#,
        #"{"createImage": {"name": "snap"}}"#, #"{"os-migrateLive": {"host": null, "block_migration": "auto"}}"#,
    ]
    let dates = ["1970-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "2100-01-01T00:00:00Z", "2262-04-12T00:00:00Z", "1700-01-01T00:00:00Z"]
    var lines: [String] = []
    var created = false
    var bytes = choices.makeIterator()
    while lines.count < 32, let kind = bytes.next() {
        let argument = Int(bytes.next() ?? 0)
        let server = created ? "{{ID}}" : "00000000-0000-0000-0000-000000000000"
        switch kind % 9 {
        case 0:
            lines.append(
                #"{"request": {"method": "POST", "path": "/v2.1/servers", "project": "demo", "body": {"server": {"name": "s\#(argument)", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "\#(1 + argument % 3)"}}}, "capture": {"ID": "server.id"}}"#
            )
            created = true
        case 1:
            lines.append(
                #"{"request": {"method": "POST", "path": "/v2.1/servers/\#(server)/action", "project": "demo", "body": \#(actions[argument % actions.count])}}"#
            )
        case 2: lines.append(#"{"request": {"method": "GET", "path": "/v2.1/servers/\#(server)", "project": "demo"}}"#)
        case 3:
            lines.append(#"{"request": {"method": "GET", "path": "/v2.1/servers/detail?changes-since=\#(dates[argument % dates.count])", "project": "demo"}}"#)
        case 4: lines.append(#"{"request": {"method": "DELETE", "path": "/v2.1/servers/\#(server)", "project": "demo"}}"#)
        case 5: lines.append(#"{"fault": {"kind": "\#(argument % 2 == 0 ? "hostDown" : "hostUp")", "host": "compute-0\#(1 + argument / 2 % 4)"}}"#)
        case 6: lines.append(#"{"runUntilIdle": true}"#)
        default: lines.append(#"{"advance": "\#(durations[argument % durations.count])"}"#)
        }
    }
    return lines.joined(separator: "\n")
}
