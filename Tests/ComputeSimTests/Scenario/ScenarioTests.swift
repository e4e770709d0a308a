import ComputeSim
import Foundation
import TestSupport
import Testing

struct ScenarioTests {
    static var smallCloudPath: String { Golden.packageRoot.appendingPathComponent("Fixtures/Scenarios/small-cloud.json").path }

    @Test("the small-cloud fixture defines the cloud it describes")
    func theFixtureDefinesItsCloud() throws {
        let scenario = try Scenario.load(path: Self.smallCloudPath)
        let configuration = scenario.configuration
        #expect(scenario.name == "small-cloud" && scenario.duration == .hours(2) && configuration.seed == 7)
        #expect(configuration.hosts.map(\.name.rawValue) == ["az1-compute-1", "az1-compute-2", "az1-compute-3", "az2-compute-1", "az2-compute-2"])
        #expect(configuration.hosts[3].hypervisorType == "KVM" && configuration.hosts[3].cpuAllocationRatio == 2.0)
        #expect(configuration.hosts[0].reserved.memoryMiB == 512)
        #expect(configuration.defaultQuota.instances == 20 && configuration.defaultQuota.cores == 40 && configuration.defaultQuota.ramMiB == 51_200)
        #expect(configuration.quotas["big-team"]?.cores == 400)
        #expect(configuration.placement.maxAttempts == 2)
        #expect(configuration.shelvedOffloadTime == .minutes(30))
        #expect(configuration.wallClock.iso8601(at: .zero) == "2026-03-01T08:00:00Z")
        #expect(configuration.flavors == CloudConfiguration().flavors)
    }

    @Test(
        "invalid scenarios fail with the JSON path and the reason",
        arguments: [
            (
                #"{"hosts": [{"name": "a", "vcpus": 1, "memoryMiB": 1024, "diskGiB": 1}, {"name": "b", "vcpus": 1, "memoryMiB": 1024, "diskGiB": 1}, {"name": "c", "vcpus": -4, "memoryMiB": 1, "diskGiB": 1}]}"#,
                "hosts[2].vcpus: expected a positive integer, got -4"
            ),
            (
                #"{"hosts": [{"name": "h{n}", "count": 1000000000000, "vcpus": 1, "memoryMiB": 1024, "diskGiB": 1}]}"#,
                "hosts[0].count: expected a count from 1 to 1000000, got 1000000000000"
            ),
            (
                #"{"hosts": [{"name": "h{n}", "count": 600000, "vcpus": 1, "memoryMiB": 1024, "diskGiB": 1}, {"name": "g{n}", "count": 600000, "vcpus": 1, "memoryMiB": 1024, "diskGiB": 1}]}"#,
                "hosts[1]: more than 1000000 hosts in all"
            ),
            (
                #"{"hosts": [{"name": "h", "count": 2, "vcpus": 1, "memoryMiB": 1024, "diskGiB": 1}]}"#,
                "hosts[0].name: a group of 2 hosts needs {n} in its name"
            ),
            (#"{"hosts": [{"name": "h", "memoryMiB": 1024, "diskGiB": 1}]}"#, "hosts[0].vcpus: is required"),
            (#"{"hosts": [{"name": "h", "vcpus": 1, "memoryMiB": 256, "diskGiB": 1}]}"#, "hosts[0]: reserved memoryMiB (512) exceeds the total (256)"),
            (
                #"{"hosts": [{"name": "h", "vcpu": 1}]}"#,
                "hosts[0].vcpu: unknown field; expected one of aggregates, count, cpuAllocationRatio, diskAllocationRatio, diskGiB, hypervisor, memoryMiB, name, ramAllocationRatio, reservedDiskGiB, reservedMemoryMiB, reservedVcpus, vcpus, zone"
            ),
            (#"{"hosts": []}"#, "hosts: expected at least one host group"),
            (#"{"duration": "forever"}"#, "duration: invalid duration \"forever\": expected a number at \"forever\""),
            (#"{"seed": -1}"#, "seed: expected an integer from 0 to 18446744073709551615, got -1"),
            (#"{"headroom": {"hosts": 9}}"#, "headroom.hosts: expected an integer from 0 to 8, got 9"),
            (#"{"headroom": {"hosts": -1}}"#, "headroom.hosts: expected an integer from 0 to 8, got -1"),
            (#"{"headroom": {"zone": "yes"}}"#, "headroom.zone: expected true or false, got \"yes\""),
            (#"{"headroom": {"zones": true}}"#, "headroom.zones: unknown field; expected one of hosts, zone"),
            (#"{"exhaustion": {"thresholds": [90, 80]}}"#, "exhaustion.thresholds: expected ascending thresholds, got 90, 80"),
            (#"{"exhaustion": {"thresholds": [80, 80]}}"#, "exhaustion.thresholds: expected ascending thresholds, got 80, 80"),
            (#"{"exhaustion": {"thresholds": [0]}}"#, "exhaustion.thresholds[0]: expected a percentage from 1 to 100, got 0"),
            (#"{"exhaustion": {"thresholds": [50, 101]}}"#, "exhaustion.thresholds[1]: expected a percentage from 1 to 100, got 101"),
            (#"{"exhaustion": {"thresholds": []}}"#, "exhaustion.thresholds: needs at least one threshold"),
            (
                #"{"exhaustion": {"thresholds": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]}}"#,
                "exhaustion.thresholds: expected at most 10 thresholds, got 11"
            ),
            (
                #"{"workloads": [{"name": "w", "arrival": {"process": "growing", "perHour": 0, "growthPercent": 5, "every": "1d"}, "flavor": "1"}]}"#,
                "workloads[0].arrival.perHour: expected a positive rate, got 0"
            ),
            (
                #"{"workloads": [{"name": "w", "arrival": {"process": "growing", "perHour": 1, "every": "1d"}, "flavor": "1"}]}"#,
                "workloads[0].arrival.growthPercent: is required"
            ),
            (
                #"{"workloads": [{"name": "w", "arrival": {"process": "growing", "perHour": 1, "growthPercent": -5, "every": "1d"}, "flavor": "1"}]}"#,
                "workloads[0].arrival.growthPercent: expected a growth from 0 to 10000 percent, got -5"
            ),
            (
                #"{"workloads": [{"name": "w", "arrival": {"process": "growing", "perHour": 1, "growthPercent": 5, "every": "0s"}, "flavor": "1"}]}"#,
                "workloads[0].arrival.every: expected a positive duration"
            ),
            (#"{"headroom": 2}"#, "headroom: expected an object, got 2"),
            (#"{"epoch": "last tuesday"}"#, "epoch: expected an ISO 8601 time such as 2026-01-01T00:00:00Z"),
            (
                #"{"flavors": [{"id": "a", "vcpus": 1, "memoryMiB": 512}, {"id": "a", "vcpus": 2, "memoryMiB": 512}]}"#,
                "flavors[1].id: flavor id a is used twice"
            ),
            (#"{"quotas": {"projects": {"p": {"cores": -2}}}}"#, "quotas.projects.p.cores: expected -1 (unlimited) or a non-negative integer, got -2"),
            (
                #"{"placement": {"accountSpreading": "sometimes"}}"#,
                "placement.accountSpreading: expected \"strict\", \"off\" or a weigher multiplier, got \"sometimes\""
            ),
            (#"{"faults": {"fatalBuildFailure": 1.5}}"#, "faults.fatalBuildFailure: expected a probability from 0 to 1, got 1.5"),
            (
                #"{"sweep": []}"#,
                "sweep: unknown field; expected one of aggregates, apiBaseURL, buildModel, deletedServerRetention, duration, epoch, exhaustion, faultPlan, faults, flavors, headroom, hosts, images, migrationPolicy, name, network, networks, passwordPolicy, placement, powerSyncInterval, quotas, reclaimInterval, sampleInterval, seed, serverGroups, shelvedOffloadTime, suspendKeepsResources, timing, users, workloads"
            ),
            (
                #"{"hosts": [{"name": "x", "vcpus": 1, "memoryMiB": 1024, "diskGiB": 1}, {"name": "x", "vcpus": 1, "memoryMiB": 1024, "diskGiB": 1}]}"#,
                "hosts[1].name: host name x is used twice"
            ),
            (#"{"workloads": [{"name": "w", "arrival": {"process": "poisson", "meanInterval": "1m"}}]}"#, "workloads[0]: needs a flavor or flavors"),
            (
                #"{"workloads": [{"name": "w", "arrival": {"process": "poisson", "meanInterval": "0s"}, "flavor": "1"}]}"#,
                "workloads[0].arrival.meanInterval: expected a positive duration"
            ),
            (
                #"{"workloads": [{"name": "w", "arrival": {"process": "hourly"}, "flavor": "1"}]}"#,
                "workloads[0].arrival.process: expected poisson, constant, burst, diurnal, growing or trace, got hourly"
            ),
            (
                #"{"workloads": [{"name": "w", "arrival": {"process": "burst", "at": "1m", "count": 2}, "flavors": [{"id": "1"}, {"id": "nine"}]}]}"#,
                "workloads[0].flavors[1].id: no flavor with id nine"
            ),
            (
                #"{"workloads": [{"name": "w", "arrival": {"process": "burst", "at": "1m", "count": 2}, "flavor": "1", "image": "nope"}]}"#,
                "workloads[0].image: no image with id nope"
            ),
            (
                #"{"workloads": [{"name": "w", "arrival": {"process": "burst", "at": "1m", "count": 2}, "flavor": "1", "lifetime": {"kind": "uniform", "min": "2h", "max": "1h"}}]}"#,
                "workloads[0].lifetime: uniform min must not exceed max, got min 7200.0 and max 3600.0"
            ),
            (
                #"{"workloads": [{"name": "w", "arrival": {"process": "burst", "at": "1m", "count": 2}, "flavor": "1", "group": {"policy": "together", "size": 2}}]}"#,
                "workloads[0].group.policy: expected affinity, anti-affinity, soft-affinity or soft-anti-affinity, got together"
            ),
            (
                #"{"workloads": [{"name": "w", "arrival": {"process": "burst", "at": "1m", "count": 2}, "flavor": "1", "actions": [{"action": "explode", "perHour": 1}]}]}"#,
                "workloads[0].actions[0].action: expected one of confirmResize, createBackup, createImage, guestShutdown, hardReboot, liveMigrate, migrate, pause, reboot, rebuild, resume, shelve, start, stop, suspend, unpause, unshelve"
            ),
            (
                #"{"workloads": [{"name": "w", "arrival": {"process": "burst", "at": "1m", "count": 2}, "flavor": "1"}, {"name": "w", "arrival": {"process": "burst", "at": "1m", "count": 2}, "flavor": "1"}]}"#,
                "workloads[1].name: workload name w is used twice"
            ),
            (#"{"faultPlan": [{"at": "1m", "kind": "hostDown", "host": "nowhere"}]}"#, "faultPlan[0].host: no host named nowhere"),
            (
                #"{"faultPlan": [{"at": "1m", "kind": "hostFailure", "host": "compute-01", "evacuateAfter": "5m"}]}"#,
                "faultPlan[0].evacuateAfter: evacuateAfter applies to hostDown faults only (a failed host's servers are lost; a down host's can be evacuated)"
            ),
            (
                #"{"faultPlan": [{"at": "36000d", "kind": "hostDown", "host": "compute-01", "evacuateAfter": "600d"}]}"#,
                "faultPlan[0].evacuateAfter: at plus evacuateAfter must be within 36500d, got 36600d"
            ),
            (
                #"{"faultPlan": [{"at": "1m", "kind": "meteor", "host": "nowhere"}]}"#,
                "faultPlan[0].kind: expected hostDown, hostUp or hostFailure (with a host or a zone), or randomHostFailures (with mtbf and mttr), got meteor"
            ),
            (#"{"network": {"prefixLength": 8}}"#, "network.prefixLength: expected a prefix length from 16 to 24, got 8"),
            (
                #"{"workloads": [{"name": "w", "arrival": {"process": "diurnal", "perHour": [1, 2]}, "flavor": "1"}]}"#,
                "workloads[0].arrival.perHour: expected 24 hourly rates (UTC hours 0 to 23), got 2"
            ),
            (#"{"faultPlan": [{"kind": "randomHostFailures", "mtbf": {"kind": "exponential", "mean": "1d"}}]}"#, "faultPlan[0].mttr: is required"),
            (
                #"{"timing": {"create": [{"kind": "constant", "value": "1s"}]}}"#,
                "timing.create: create needs 4 phase durations (scheduling, networking, block_device_mapping, spawning), got 1"
            ),
            (#"{"timing": {"rebootSoft": [{"kind": "constant", "value": "1s"}]}}"#, "timing.rebootSoft: rebootSoft needs 3 phase durations, got 1"),
            (
                #"{"timing": {"stop": [{"kind": "exponential", "mean": "-1s"}]}}"#,
                "timing.stop[0].mean: invalid duration \"-1s\": negative durations are not allowed"
            ),
            (#"{"sampleInterval": "0s"}"#, "sampleInterval: expected a positive duration"),
            (#"{"hosts": 3"#, "invalid JSON at byte 11: expected ',' or '}'"),
            ("[]", "expected an object, got []"),
        ])
    func invalidScenariosNameThePath(text: String, message: String) {
        #expect(throws: ScenarioError.self) { try Scenario.parse(text) }
        do { _ = try Scenario.parse(text) } catch { #expect(error.description == message) }
    }

    @Test("every faulty host group and every faulty workload is reported, not just the first")
    func everyFaultyElement() throws {
        let hosts =
            #"{"hosts": [{"name": "a", "vcpus": 0, "memoryMiB": 1, "diskGiB": 1}, {"name": "b", "vcpus": 1, "memoryMiB": 1024, "diskGiB": 1}, {"name": "c", "vcpus": 1, "memoryMiB": -1, "diskGiB": 1}]}"#
        do {
            _ = try Scenario.parse(hosts)
            Issue.record("expected the host problems")
        } catch {
            #expect(error.allDescriptions == ["hosts[0].vcpus: expected a positive integer, got 0", "hosts[2].memoryMiB: expected a positive integer, got -1"])
        }
        let workloads =
            #"{"workloads": [{"name": "w"}, {"name": "ok", "arrival": {"process": "constant", "interval": "1m"}, "flavor": "1"}, {"name": "v", "arrival": {"process": "x"}}]}"#
        do {
            _ = try Scenario.parse(workloads)
            Issue.record("expected the workload problems")
        } catch {
            #expect(
                error.allDescriptions == [
                    "workloads[0].arrival: is required", "workloads[2].arrival.process: expected poisson, constant, burst, diurnal, growing or trace, got x",
                ])
        }
    }
}

@Suite("Scenario users")
struct ScenarioUserTests {
    @Test("users are read with their roles; a file without them gets demo and admin")
    func usersAreRead() throws {
        let scenario = try Scenario.parse(
            #"{"users": [{"name": "ops", "password": "pw", "project": "team", "roles": ["admin", "reader"]}, {"name": "dev", "password": "x", "project": "team"}]}"#
        )
        #expect(
            scenario.users == [
                CloudUser(name: "ops", password: "pw", project: "team", roles: [.admin, .reader]), CloudUser(name: "dev", password: "x", project: "team"),
            ])
        #expect(try Scenario.parse("{}").users == CloudUser.defaults)
        #expect(CloudUser.defaults.map(\.name) == ["demo", "admin"])
    }

    @Test(
        "bad users are refused with the JSON path",
        arguments: [
            (
                #"{"users": [{"name": "a", "password": "p", "project": "x"}, {"name": "a", "password": "q", "project": "y"}]}"#,
                "users[1].name: user name a is used twice"
            ),
            (
                #"{"users": [{"name": "a", "password": "p", "project": "x", "roles": ["root"]}]}"#,
                "users[0].roles[0]: expected one of admin, manager, member, reader, got root"
            ),
            (#"{"users": [{"name": "a", "password": "", "project": "x"}]}"#, "users[0].password: expected 1 to 255 bytes of text"),
        ])
    func badUsers(text: String, message: String) {
        do {
            _ = try Scenario.parse(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.description == message)
        }
    }
}
