/// Everything that defines a simulated cloud before it starts.
public struct CloudConfiguration: Hashable, Sendable {
    /// The root seed of every random stream.
    public var seed: UInt64 = 1
    /// Maps simulated time to the timestamps users see.
    public var wallClock = WallClock.defaultEpoch
    public var hosts: [Host]
    /// The cloud's networks (Neutron's, as Nova sees them): a create names them by id, or takes
    /// the only one its project may use. The default is one shared network, `private`.
    public var networks = [Network.private]
    /// The first network (what a create that names none uses when it is the only one).
    public var network: Network {
        get { networks.first ?? .private }
        set { if networks.isEmpty { networks = [newValue] } else { networks[0] = newValue } }
    }
    public var flavors: [Flavor]
    public var images: [Image]
    /// The root filesystem each image boots with (an empty tree for images not listed).
    public var imageTrees: [ImageID: VirtualFileSystem]
    public var placement = PlacementPolicy()
    public var timing = TimingModel()
    /// The physical build model; nil (the default) draws build phases from `timing`.
    public var buildModel: BuildModel? = nil
    public var passwordPolicy = PasswordPolicy()
    public var faults = FaultPlan()
    /// Quotas for projects not listed in `quotas`.
    public var defaultQuota = Quota()
    public var quotas: [ProjectID: Quota] = [:]
    /// Nova's `reclaim_instance_interval`: when positive, DELETE soft-deletes and the server is
    /// reclaimed after this long (restore and forceDelete apply meanwhile). Default 0: off.
    public var reclaimInterval = SimDuration.zero
    /// How long a deleted server stays visible (admin `deleted=true` and `changes-since`
    /// listings, ``ComputeCloud/statusHistory(of:)``) before it is archived: its record, history
    /// and index entry are then freed and its record number reused, like Nova's
    /// `nova-manage db archive_deleted_rows` moving the row out of the API's reach (GET answers
    /// 404 either way). Nil (the default) keeps every deleted server, as Nova does until an
    /// operator archives; a capacity-planning run that creates servers for weeks sets it so
    /// memory follows the live servers, not every server ever created.
    public var deletedServerRetention: SimDuration? = nil
    /// Nova's `shelved_offload_time`: zero (the default) offloads a shelved server at once
    /// (SHELVED_OFFLOADED); a positive time leaves it SHELVED, still on its host, and offloads it
    /// after that long; a negative one never offloads it automatically.
    public var shelvedOffloadTime = SimDuration.zero
    /// Whether a suspended server keeps its vCPU and RAM claim. False (the default) follows the
    /// Compute API's own words, "memory and vCPUs become available to create other instances":
    /// at SUSPENDED the server holds only its disk on its host, and resume (or a hard reboot)
    /// takes the vCPUs and RAM back there, refused with 409 while the host has no room. True is
    /// Nova's behaviour: the allocation stays, so resume always fits.
    public var suspendKeepsResources = false
    /// Who may cold- and live-migrate servers: Nova's default lets administrators and the
    /// project's managers, not plain members.
    public var migrationPolicy = MigrationPolicy.projectManagerOrAdmin
    /// Nova's `sync_power_state_interval` (600 s): how often guest power changes are noticed.
    public var powerSyncInterval = SimDuration.seconds(600)
    /// The endpoint that self and bookmark links are built on (self adds `/v2.1`).
    public var apiBaseURL = "http://compute.sim"
    /// Nova's `[api] enable_instance_password` (true): whether adminPass is returned.
    public var returnsAdminPassword = true
    /// Whether servers keep an action log (``ComputeCloud/instanceActions(of:as:)``,
    /// `os-instance-actions`). True by default; the scenario runner turns it off, since a run's
    /// reports never read it and a million servers' logs would be most of its memory.
    public var recordsInstanceActions = true
    /// Whether resizes, migrations and evacuations keep a migration record (`os-migrations`).
    /// True by default; the scenario runner turns it off, as the action log.
    public var recordsMigrations = true
    /// Host aggregates the cloud starts with, after the one per non-default availability zone
    /// (see ``Aggregate``): names unique, hosts configured, no `availability_zone` key.
    public var aggregates: [Aggregate.Definition] = []

    /// The default catalog: Nova's classic flavors plus `seed.standard`, an Ubuntu (KVM, with its
    /// own personality limits: 3 files of at most 4096 bytes) and a CirrOS image, and 4 hosts
    /// `compute-01` to `compute-04` in zone `nova` (32 vCPUs,
    /// 131072 MiB, 2000 GiB, QEMU).
    public init() {
        hosts = (1...4).map { Host(name: HostName("compute-0\($0)"), vcpus: 32, memoryMiB: 131_072, diskGiB: 2_000) }
        flavors = Flavor.defaultCatalog + [Flavor(id: "52415800-8b69-11e0-9b19-734f1195ff37", name: "seed.standard", vcpus: 2, memoryMiB: 4_096, diskGiB: 40)]
        images = [
            Image(
                id: "52415800-8b69-11e0-9b19-734f6f006e54", name: "ubuntu-24.04", minRamMiB: 512, minDiskGiB: 3,
                properties: ["hypervisor_type": "kvm", "os_distro": "ubuntu", Image.maxPersonalityProperty: "3", Image.maxPersonalitySizeProperty: "4096"],
                sizeGiB: 0.5),
            Image(id: "70a599e0-31e7-49b7-b260-868f441e862b", name: "cirros-0.6.2-x86_64-disk", properties: ["os_distro": "cirros"], sizeGiB: 0.02),
        ]
        imageTrees = ["52415800-8b69-11e0-9b19-734f6f006e54": .ubuntuImage, "70a599e0-31e7-49b7-b260-868f441e862b": .cirrosImage]
    }
}
