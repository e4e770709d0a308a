// GET /servers/{id}/diagnostics: libvirt's driver-specific keys before 2.48, Nova's standard form from it.
extension ComputeCloud {
    func diagnosticsRequest(_ id: ServerID, method: String, caller: Caller, version: Microversion) throws(CloudError) -> APIResponse {
        guard method == "GET" else { throw CloudError(.badMethod, "The method specified is not allowed for this resource.") }
        let reading = try diagnostics(of: id, as: caller)
        let readRequests = reading.diskReadBytes / 4_096, writeRequests = reading.diskWriteBytes / 4_096
        let received = reading.nicReceivedBytes / 1_024, sent = reading.nicSentBytes / 512
        guard version >= Microversion(2, 48) else {
            // The libvirt driver's own keys: per vCPU time, the root disk's and the tap device's
            // counters, and the memory in KiB.
            var fields: [(String, JSONValue)] = reading.cpuTimes.enumerated().map { ("cpu\($0.offset)_time", .int($0.element)) }
            fields += [
                ("vda_read_req", .int(readRequests)), ("vda_read", .int(reading.diskReadBytes)), ("vda_write_req", .int(writeRequests)),
                ("vda_write", .int(reading.diskWriteBytes)), ("vda_errors", -1), ("memory", .int(Int64(reading.memoryMiB) * 1_024)),
                ("memory-actual", .int(Int64(reading.memoryMiB) * 1_024)), ("memory-rss", .int(Int64(reading.memoryUsedMiB) * 1_024)),
            ]
            if reading.macAddress != nil {
                let tap = "tap" + id.rawValue.prefix(11)
                fields += [
                    ("\(tap)_rx", .int(reading.nicReceivedBytes)), ("\(tap)_rx_packets", .int(received)), ("\(tap)_rx_errors", 0), ("\(tap)_rx_drop", 0),
                    ("\(tap)_tx", .int(reading.nicSentBytes)), ("\(tap)_tx_packets", .int(sent)), ("\(tap)_tx_errors", 0), ("\(tap)_tx_drop", 0),
                ]
            }
            return APIResponse(status: 200, body: .object(fields))
        }
        let nics: [JSONValue] =
            reading.macAddress.map { mac in
                [
                    [
                        "mac_address": .string(mac), "rx_octets": .int(reading.nicReceivedBytes), "rx_errors": 0, "rx_drop": 0, "rx_packets": .int(received),
                        "rx_rate": .null, "tx_octets": .int(reading.nicSentBytes), "tx_errors": 0, "tx_drop": 0, "tx_packets": .int(sent), "tx_rate": .null,
                    ]
                ]
            } ?? []
        return APIResponse(
            status: 200,
            body: [
                "state": "running", "driver": "libvirt", "hypervisor": .string(reading.hypervisor), "hypervisor_os": "linux", "uptime": .int(reading.uptime),
                "config_drive": false, "num_cpus": .int(Int64(reading.cpuTimes.count)), "num_nics": .int(Int64(nics.count)), "num_disks": 1,
                "cpu_details": .array(reading.cpuTimes.enumerated().map { ["id": .int(Int64($0.offset)), "time": .int($0.element), "utilisation": 5] }),
                "nic_details": .array(nics),
                "disk_details": [
                    [
                        "read_bytes": .int(reading.diskReadBytes), "read_requests": .int(readRequests), "write_bytes": .int(reading.diskWriteBytes),
                        "write_requests": .int(writeRequests), "errors_count": 0,
                    ]
                ],
                "memory_details": ["maximum": .int(Int64(reading.memoryMiB)), "used": .int(Int64(reading.memoryUsedMiB))],
            ])
    }
}
