import ComputeSim
import Foundation

/// Resident set size in bytes, from /proc/self/statm (Linux); 0 where unavailable.
func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// `filesystem`: memory per server for S servers booted from the Ubuntu image tree: once with
/// untouched copies (pure sharing) and once with one personality file injected into /etc each
/// (the copy-on-write path copy). Checks that every copy reads its own file back.
func fileSystemBenchmark(_ options: Options) throws(UsageError) -> [String] {
    let servers = try options.integer("servers", default: 100_000)
    guard servers > 0 else { throw UsageError("--servers must be positive") }
    let image = VirtualFileSystem.ubuntuImage
    let imageEntries = ((try? image.walk()) ?? []).count

    let before = residentBytes()
    var shared: [VirtualFileSystem] = []
    shared.reserveCapacity(servers)
    for _ in 0..<servers { shared.append(image) }
    let afterShared = residentBytes()

    var injected: [VirtualFileSystem] = []
    injected.reserveCapacity(servers)
    let clock = WallClock.defaultEpoch
    let start = ContinuousClock().now
    for index in 0..<servers {
        var copy = image
        let path = (try? VirtualPath("/etc/motd")) ?? .root
        do {
            try copy.inject([InjectedFile(path: path, text: "server \(index)\n")], at: SimTime(.seconds(Int64(index))), wallClock: clock)
        } catch {
            throw UsageError("injection failed: \(error)")
        }
        injected.append(copy)
    }
    let elapsed = (ContinuousClock().now - start).seconds
    let afterInjected = residentBytes()
    // Self-check: each copy holds its own file, and the image is untouched.
    guard let motd = try? VirtualPath("/etc/motd"), (try? injected[servers - 1].read(motd)) == "server \(servers - 1)\n", !image.exists(motd) else {
        throw UsageError("self-check failed: injected files are not where they should be")
    }
    withExtendedLifetime(shared) {}
    var line = JSONLine()
    line.add("benchmark", "filesystem")
    line.add("servers", servers)
    line.add("imageEntries", imageEntries)
    line.add("bytesPerServerShared", Double(afterShared - before) / Double(servers))
    line.add("bytesPerServer", Double(afterInjected - afterShared) / Double(servers))
    line.add("injectionsPerSecond", Double(servers) / elapsed)
    return [line.text]
}
