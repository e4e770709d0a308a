extension ProjectID {
    /// The `hostId` a server of this project on `host` shows in the API, byte-compatible with
    /// Nova's `generate_hostid`: lowercase hex SHA-224 of the UTF-8 bytes of project id + host
    /// name (no separator, no salt), or `""` when there is no host.
    ///
    /// Two projects on one host see different ids; one project sees the same id for all its
    /// servers on a host. Being a plain concatenation, ("proj", "ab") and ("proja", "b") collide,
    /// exactly as in Nova.
    public func hostID(on host: HostName?) -> String {
        guard let host, !host.rawValue.isEmpty else { return "" }
        var hasher = SHA256.sha224()
        hasher.update(rawValue.utf8)
        hasher.update(host.rawValue.utf8)
        return SHA256.hex(hasher.finalize())
    }
}
