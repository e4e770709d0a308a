import Testing

@testable import ComputeSim

struct PersonalityValidationTests {
    private let quota = Quota()

    @Test("each limit passes exactly at its edge and fails one over, with Nova's message")
    func limitsAtTheirEdges() throws {
        let five = (0..<5).map { Personality.text("x", at: "/f\($0)") }
        #expect(try Personality.validate(five, quota: quota).count == 5)
        #expect(throws: FileSystemError(.limitExceeded, "Personality file limit exceeded")) {
            try Personality.validate(five + [Personality.text("x", at: "/f5")], quota: quota)
        }
        let longest = "/" + String(repeating: "p", count: 254)
        #expect(try Personality.validate([.text("x", at: longest)], quota: quota).count == 1)
        #expect(throws: FileSystemError(.limitExceeded, "Personality file path exceeds maximum 255")) {
            try Personality.validate([.text("x", at: longest + "p")], quota: quota)
        }
        let largest = String(repeating: "c", count: 10_240)
        #expect(try Personality.validate([.text(largest, at: "/big")], quota: quota).count == 1)
        #expect(throws: FileSystemError(.limitExceeded, "Personality file content exceeds maximum 10240")) {
            try Personality.validate([.text(largest + "c", at: "/big")], quota: quota)
        }
        // The limit is on decoded bytes: 10240 bytes are 13656 base64 characters and pass.
        #expect(Personality.text(largest, at: "/big").contents.count == 13_656)
        // When both path and content are over, the path error wins (Nova's order).
        #expect(throws: FileSystemError(.limitExceeded, "Personality file path exceeds maximum 255")) {
            try Personality.validate([.text(largest + "c", at: longest + "p")], quota: quota)
        }
    }

    @Test("invalid base64 is a 400 naming the field, checked before the quotas")
    func invalidBase64NamesTheField() {
        #expect(throws: FileSystemError(.invalidContents, "Invalid input for field/attribute contents. Value: not base64!. 'not base64!' is not a 'base64'")) {
            try Personality.validate([Personality(path: "/a", contents: "not base64!")] + (0..<9).map { Personality.text("x", at: "/f\($0)") }, quota: quota)
        }
    }

    @Test("binary contents and bad paths are refused")
    func binaryAndBadPathsAreRefused() {
        #expect(
            throws: FileSystemError(.invalidContents, "Personality file /bin/tool is binary: only text files (valid UTF-8 without NUL bytes) can be injected")
        ) {
            try Personality.validate([Personality(path: "/bin/tool", contents: Base64.encode([0x7f, 0x45, 0x4c, 0x46, 0x00]))], quota: quota)
        }
        #expect(throws: FileSystemError(.invalidContents, "Personality file /x is binary: only text files (valid UTF-8 without NUL bytes) can be injected")) {
            try Personality.validate([Personality(path: "/x", contents: Base64.encode([0xff, 0xfe]))], quota: quota)
        }
        #expect(throws: FileSystemError(.invalidPath, "Invalid input for field/attribute path. invalid path \"/../etc/passwd\": it leaves the root")) {
            try Personality.validate([.text("x", at: "/../etc/passwd")], quota: quota)
        }
    }
}

struct InjectionTests {
    @Test("an existing file is kept as <path>.bak.<unix seconds with up to 4 decimals>; the new one is root:root 0440")
    func backupNamingAndOwnership() throws {
        var fileSystem = VirtualFileSystem.ubuntuImage
        let clock = WallClock(epochUnixSeconds: 1_246_036_261)
        let passwd = try VirtualPath("/etc/passwd")
        try fileSystem.inject([InjectedFile(path: passwd, text: "new\n")], at: SimTime(.microseconds(578_512)), wallClock: clock)
        #expect(try fileSystem.read(passwd) == "new\n")
        #expect(try fileSystem.stat(passwd).metadata == FileMetadata(uid: 0, gid: 0, mode: 0o440, modified: SimTime(.microseconds(578_512))))
        #expect(fileSystem.backups(of: passwd).map(\.description) == ["/etc/passwd.bak.1246036261.5785"])
        #expect(try fileSystem.read(try VirtualPath("/etc/passwd.bak.1246036261.5785")).hasPrefix("root:x:0:0"))
        #expect(try fileSystem.stat(try VirtualPath("/etc/passwd.bak.1246036261.5785")).metadata.mode == 0o644)  // the old file, unchanged
    }

    @Test("whole seconds are written like a Python float, and a second injection in the same instant gets its own backup")
    func twoInjectionsInOneInstant() throws {
        var fileSystem = VirtualFileSystem.cirrosImage
        let hosts = try VirtualPath("/etc/hosts")
        try fileSystem.inject([InjectedFile(path: hosts, text: "one\n"), InjectedFile(path: hosts, text: "two\n")], at: .zero, wallClock: .defaultEpoch)
        try fileSystem.inject([InjectedFile(path: hosts, text: "three\n")], at: .zero, wallClock: .defaultEpoch)
        #expect(try fileSystem.read(hosts) == "three\n")
        #expect(
            fileSystem.backups(of: hosts).map(\.description) == [
                "/etc/hosts.bak.1767225600.0", "/etc/hosts.bak.1767225600.0.1", "/etc/hosts.bak.1767225600.0.2",
            ])
        #expect(try fileSystem.read(try VirtualPath("/etc/hosts.bak.1767225600.0")) == "127.0.0.1 localhost\n")
        #expect(try fileSystem.read(try VirtualPath("/etc/hosts.bak.1767225600.0.1")) == "one\n")
    }

    @Test("missing parents are created root:root 0755; a directory in the way is refused")
    func missingParentsAndDirectories() throws {
        var fileSystem = VirtualFileSystem.cirrosImage
        try fileSystem.inject([InjectedFile(path: try VirtualPath("/opt/app/conf/app.ini"), text: "k=v\n")], at: .zero, wallClock: .defaultEpoch)
        #expect(try fileSystem.stat(try VirtualPath("/opt/app")).metadata == FileMetadata(uid: 0, gid: 0, mode: 0o755))
        #expect(throws: FileSystemError(.isADirectory, "/etc is a directory")) {
            try fileSystem.inject([InjectedFile(path: try VirtualPath("/etc"), text: "x")], at: .zero, wallClock: .defaultEpoch)
        }
        #expect(throws: FileSystemError(.notADirectory, "/etc/hosts is not a directory")) {
            try fileSystem.inject([InjectedFile(path: try VirtualPath("/etc/hosts/x"), text: "x")], at: .zero, wallClock: .defaultEpoch)
        }
    }

    @Test("copies share storage until one is written, and a write copies only its path")
    func copiesShareStorage() throws {
        let image = VirtualFileSystem.ubuntuImage
        var server = image
        #expect(server.sharesStorage(with: image))
        try server.write(try VirtualPath("/tmp/x"), contents: "x", metadata: FileMetadata(mode: 0o644))
        #expect(!server.sharesStorage(with: image))
        #expect(!image.exists(try VirtualPath("/tmp/x")))
        #expect(try server.list(.root) == image.list(.root))
        #expect(server != image)
        try server.remove(try VirtualPath("/tmp/x"))
        #expect(server == image)
    }

    @Test("the filesystem operations report typed errors")
    func operationsReportTypedErrors() throws {
        var fileSystem = VirtualFileSystem.cirrosImage
        #expect(throws: FileSystemError(.notFound, "/nope does not exist")) { try fileSystem.read(try VirtualPath("/nope/file")) }
        #expect(throws: FileSystemError(.isADirectory, "/etc is a directory")) { try fileSystem.read(try VirtualPath("/etc")) }
        #expect(throws: FileSystemError(.notEmpty, "/etc is not empty")) { try fileSystem.remove(try VirtualPath("/etc")) }
        #expect(throws: FileSystemError(.exists, "/etc already exists")) {
            try fileSystem.makeDirectory(try VirtualPath("/etc"), metadata: FileMetadata(mode: 0o755))
        }
        #expect(throws: FileSystemError(.exists, "/etc/hosts already exists")) {
            try fileSystem.rename(try VirtualPath("/etc/passwd"), to: try VirtualPath("/etc/hosts"))
        }
        try fileSystem.rename(try VirtualPath("/etc/hostname"), to: try VirtualPath("/root/hostname"))
        #expect(try fileSystem.read(try VirtualPath("/root/hostname")) == "cirros\n")
        #expect(try fileSystem.walk().map(\.path.description).prefix(3) == ["/", "/etc", "/etc/hosts"])
    }
}

struct ServerFileInjectionTests {
    @Test("personality is not visible while BUILD and visible once ACTIVE")
    func personalityAppearsOnceActive() throws {
        var cloud = try Lab.cloud()
        var request = Lab.request()
        request.personality = [.text("hello\n", at: "/etc/motd"), .text("new hosts\n", at: "/etc/hosts")]
        let id = try cloud.createServers(request, as: Lab.me).ids[0]
        try cloud.advance(by: .seconds(10))
        #expect(try cloud.server(id, as: Lab.me).status == .build)
        #expect(try !cloud.fileSystem(of: id, as: Lab.me).exists(try VirtualPath("/etc/motd")))
        cloud.runUntilIdle()
        let fileSystem = try cloud.fileSystem(of: id, as: Lab.me)
        #expect(try fileSystem.read(try VirtualPath("/etc/motd")) == "hello\n")
        #expect(fileSystem.backups(of: try VirtualPath("/etc/hosts")).count == 1)
        #expect(try fileSystem.stat(try VirtualPath("/etc/motd")).metadata.mode == 0o440)
    }

    @Test("rebuild starts from a fresh image tree and injects the rebuild's files only")
    func rebuildResetsTheTree() throws {
        var cloud = try Lab.cloud()
        var request = Lab.request()
        request.personality = [.text("first\n", at: "/etc/first")]
        let id = try cloud.createServers(request, as: Lab.me).ids[0]
        cloud.runUntilIdle()
        try cloud.guestWrite(id, path: "/root/notes", contents: "guest data", as: Lab.me)
        #expect(try cloud.fileSystem(of: id, as: Lab.me).read(try VirtualPath("/root/notes")) == "guest data")
        _ = try Lab.run(&cloud, .rebuild(image: ComputeCloud.ubuntu, adminPass: nil, personality: [.text("second\n", at: "/etc/second")]), on: id)
        let fileSystem = try cloud.fileSystem(of: id, as: Lab.me)
        let first = try VirtualPath("/etc/first"), notes = try VirtualPath("/root/notes")
        #expect(!fileSystem.exists(first) && !fileSystem.exists(notes))
        #expect(try fileSystem.read(try VirtualPath("/etc/second")) == "second\n")
        #expect(try fileSystem.read(try VirtualPath("/etc/hostname")) == "ubuntu\n")  // the new image's tree
    }

    @Test("invalid personality is refused before anything is created")
    func invalidPersonalityCreatesNothing() throws {
        var cloud = try Lab.cloud()
        var request = Lab.request()
        request.personality = [.text("x", at: "/etc")]
        #expect(throws: CloudError(.badRequest, "Personality file cannot be injected: /etc is a directory")) { try cloud.createServers(request, as: Lab.me) }
        request.personality = (0..<6).map { .text("x", at: "/f\($0)") }
        #expect(throws: CloudError(.forbidden, "Personality file limit exceeded")) { try cloud.createServers(request, as: Lab.me) }
        #expect(cloud.servers(as: Lab.me).isEmpty && cloud.pendingEventCount == 0)
    }

    @Test("a guest's shutdown -h feeds the guest-shutdown fault")
    func guestShutdownFeedsTheFault() throws {
        var cloud = try Lab.cloud()
        let id = try Lab.active(&cloud)
        try cloud.guestShutdown(id, as: Lab.me)
        cloud.runUntilIdle()
        #expect(try cloud.server(id, as: Lab.me).status == .shutoff)
        #expect(throws: CloudError(.conflictingRequest, "Instance \(id) is not running")) {
            try cloud.guestWrite(id, path: "/tmp/x", contents: "x", as: Lab.me)
        }
    }
}

/// "Providers can set additional per-image personality limits": image properties
/// `max_personality` and `max_personality_size` on top of the deployment-wide limits.
struct PerImagePersonalityLimitTests {
    static func files(_ count: Int, bytes: Int = 4) -> [Personality] {
        (0..<count).map { Personality.text(String(repeating: "x", count: bytes), at: "/etc/f\($0)") }
    }

    @Test("the default Ubuntu image allows 3 files of 4096 bytes and says which limit was hit; CirrOS keeps the deployment's 5 and 10240")
    func defaultCatalogLimits() throws {
        var cloud = try Lab.cloud()
        func create(_ image: ImageID, _ files: [Personality]) throws -> [ServerID] {
            var request = CreateServerRequest(name: "p", image: image, flavor: "2")
            request.personality = files
            return try cloud.createServers(request, as: Lab.me).ids
        }
        #expect(throws: CloudError(.forbidden, "Personality file limit exceeded: image ubuntu-24.04 allows at most 3 files")) {
            try create(ComputeCloud.ubuntu, Self.files(4))
        }
        #expect(throws: CloudError(.forbidden, "Personality file content exceeds maximum 4096 bytes set by image ubuntu-24.04")) {
            try create(ComputeCloud.ubuntu, Self.files(1, bytes: 4_097))
        }
        // The deployment-wide limit is checked first.
        #expect(throws: CloudError(.forbidden, "Personality file limit exceeded")) { try create(ComputeCloud.ubuntu, Self.files(6)) }
        #expect(cloud.servers(as: Lab.me).isEmpty)
        #expect(try create(ComputeCloud.ubuntu, Self.files(3, bytes: 4_096)).count == 1)
        #expect(try create(ComputeCloud.cirros, Self.files(5, bytes: 10_240)).count == 1)
    }

    @Test("rebuild applies the new image's limits, and a refused rebuild changes nothing")
    func rebuildAppliesTheNewImagesLimits() throws {
        var cloud = try Lab.cloud()
        let id = try Lab.active(&cloud)  // CirrOS
        let before = cloud
        #expect(throws: CloudError(.forbidden, "Personality file limit exceeded: image ubuntu-24.04 allows at most 3 files")) {
            try cloud.perform(.rebuild(image: ComputeCloud.ubuntu, adminPass: nil, personality: Self.files(4)), on: id, as: Lab.me)
        }
        #expect(ComputeCloudSweepTests.changedParts(cloud, before).isEmpty)
        _ = try Lab.run(&cloud, .rebuild(image: nil, adminPass: nil, personality: Self.files(4)), on: id)
        #expect(try cloud.fileSystem(of: id, as: Lab.me).stat(try VirtualPath("/etc/f3")).kind == .file)
    }

    @Test("GET /images/{id} shows an image's limits in its metadata")
    func imagesShowTheirLimits() throws {
        var cloud = try Lab.cloud()
        let body = API.call(&cloud, "GET", "/images/\(ComputeCloud.ubuntu)").body
        #expect(body?.value(at: "image.metadata.max_personality") == "3")
        #expect(body?.value(at: "image.metadata.max_personality_size") == "4096")
        #expect(API.call(&cloud, "GET", "/images/\(ComputeCloud.cirros)").body?.value(at: "image.metadata.max_personality") == nil)
    }

    @Test("a limit that is not an integer from 0 to 2^30 is refused naming the image and property, in Swift and in scenario files")
    func invalidLimitsAreRefused() throws {
        let image = Image(id: "i", name: "i", properties: ["max_personality": "many"])
        #expect(throws: ModelError(.invalidValue, "image i: property max_personality must be an integer from 0 to 1073741824, got many")) {
            try image.validated()
        }
        #expect(throws: ScenarioError.self) {
            try Scenario.parse(#"{"images": [{"id": "i", "name": "i", "properties": {"max_personality_size": "-1"}}]}"#)
        }
        let limited = try Scenario.parse(#"{"images": [{"id": "i", "name": "i", "properties": {"max_personality": "0"}}]}"#)
        #expect(limited.configuration.images[0].maxPersonality == 0)
    }
}
