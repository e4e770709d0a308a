import Testing

@testable import ComputeSim

struct KeyPairTests {
    /// Made with `ssh-keygen -t ed25519`; `ssh-keygen -l -E md5` gives the fingerprint below.
    static let publicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMWKXQWFETQnNaRvws0rh+bP1JMYpMHdaW4dT+8RLPkc sim@test"
    static let fingerprint = "1a:fc:1a:a9:cf:68:9d:1c:8a:cf:92:7e:f1:15:9a:47"

    @Test("MD5 matches RFC 1321's test suite")
    func md5Vectors() {
        let vectors = [
            ("", "d41d8cd98f00b204e9800998ecf8427e"), ("a", "0cc175b9c0f1b6a831c399e269772661"), ("abc", "900150983cd24fb0d6963f7d28e17f72"),
            ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"), ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
            (String(repeating: "1234567890", count: 8), "57edf4a22be3c955ac49da2e2107b67a"),
        ]
        for (text, digest) in vectors { #expect(SHA256.hex(MD5.hash(Array(text.utf8))) == digest, "\(text)") }
    }

    @Test("the fingerprint is OpenSSH's MD5 one; text that is not a public key has none")
    func fingerprints() {
        #expect(KeyPair.fingerprint(ofSSHPublicKey: Self.publicKey) == Self.fingerprint)
        #expect(KeyPair.fingerprint(ofSSHPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMWKXQWFETQnNaRvws0rh") == nil)
        #expect(KeyPair.fingerprint(ofSSHPublicKey: "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIMWKXQWFETQnNaRvws0rh+bP1JMYpMHdaW4dT+8RLPkc") == nil)
        #expect(KeyPair.fingerprint(ofSSHPublicKey: "not a key") == nil)
        #expect(KeyPair.fingerprint(ofSSHPublicKey: "") == nil)
    }

    @Test("an imported key pair is listed, shown and deleted with Nova's views; 2.1 answers 200 and 202, 2.2 201 and 204 with type")
    func lifecycle() throws {
        var cloud = try ComputeCloud()
        let body = #"{"keypair": {"name": "laptop", "public_key": "\#(Self.publicKey)"}}"#
        let created = API.call(&cloud, "POST", "/os-keypairs", body)
        #expect(created.status == 200)
        #expect(created.bodyText == #"{"keypair":{"fingerprint":"\#(Self.fingerprint)","name":"laptop","public_key":"\#(Self.publicKey)","user_id":"user"}}"#)
        let v22 = ["OpenStack-API-Version": "compute 2.2"]
        let second = API.call(&cloud, "POST", "/os-keypairs", body.replacingOccurrences(of: "laptop", with: "desk"), headers: v22)
        #expect(second.status == 201)
        #expect(second.body?.value(at: "keypair.type") == "ssh")
        let list = API.call(&cloud, "GET", "/os-keypairs", headers: v22)
        #expect(list.body?.value(at: "keypairs")?.arrayValue?.compactMap { $0.value(at: "keypair.name")?.stringValue } == ["desk", "laptop"])
        let shown = API.call(&cloud, "GET", "/os-keypairs/laptop")
        #expect(shown.body?.value(at: "keypair.created_at") == "2026-01-01T00:00:00.000000")
        #expect(shown.body?.value(at: "keypair.id") == 1)
        #expect(shown.body?.value(at: "keypair.deleted") == false)
        #expect(API.call(&cloud, "DELETE", "/os-keypairs/laptop").status == 202)
        #expect(API.call(&cloud, "DELETE", "/os-keypairs/desk", headers: v22).status == 204)
        let missing = API.call(&cloud, "GET", "/os-keypairs/laptop")
        #expect(missing.status == 404)
        #expect(missing.body?.value(at: "itemNotFound.message") == "Keypair laptop not found for user user")
    }

    @Test(
        "bad key pairs are refused with Nova's texts and change nothing",
        arguments: [
            (#"{"keypair": {"name": "k", "public_key": "ssh-rsa nonsense"}}"#, 400, "Keypair data is invalid: failed to generate fingerprint"),
            (#"{"keypair": {"name": "k"}}"#, 400, "Keypair data is invalid: ComputeSim does not generate key pairs; import one with public_key"),
            (
                #"{"keypair": {"name": "a/b", "public_key": "x"}}"#, 400,
                "Invalid input for field/attribute name. Value: a/b. 'a/b' does not match '^[_\\- a-zA-Z0-9]+$'"
            ),
            (#"{"keypair": {"name": "k", "public_key": "x", "color": "red"}}"#, 400, "Additional properties are not allowed ('color' was unexpected)"),
        ])
    func refusals(body: String, status: Int, message: String) throws {
        var cloud = try ComputeCloud()
        let response = API.call(&cloud, "POST", "/os-keypairs", body)
        #expect(response.status == status)
        #expect(response.body?.value(at: "badRequest.message")?.stringValue?.hasSuffix(message) == true, "\(response.bodyText)")
        #expect(API.call(&cloud, "GET", "/os-keypairs").bodyText == #"{"keypairs":[]}"#)
    }

    @Test("a duplicate name is 409, and past the quota 403")
    func duplicateAndQuota() throws {
        var configuration = CloudConfiguration()
        configuration.defaultQuota.keyPairs = 1
        var cloud = try ComputeCloud(configuration: configuration)
        let caller = Caller(project: "demo", user: "ann")
        _ = try cloud.importKeyPair(name: "k", publicKey: Self.publicKey, as: caller)
        #expect(throws: CloudError(.forbidden, "Quota exceeded, too many key pairs.")) {
            _ = try cloud.importKeyPair(name: "j", publicKey: Self.publicKey, as: caller)
        }
        configuration.defaultQuota.keyPairs = 5
        var roomy = try ComputeCloud(configuration: configuration)
        _ = try roomy.importKeyPair(name: "k", publicKey: Self.publicKey, as: caller)
        #expect(throws: CloudError(.conflictingRequest, "Key pair 'k' already exists.")) {
            _ = try roomy.importKeyPair(name: "k", publicKey: Self.publicKey, as: caller)
        }
        // Key pairs belong to users: another user of the same project has none.
        #expect(try roomy.keyPairs(as: Caller(project: "demo", user: "bob")).isEmpty)
    }

    @Test("a server boots with the caller's key pair and shows key_name; an unknown name is 400; rebuild from 2.54 sets or clears it")
    func serverKeyName() throws {
        var cloud = try ComputeCloud()
        _ = API.call(&cloud, "POST", "/os-keypairs", #"{"keypair": {"name": "laptop", "public_key": "\#(Self.publicKey)"}}"#)
        let create = #"{"server": {"name": "a", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1", "key_name": "KEY"}}"#
        let unknown = API.call(&cloud, "POST", "/servers", create.replacingOccurrences(of: "KEY", with: "other"))
        #expect(unknown.status == 400)
        #expect(unknown.body?.value(at: "badRequest.message") == "Invalid key_name provided.")
        let created = API.call(&cloud, "POST", "/servers", create.replacingOccurrences(of: "KEY", with: "laptop"))
        let id = try #require(created.body?.value(at: "server.id")?.stringValue)
        #expect(API.call(&cloud, "GET", "/servers/\(id)").body?.value(at: "server.key_name") == "laptop")
        try cloud.advance(by: .minutes(5))
        let v254 = ["OpenStack-API-Version": "compute 2.54"]
        let rebuilt = API.call(
            &cloud, "POST", "/servers/\(id)/action", #"{"rebuild": {"imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "key_name": null}}"#, headers: v254)
        #expect(rebuilt.status == 202)
        #expect(API.call(&cloud, "GET", "/servers/\(id)").body?.value(at: "server.key_name") == .null)
    }

    @Test("from 2.35 the list pages by name with limit and marker and a next link")
    func paging() throws {
        var cloud = try ComputeCloud()
        for name in ["c", "a", "b"] {
            _ = API.call(&cloud, "POST", "/os-keypairs", #"{"keypair": {"name": "\#(name)", "public_key": "\#(Self.publicKey)"}}"#)
        }
        let v235 = ["OpenStack-API-Version": "compute 2.35"]
        let page = API.call(&cloud, "GET", "/os-keypairs?limit=2", headers: v235)
        #expect(page.body?.value(at: "keypairs")?.arrayValue?.compactMap { $0.value(at: "keypair.name")?.stringValue } == ["a", "b"])
        #expect(page.body?.value(at: "keypairs_links.0.href") == "http://compute.sim/v2.1/os-keypairs?limit=2&marker=b")
        let rest = API.call(&cloud, "GET", "/os-keypairs?limit=2&marker=b", headers: v235)
        #expect(rest.body?.value(at: "keypairs")?.arrayValue?.count == 1)
        #expect(rest.body?.value(at: "keypairs_links") == nil)
        #expect(API.call(&cloud, "GET", "/os-keypairs?marker=zz", headers: v235).status == 400)
    }
}
