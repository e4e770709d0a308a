/// What a project's quotas count: live servers and their flavors' vCPUs and RAM.
struct QuotaUsage: Hashable, Sendable {
    var instances = 0
    var cores = 0
    var ramMiB = 0

    mutating func add(_ flavor: Flavor, sign: Int, instance: Bool) {
        if instance { instances += sign }
        cores += sign * flavor.vcpus
        ramMiB += sign * flavor.memoryMiB
    }
}
