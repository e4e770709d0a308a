import Testing

@testable import ComputeSim

/// FIPS 180-4 example vectors (SHA-256 and SHA-224).
struct SHA256Tests {
    static let vectors: [(message: String, sha256: String, sha224: String)] = [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", "75388b16512776cc5dba5da1fd890150b0c6455cb4f58b1952522525"
        ),
    ]

    @Test("the FIPS 180-4 example messages hash to the published digests", arguments: vectors)
    func fipsExampleMessagesHashToThePublishedDigests(vector: (message: String, sha256: String, sha224: String)) {
        #expect(SHA256.hex(SHA256.hash(Array(vector.message.utf8))) == vector.sha256)
        #expect(SHA256.hex(SHA256.hash224(Array(vector.message.utf8))) == vector.sha224)
    }

    @Test("one million 'a' hash to the published digests")
    func oneMillionAHashToThePublishedDigests() {
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hex(SHA256.hash(message)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(SHA256.hex(SHA256.hash224(message)) == "20794655980c91d8bbb4c1ea97618a4bf03f42581948b2ee4ee7ad67")
    }

    @Test("feeding a message in pieces gives the same digest as feeding it at once")
    func feedingInPiecesGivesTheSameDigest() {
        let message = Array((0..<1_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        for split in [0, 1, 55, 56, 63, 64, 65, 500, 1_000] {
            var hasher = SHA256()
            hasher.update(message[..<split])
            hasher.update(message[split...])
            #expect(hasher.finalize() == SHA256.hash(message), "split \(split)")
        }
    }
}
