// Key pairs: per user, as in Nova (`os-keypairs`).
extension ComputeCloud {
    /// Imports an SSH public key as the caller's key pair `name`.
    ///
    /// - Throws: ``CloudError``: `badRequest` for a name outside 1 to 255 characters of letters,
    ///   digits, `_`, `-` and space, or a key that is not an OpenSSH public key ("Keypair data is
    ///   invalid: failed to generate fingerprint"); `conflictingRequest` when the user already has
    ///   the name; `forbidden` past the quota's `keyPairs` ("Quota exceeded, too many key pairs.").
    /// - Complexity: O(key pairs) for the quota count, O(n) in the key for its fingerprint.
    public mutating func importKeyPair(name: String, publicKey: String, as caller: Caller) throws(CloudError) -> KeyPair {
        try Self.validateKeyPairName(name)
        let key = KeyPairKey(user: caller.user, name: name)
        let quota = world.configuration.quotas[caller.project] ?? world.configuration.defaultQuota
        guard world.keyPairs.keys.count(where: { $0.user == caller.user }) < quota.keyPairs else {
            throw CloudError(.forbidden, "Quota exceeded, too many key pairs.")
        }
        guard let fingerprint = KeyPair.fingerprint(ofSSHPublicKey: publicKey) else {
            throw CloudError(.badRequest, "Keypair data is invalid: failed to generate fingerprint")
        }
        guard world.keyPairs[key] == nil else { throw CloudError(.conflictingRequest, "Key pair '\(name)' already exists.") }
        world.keyPairSerial += 1
        let pair = KeyPair(name: name, user: caller.user, publicKey: publicKey, fingerprint: fingerprint, created: now, serial: world.keyPairSerial)
        world.keyPairs[key] = pair
        return pair
    }

    /// The caller's key pairs (or, for an administrator naming one, another user's), by name.
    /// - Complexity: O(k log k) over all key pairs.
    public func keyPairs(of user: String? = nil, as caller: Caller) throws(CloudError) -> [KeyPair] {
        let owner = try keyPairOwner(user, caller: caller, rule: "index")
        return world.keyPairs.values.filter { $0.user == owner }.sorted { $0.name < $1.name }
    }

    /// One of the caller's key pairs.
    /// - Throws: ``CloudError`` `itemNotFound` ("Keypair k not found for user u").
    public func keyPair(_ name: String, of user: String? = nil, as caller: Caller) throws(CloudError) -> KeyPair {
        let owner = try keyPairOwner(user, caller: caller, rule: "show")
        guard let pair = world.keyPairs[KeyPairKey(user: owner, name: name)] else {
            throw CloudError(.itemNotFound, "Keypair \(name) not found for user \(owner)")
        }
        return pair
    }

    /// Deletes one of the caller's key pairs (servers booted with it keep showing its name).
    public mutating func deleteKeyPair(_ name: String, of user: String? = nil, as caller: Caller) throws(CloudError) {
        let owner = try keyPairOwner(user, caller: caller, rule: "delete")
        guard world.keyPairs.removeValue(forKey: KeyPairKey(user: owner, name: name)) != nil else {
            throw CloudError(.itemNotFound, "Keypair \(name) not found for user \(owner)")
        }
    }

    /// Whose key pairs a call is about: the caller's own, or (administrators only) `user`'s.
    func keyPairOwner(_ user: String?, caller: Caller, rule: String) throws(CloudError) -> String {
        guard let user, user != caller.user else { return caller.user }
        guard caller.isAdmin else { throw CloudError(.forbidden, "Policy doesn't allow os_compute_api:os-keypairs:\(rule) to be performed.") }
        return user
    }

    /// Nova's key pair name rule (microversions 2.1 to 2.91).
    static func validateKeyPairName(_ name: String) throws(CloudError) {
        let allowed = name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F || byte == 0x2D || byte == 0x20
        }
        guard (1...255).contains(name.count), allowed, name.first != " ", name.last != " " else {
            throw CloudError(
                .badRequest, "Invalid input for field/attribute name. Value: \(name). '\(name)' does not match '^[_\\- a-zA-Z0-9]+$'")
        }
    }
}
