/// One account's hosts grouped by how many of its servers each holds, so strict spreading can
/// list the hosts at one count without scanning every host.
///
/// Level c ≥ 1 lists the hosts holding exactly c of the account's servers. Level 0 (the hosts
/// holding none) is listed only while the account is *heavy*: on at least half the hosts, where
/// those are few and a walk of the capacity tree would reject most hosts to find them. Lists
/// are unordered (a host leaves by swapping in the last one); selection sorts what it takes, so
/// the order never shows.
///
/// - Complexity: moving a host between levels O(1) expected; starting to list level 0 O(H).
struct AccountLevels: Sendable {
    /// Hosts per level; `hosts[0]` is empty unless ``listsEmptyHosts``.
    private(set) var hosts: [[Int32]] = [[]]
    /// Where each listed host sits in its level's list.
    private var position: [Int32: Int32] = [:]
    /// Whether level 0 is listed.
    private(set) var listsEmptyHosts = false
    /// How many hosts hold at least one of the account's servers (levels 1 and up).
    private(set) var holdingCount = 0

    /// The hosts at `level` (empty past the highest level).
    func hosts(at level: Int) -> [Int32] { level < hosts.count ? hosts[level] : [] }

    /// A host's count of the account's servers went from `from` to `to`.
    mutating func move(_ host: Int32, from: Int, to: Int) {
        if from > 0 || listsEmptyHosts { remove(host, from: from) }
        if to > 0 || listsEmptyHosts { insert(host, at: to) }
        if from == 0 && to > 0 { holdingCount += 1 }
        if from > 0 && to == 0 { holdingCount -= 1 }
    }

    /// Every host holding the account's servers, with how many, in host order.
    /// - Complexity: O(k log k) for k such hosts.
    var holding: [(host: Int32, count: Int)] {
        var all: [(host: Int32, count: Int)] = []
        all.reserveCapacity(holdingCount)
        for level in hosts.indices.dropFirst() { for host in hosts[level] { all.append((host, level)) } }
        return all.sorted { $0.host < $1.host }
    }

    /// Lists level 0: every host below `hostCount` that `holds` says holds none of the account's
    /// servers, in host order.
    mutating func listEmptyHosts(hostCount: Int, holds: (Int32) -> Bool) {
        guard !listsEmptyHosts else { return }
        listsEmptyHosts = true
        for host in 0..<Int32(hostCount) where !holds(host) { insert(host, at: 0) }
    }

    /// Stops listing level 0.
    mutating func forgetEmptyHosts() {
        guard listsEmptyHosts else { return }
        for host in hosts[0] { position[host] = nil }
        hosts[0] = []
        listsEmptyHosts = false
    }

    /// A host added to the pool (it holds none of the account's servers).
    mutating func hostAdded(_ host: Int32) {
        if listsEmptyHosts { insert(host, at: 0) }
    }

    private mutating func insert(_ host: Int32, at level: Int) {
        while hosts.count <= level { hosts.append([]) }
        position[host] = Int32(hosts[level].count)
        hosts[level].append(host)
    }

    private mutating func remove(_ host: Int32, from level: Int) {
        guard level < hosts.count, let index = position.removeValue(forKey: host).map(Int.init), index < hosts[level].count,
            hosts[level][index] == host
        else { return }
        let last = hosts[level].removeLast()
        if last != host {
            hosts[level][index] = last
            position[last] = Int32(index)
        }
    }

    /// Whether the lists say exactly what `counts` (host → servers, hosts holding none absent)
    /// says, for `hostCount` hosts; for the invariant check.
    func agrees(with counts: [Int32: Int32], hostCount: Int) -> Bool {
        var expected: [[Int32]] = [listsEmptyHosts ? (0..<Int32(hostCount)).filter { counts[$0] == nil } : []]
        for (host, count) in counts where count > 0 {
            while expected.count <= Int(count) { expected.append([]) }
            expected[Int(count)].append(host)
        }
        var actual = hosts.map { $0.sorted() }
        while actual.count > expected.count, actual.last?.isEmpty == true { actual.removeLast() }
        while expected.count > actual.count, expected.last?.isEmpty == true { expected.removeLast() }
        guard actual == expected.map({ $0.sorted() }) else { return false }
        for list in hosts {
            for (index, host) in list.enumerated() where position[host] != Int32(index) { return false }
        }
        return position.count == hosts.reduce(0) { $0 + $1.count } && holdingCount == counts.values.filter { $0 > 0 }.count
    }
}
