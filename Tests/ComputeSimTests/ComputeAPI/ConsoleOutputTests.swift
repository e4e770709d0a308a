import Testing

@testable import ComputeSim

/// `os-getConsoleOutput`: the guest's console log, written from what the simulated guest did.
struct ConsoleOutputTests {
    static let create =
        #"{"server": {"name": "Web 1", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1", "personality": [{"path": "/etc/motd", "contents": "aGk="}]}}"#

    static func console(_ cloud: inout ComputeCloud, _ id: String, _ argument: String = "{}", project: String = "demo") -> APIResponse {
        API.call(&cloud, "POST", "/servers/\(id)/action", #"{"os-getConsoleOutput": \#(argument)}"#, project: project)
    }

    /// One boot's lines, as the log writes them for this server.
    static func bootLines(_ server: Server, at time: SimTime, clock: WallClock, injected: Bool) -> [String] {
        let at = clock.iso8601(at: time)
        let table = server.addresses.map { address in
            "cloud-init[312]: ci-info: |  eth0  | True | \(address.address) | \(address.macAddress ?? server.macAddress ?? "") |"
        }
        return [
            "[    0.000000] Linux version 6.1.0-computesim (builder@computesim) (gcc 12.2.0) #1 SMP",
            "[    0.000000] Command line: BOOT_IMAGE=/vmlinuz root=LABEL=cloudimg-rootfs ro console=tty1 console=ttyS0",
            "[    0.734512] virtio_blk virtio2: [vda] 2097152 512-byte logical blocks (1 GiB)",
            "[    1.208806] EXT4-fs (vda1): mounted filesystem with ordered data mode. Quota mode: none.",
            "cloud-init[312]: Cloud-init v. 23.4 running 'init' at \(at). Up 2.31 seconds.",
            "cloud-init[312]: ci-info: +--------+------+---------------------------+-------------------+",
            "cloud-init[312]: ci-info: | Device |  Up  |          Address          |     Hw-Address    |",
        ] + table + (injected ? ["cloud-init[455]: injected file /etc/motd"] : []) + [
            "cloud-init[455]: Cloud-init v. 23.4 finished at \(at). Datasource DataSourceConfigDrive [net,ver=2][source=/dev/sr0].  Up 4.18 seconds",
            "",
            "web-1 login: ",
        ]
    }

    @Test("the console shows each boot with the flavor's disk, the addresses and the injected files, and each clean reboot")
    func consoleFollowsTheGuest() throws {
        var cloud = try ComputeCloud()
        let id = try #require(API.call(&cloud, "POST", "/servers", Self.create).body?.value(at: "server.id")?.stringValue)
        let early = Self.console(&cloud, id)
        #expect(early.status == 409)
        #expect(early.bodyText == #"{"conflictingRequest":{"code":409,"message":"Instance \#(id) is not ready"}}"#)
        try cloud.advance(by: .minutes(5))
        let server = try cloud.server(ServerID(id), as: Lab.me)
        let history = cloud.statusHistory(of: ServerID(id))
        #expect(history.map(\.status) == [.build, .active])
        #expect(server.addresses.map(\.address) == ["10.0.0.2", "fd00::2"])
        let firstBoot = Self.bootLines(server, at: history[1].time, clock: cloud.wallClock, injected: true)
        #expect(Self.console(&cloud, id).body == ["output": .string(firstBoot.joined(separator: "\n"))])

        _ = API.call(&cloud, "POST", "/servers/\(id)/action", #"{"reboot": {"type": "SOFT"}}"#)
        try cloud.advance(by: .minutes(5))
        let rebooted = cloud.statusHistory(of: ServerID(id))
        #expect(rebooted.map(\.status) == [.build, .active, .reboot, .active])
        let all =
            firstBoot + ["[  OK  ] Reached target Reboot.", "reboot: Restarting system"]
            + Self.bootLines(server, at: rebooted[3].time, clock: cloud.wallClock, injected: false)
        #expect(Self.console(&cloud, id).body?["output"] == .string(all.joined(separator: "\n")))
        #expect(Self.console(&cloud, id, #"{"length": null}"#).body?["output"] == .string(all.joined(separator: "\n")))
        // Nova's tail: the last N lines; 0 nothing; -1 all but the first; digits as a string.
        #expect(Self.console(&cloud, id, #"{"length": 1}"#).body?["output"] == "web-1 login: ")
        #expect(Self.console(&cloud, id, #"{"length": "3"}"#).body?["output"] == .string(all.suffix(3).joined(separator: "\n")))
        #expect(Self.console(&cloud, id, #"{"length": 0}"#).body?["output"] == "")
        #expect(Self.console(&cloud, id, #"{"length": -1}"#).body?["output"] == .string(all.dropFirst().joined(separator: "\n")))
        #expect(Self.console(&cloud, id, #"{"length": 10000}"#).body?["output"] == .string(all.joined(separator: "\n")))
        // The typed facade says the same.
        #expect(try cloud.consoleOutput(of: ServerID(id), length: 2, as: Lab.me) == all.suffix(2).joined(separator: "\n"))

        _ = API.call(&cloud, "POST", "/servers/\(id)/action", #"{"os-stop": null}"#)
        try cloud.advance(by: .minutes(5))
        let stopped = try #require(Self.console(&cloud, id, #"{"length": 2}"#).body?["output"]?.stringValue)
        #expect(stopped == "[  OK  ] Reached target Power-Off.\nreboot: Power down")
    }

    @Test(
        "bad lengths and bodies are refused with Nova's schema messages",
        arguments: [
            (#"{"length": -2}"#, "Invalid input for field/attribute length. Value: -2. -2 is less than the minimum of -1"),
            (#"{"length": "ten"}"#, "Invalid input for field/attribute length. Value: ten. 'ten' does not match '^-?[0-9]+$'"),
            (#"{"length": 1.5}"#, "Invalid input for field/attribute length. Value: 1.5. 1.5 is not of type 'integer', 'string', 'null'"),
            (
                #"{"length": 1, "x": 2}"#,
                #"Invalid input for field/attribute os-getConsoleOutput. Value: {"length":1,"x":2}. Additional properties are not allowed ('x' was unexpected)"#
            ),
            ("5", "Invalid input for field/attribute os-getConsoleOutput. Value: 5. 5 is not of type 'object'"),
        ])
    func badBodiesAreRefused(argument: String, message: String) throws {
        var cloud = try ComputeCloud()
        let id = try #require(API.call(&cloud, "POST", "/servers", Self.create).body?.value(at: "server.id")?.stringValue)
        try cloud.advance(by: .minutes(5))
        let refused = Self.console(&cloud, id, argument)
        #expect(refused.status == 400)
        #expect(refused.body?.value(at: "badRequest.message")?.stringValue == message)
    }

    @Test("another project's or an unknown server is 404, and the log keeps only libvirt's last 100 KiB")
    func boundsAndOwners() throws {
        var cloud = try ComputeCloud()
        let id = try #require(API.call(&cloud, "POST", "/servers", Self.create).body?.value(at: "server.id")?.stringValue)
        try cloud.advance(by: .minutes(5))
        #expect(Self.console(&cloud, id, project: "other").status == 404)
        #expect(Self.console(&cloud, "00000000-0000-0000-0000-000000000000").status == 404)
        for _ in 0..<120 {
            _ = API.call(&cloud, "POST", "/servers/\(id)/action", #"{"reboot": {"type": "HARD"}}"#)
            try cloud.advance(by: .minutes(2))
        }
        let output = try #require(Self.console(&cloud, id).body?["output"]?.stringValue)
        #expect(output.utf8.count == ConsoleLog.maximumBytes)
        #expect(output.hasSuffix("web-1 login: "))
    }
    @Test("os-server-password answers the empty password a Linux guest leaves, clears with 204, and 404s others' servers")
    func serverPassword() throws {
        var cloud = try ComputeCloud()
        let id = try #require(API.call(&cloud, "POST", "/servers", Self.create).body?.value(at: "server.id")?.stringValue)
        try cloud.advance(by: .minutes(5))
        #expect(API.call(&cloud, "GET", "/servers/\(id)/os-server-password").bodyText == #"{"password":""}"#)
        let cleared = API.call(&cloud, "DELETE", "/servers/\(id)/os-server-password")
        #expect(cleared.status == 204 && cleared.body == nil)
        #expect(API.call(&cloud, "GET", "/servers/\(id)/os-server-password", project: "other").status == 404)
        #expect(API.call(&cloud, "PUT", "/servers/\(id)/os-server-password").status == 405)
        _ = API.call(&cloud, "DELETE", "/servers/\(id)")
        try cloud.advance(by: .minutes(5))
        #expect(API.call(&cloud, "GET", "/servers/\(id)/os-server-password").status == 404)
    }
    @Test("remote consoles and volume attachments are out of scope: their paths are 404 and their actions unknown")
    func outOfScopeCallsAreRefusedPlainly() throws {
        var cloud = try ComputeCloud()
        let id = try #require(API.call(&cloud, "POST", "/servers", Self.create).body?.value(at: "server.id")?.stringValue)
        try cloud.advance(by: .minutes(5))
        #expect(API.call(&cloud, "GET", "/servers/\(id)/os-volume_attachments").status == 404)
        #expect(API.call(&cloud, "POST", "/servers/\(id)/remote-consoles", #"{"remote_console": {"protocol": "vnc", "type": "novnc"}}"#).status == 404)
        let vnc = API.call(&cloud, "POST", "/servers/\(id)/action", #"{"os-getVNCConsole": {"type": "novnc"}}"#)
        #expect(vnc.status == 400 && vnc.body?.value(at: "badRequest.message") == "There is no such action: os-getVNCConsole")
    }
}
