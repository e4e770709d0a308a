/// An SSH key pair a user imported (`os-keypairs`): Nova's keypairs belong to a user, not a
/// project, and a server created with `key_name` shows it.
public struct KeyPair: Hashable, Sendable {
    public var name: String
    /// The owner's user name.
    public var user: String
    /// The OpenSSH public key line (`ssh-ed25519 AAAA… comment`).
    public var publicKey: String
    /// Nova's fingerprint: the MD5 of the key's base64 blob, as colon-separated hex pairs.
    public var fingerprint: String
    public var created: SimTime
    /// A serial number, as Nova's database id (shown by `GET /os-keypairs/{name}`).
    public var serial: Int

    /// The key types whose blobs ComputeSim recognises.
    public static let sshKeyTypes: Set<String> = [
        "ssh-rsa", "ssh-dss", "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
    ]

    /// Nova's fingerprint of an OpenSSH public key line, or nil when the line is not one: a known
    /// key type, a base64 blob, and inside the blob the same type as a length-prefixed string
    /// (what an SSH parser checks first).
    /// - Complexity: O(n) in the key's length.
    public static func fingerprint(ofSSHPublicKey line: String) -> String? {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 2, sshKeyTypes.contains(String(fields[0])), let blob = Base64.decodeStrict(String(fields[1])), blob.count >= 4 else {
            return nil
        }
        let typeLength = Int(blob[0]) << 24 | Int(blob[1]) << 16 | Int(blob[2]) << 8 | Int(blob[3])
        guard typeLength > 0, blob.count >= 4 + typeLength, blob.count > 4 + typeLength, Array(blob[4..<4 + typeLength]) == Array(fields[0].utf8) else {
            return nil
        }
        return MD5.hash(blob).map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined(separator: ":")
    }
}
