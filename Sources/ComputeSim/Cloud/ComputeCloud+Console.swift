// The guest's serial console log (os-getConsoleOutput).
extension ComputeCloud {
    /// The server's console log as Nova's `os-getConsoleOutput` returns it: the last `length`
    /// lines (nil: all of it; 0: nothing; a negative `-n`: all but the first `n` lines, as
    /// Nova's tail does), from at most the last 100 KiB libvirt keeps. The Fidelity article
    /// says what the log holds.
    /// - Throws: ``CloudError`` `itemNotFound` for an unknown, deleted or other project's
    ///   server; `conflictingRequest` ("Instance … is not ready") before it has a host.
    /// - Complexity: O(status history) to write the log, O(log) to cut it.
    public func consoleOutput(of id: ServerID, length: Int? = nil, as caller: Caller) throws(CloudError) -> String {
        let index = try index(of: id, for: caller)
        let server = world.view(index, now: now)
        guard server.host != nil else { throw CloudError(.conflictingRequest, "Instance \(id) is not ready") }
        let log = ConsoleLog(
            hostname: Self.hostname(server.name), diskGiB: server.flavor.diskGiB, addresses: server.addresses, macAddress: server.macAddress,
            injectedPaths: world.servers[Int(index)].injectedPaths, clock: wallClock)
        let text = log.text(history: world.servers[Int(index)].history.changes)
        guard let length else { return text }
        // Nova's `_tail_log`: split on line feeds, keep `lines[-length:]` (so 0 is empty, and a
        // negative length drops lines from the front).
        guard length != 0 else { return "" }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let kept = length > 0 ? lines.suffix(length) : lines.dropFirst(length == Int.min ? lines.count : -length)
        return kept.joined(separator: "\n")
    }
}
