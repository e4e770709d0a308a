// The simulation's own controls as JSON: faults and the guest filesystem, shared by scripted
// sessions and the network server's /sim endpoints so both read and answer the same way.

extension ScriptedFault {
    /// Reads `{"kind": K, "host": H}` or `{"kind": K, "server": ID}`: `hostDown`, `hostUp` and
    /// `hostFailure` name a host, `guestShutdown` and `guestCrash` a server, `failNextBuild`
    /// optionally a host.
    /// - Throws: ``CloudError`` `badRequest` naming what is missing or unknown.
    public init(json value: JSONValue) throws(CloudError) {
        guard let kind = value["kind"]?.stringValue else { throw CloudError(.badRequest, "fault needs a \"kind\"") }
        let host = value["host"]?.stringValue.map { HostName($0) }
        let server = value["server"]?.stringValue.map { ServerID($0) }
        switch (kind, host, server) {
        case ("hostDown", let host?, _): self = .hostDown(host)
        case ("hostUp", let host?, _): self = .hostUp(host)
        case ("hostFailure", let host?, _): self = .hostFailure(host)
        case ("guestShutdown", _, let server?): self = .guestShutdown(server)
        case ("guestCrash", _, let server?): self = .guestCrash(server)
        case ("failNextBuild", _, _): self = .failNextBuild(host)
        default:
            throw CloudError(
                .badRequest, "fault kind \(kind) needs \(["guestShutdown", "guestCrash"].contains(kind) ? "a \"server\"" : "a \"host\""), or is unknown")
        }
    }
}

extension ComputeCloud {
    /// Injects `fault` now and lets it take effect (events due now run).
    public mutating func applyNow(_ fault: ScriptedFault) throws(CloudError) {
        try inject(fault, at: now)
        try advance(by: .zero)
    }

    /// The guest filesystem under `path` of a server, as an administrator sees it: one object
    /// per entry below `path` (`path`, `kind`, `mode` as octal text, `uid`, `gid`, `size`,
    /// `mtime` on the cloud's wall clock, and `contents` for files of at most 64 KiB).
    /// - Throws: ``CloudError`` for an unknown server or a path that is invalid or absent
    ///   (the filesystem's message).
    public func fileListing(of id: ServerID, path pathText: String) throws(CloudError) -> JSONValue {
        let fileSystem = try fileSystem(of: id, as: Caller(project: "admin", isAdmin: true))
        let entries: [(path: VirtualPath, stat: FileStat)]
        do { entries = try fileSystem.walk(try VirtualPath(pathText)) } catch {
            throw CloudError(error.code == .notFound ? .itemNotFound : .badRequest, error.message)
        }
        let clock = wallClock
        return .array(
            entries.dropFirst().map { entry in
                let octal = String(entry.stat.metadata.mode, radix: 8)
                var fields: [(String, JSONValue)] = [
                    ("path", .string(entry.path.description)), ("kind", .string(entry.stat.kind.rawValue)),
                    ("mode", .string("0" + String(repeating: "0", count: max(0, 3 - octal.count)) + octal)),
                    ("uid", .int(Int64(entry.stat.metadata.uid))), ("gid", .int(Int64(entry.stat.metadata.gid))),
                    ("size", .int(Int64(entry.stat.size))), ("mtime", .string(clock.iso8601(at: entry.stat.metadata.modified))),
                ]
                if entry.stat.kind == .file, entry.stat.size <= 65_536, let contents = try? fileSystem.read(entry.path) {
                    fields.append(("contents", .string(contents)))
                }
                return .object(fields)
            })
    }
}
