// GET /extensions and /extensions/{alias}: what Nova's v2.1 still answers for clients that
// look features up by alias.
extension ComputeCloud {
    /// The extensions this simulator implements, by Nova's alias and name, sorted by alias.
    /// Nova lists a fixed set of 99 whatever the deployment has; this list names only what the
    /// simulated cloud does (volumes, security groups, remote consoles and the other calls it
    /// lacks are not listed).
    static let extensionList: [(alias: String, name: String, description: String)] = [
        ("NMN", "Multinic", "Several network interfaces per server, one per requested network."),
        ("OS-DCF", "DiskConfig", "The OS-DCF:diskConfig attribute of servers."),
        ("OS-EXT-AZ", "ExtendedAvailabilityZone", "The availability zone of each server."),
        ("OS-EXT-IMG-SIZE", "ImageSize", "The size of each image."),
        ("OS-EXT-IPS", "ExtendedIps", "The type of each server address."),
        ("OS-EXT-IPS-MAC", "ExtendedIpsMac", "The MAC address of each server address."),
        ("OS-EXT-SRV-ATTR", "ExtendedServerAttributes", "Host, hypervisor and instance attributes of servers, for administrators."),
        ("OS-EXT-STS", "ExtendedStatus", "The vm_state, task_state and power_state of servers."),
        ("OS-FLV-DISABLED", "FlavorDisabled", "The disabled attribute of flavors."),
        ("OS-FLV-EXT-DATA", "FlavorExtraData", "The ephemeral disk size of flavors."),
        ("OS-SCH-HNT", "SchedulerHints", "Scheduler hints when servers are created."),
        ("OS-SRV-USG", "ServerUsage", "When servers were launched and terminated."),
        ("os-access-ips", "AccessIPs", "IPv4 and IPv6 access addresses of servers."),
        ("os-admin-actions", "AdminActions", "Resetting the state of servers, for administrators."),
        ("os-admin-password", "AdminPassword", "Changing a server's administrator password."),
        ("os-aggregates", "Aggregates", "Host aggregates: zones and host pools, with their hosts and metadata."),
        ("os-availability-zone", "AvailabilityZone", "Availability zones and, for administrators, their hosts."),
        ("os-block-device-mapping-v2-boot", "BlockDeviceMappingV2Boot", "Booting from a block device mapping of one local image."),
        ("os-config-drive", "ConfigDrive", "The config_drive attribute of servers."),
        ("os-console-output", "ConsoleOutput", "The console log of a server."),
        ("os-create-backup", "CreateBackup", "Backups of servers, rotated per backup type."),
        ("os-deferred-delete", "DeferredDelete", "Soft delete, restore and force delete of servers."),
        ("os-evacuate", "Evacuate", "Rebuilding the servers of a down host on other hosts."),
        ("os-flavor-access", "FlavorAccess", "Private flavors and the projects they are shared with."),
        ("os-flavor-extra-specs", "FlavorExtraSpecs", "The extra specs of flavors: list, show, set and delete."),
        ("os-flavor-manage", "FlavorManage", "Creating and deleting flavors, and their descriptions."),
        ("os-flavor-rxtx", "FlavorRxtx", "The rxtx factor of flavors."),
        ("os-hypervisors", "Hypervisors", "The hypervisors of the cloud, for administrators."),
        ("os-instance-actions", "InstanceActions", "The log of actions taken on servers, with their events."),
        ("os-keypairs", "Keypairs", "Key pairs: import, list, show and delete."),
        ("os-lock-server", "LockServer", "Locking and unlocking servers."),
        ("os-migrate-server", "MigrateServer", "Cold and live migration of servers."),
        ("os-migrations", "Migrations", "The records of resizes, migrations and evacuations."),
        ("os-multiple-create", "MultipleCreate", "Several servers in one create request."),
        ("os-networks", "Networks", "The networks servers attach to."),
        ("os-pause-server", "PauseServer", "Pausing and unpausing servers."),
        ("os-personality", "Personality", "Files injected into servers at create and rebuild."),
        ("os-quota-sets", "Quotas", "Project quotas: show, detail, defaults, update and delete."),
        ("os-rescue", "Rescue", "Rescuing and unrescuing servers."),
        ("os-server-diagnostics", "ServerDiagnostics", "Diagnostics of running servers, for administrators."),
        ("os-server-groups", "ServerGroups", "Server groups and their placement policies."),
        ("os-server-password", "ServerPassword", "The encrypted password a guest posted to the metadata service."),
        ("os-server-start-stop", "ServerStartStop", "Starting and stopping servers."),
        ("os-services", "Services", "Compute services: list, disable, enable and force down."),
        ("os-shelve", "Shelve", "Shelving, offloading and unshelving servers."),
        ("os-simple-tenant-usage", "SimpleTenantUsage", "Usage of projects over a period: server-hours, vCPU-, RAM- and disk-hours."),
        ("os-suspend-server", "SuspendServer", "Suspending and resuming servers."),
        ("os-used-limits", "UsedLimits", "Quota usage in the limits."),
        ("os-user-data", "UserData", "User data given at create."),
    ]

    private static func extensionJSON(_ entry: (alias: String, name: String, description: String)) -> JSONValue {
        [
            "alias": .string(entry.alias), "description": .string(entry.description), "links": [], "name": .string(entry.name),
            "namespace": "http://docs.openstack.org/compute/ext/fake_xml", "updated": "2014-12-03T00:00:00Z",
        ]
    }

    /// `GET /extensions` (every extension) and `GET /extensions/{alias}` (one, 404 for an
    /// alias not listed); any authenticated caller, as Nova's policy.
    func extensionRequest(_ route: Route, method: String) throws(CloudError) -> APIResponse {
        guard method == "GET" else { throw CloudError(.badMethod, "The method specified is not allowed for this resource.") }
        switch route.segments.count {
        case 1:
            return APIResponse(status: 200, body: ["extensions": .array(Self.extensionList.map(Self.extensionJSON))])
        case 2:
            guard let entry = Self.extensionList.first(where: { $0.alias == route.segments[1] }) else {
                throw CloudError(.itemNotFound, "The resource could not be found.")
            }
            return APIResponse(status: 200, body: ["extension": Self.extensionJSON(entry)])
        default:
            throw CloudError(.itemNotFound, "The resource could not be found.")
        }
    }
}
