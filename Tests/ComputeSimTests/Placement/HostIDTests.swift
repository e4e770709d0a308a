import ComputeSim
import Testing

/// nova-facts section 4: Nova's `generate_hostid` vectors.
struct HostIDTests {
    static let vectors: [(project: String, host: String, hostID: String)] = [
        ("9b9e3c847e904b0686e8ffb20e4c6381", "host", "fa123c6f74efd4aad95f84096f9e187caa0625925a9e7837b2b46792"),
        ("project-a", "compute-01", "4359a3f1e5a56762eafd7fecdd0cfd3ba2d635c14e0f791bff5c539b"),
        ("project-b", "compute-01", "02db54099b21ca92b725fdb703e35e56dc8092bf3fb3a5d6006c37b5"),
        ("project-a", "compute-02", "ebaadede02f1185a4111f301cee66a07127ae8b1dc3b8d1127da7deb"),
        ("6f70656e737461636b20342065766572", "host1", "8a8d66db9eed58f2b1283d23acc9a32691290b603a716d81d8ed8c4e"),
        ("6f70656e737461636b20342065766572", "host2", "ad32f82f3048cef557b4ec2f5f3e952883df66e7dbb37f3f6c1352f2"),
        ("6f70656e737461636b20342065766572", "compute", "2091634baaccdc4c5a1d57069c833e402921df696b7f970791b12ec6"),
        ("6f70656e737461636b20342065766572", "fake-mini", "763fc2c0aee9dbb17776eb2a6c21aecfba9d39244b3703bd939b20d1"),
        ("", "h", "e0ccaeadfef916630c35576679e4cd4b438e7fc95a60b7361705f708"),
        ("None", "compute-01", "3623f3327784ea5ee6520e59475f49cfb44d237f2c45ee4710bfbb88"),
        ("project-a", "compute-ü", "f847ddcde82a26e006c5eec644e74f6a9dcdc8bbf2e48c703ef15cbe"),
        ("proj", "ab", "0b2a55d8ef2d57fac2d28208375aa0034abdd25a9550bc6ceceff99e"),
        ("proja", "b", "0b2a55d8ef2d57fac2d28208375aa0034abdd25a9550bc6ceceff99e"),
    ]

    @Test("hostIds match Nova's vectors byte for byte", arguments: vectors)
    func hostIDsMatchNovasVectors(vector: (project: String, host: String, hostID: String)) {
        #expect(ProjectID(vector.project).hostID(on: HostName(vector.host)) == vector.hostID)
    }

    @Test("a server without a host has an empty hostId")
    func aServerWithoutAHostHasAnEmptyHostID() {
        #expect(ProjectID("project-a").hostID(on: nil) == "")
        #expect(ProjectID("project-a").hostID(on: HostName("")) == "")
    }
}
