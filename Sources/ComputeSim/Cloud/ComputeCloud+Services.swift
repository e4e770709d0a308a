// Compute services (os-services): one nova-compute per host, plus the controller's conductor
// and scheduler. Disabling a service or forcing it down keeps new servers off its host (Nova's
// ComputeFilter); its servers keep running.

/// A Nova service as `os-services` shows it.
public struct ComputeService: Hashable, Sendable {
    /// The host (`controller` for the conductor and scheduler).
    public var host: String
    /// `nova-compute`, `nova-conductor` or `nova-scheduler`.
    public var binary: String
    public var zone: String
    public var isDisabled: Bool
    public var disabledReason: String?
    /// Set by an operator (microversion 2.11+); the service then reports down.
    public var isForcedDown: Bool
    /// Whether the service reports: its host is up and it is not forced down.
    public var isUp: Bool
}

extension ComputeCloud {
    /// Every service, compute services in host order, then the controller's. Administrators only.
    public func services(as caller: Caller) throws(CloudError) -> [ComputeService] {
        guard caller.isAdmin else { throw CloudError(.forbidden, "Policy doesn't allow os_compute_api:os-services:list to be performed.") }
        var list: [ComputeService] = hostPool.hostNames.compactMap { name in
            guard let host = hostPool.host(name), let usage = hostPool.usage(of: name) else { return nil }
            let override = world.serviceOverrides[name] ?? ServiceOverride()
            return ComputeService(
                host: name.rawValue, binary: "nova-compute", zone: host.availabilityZone.rawValue, isDisabled: override.disabled,
                disabledReason: override.disabledReason, isForcedDown: override.forcedDown, isUp: usage.isUp && !override.forcedDown)
        }
        for binary in ["nova-conductor", "nova-scheduler"] {
            list.append(
                ComputeService(host: "controller", binary: binary, zone: "internal", isDisabled: false, disabledReason: nil, isForcedDown: false, isUp: true))
        }
        return list
    }

    /// Changes a host's nova-compute service: `disabled` (with an optional reason, cleared on
    /// enabling) and `forcedDown`; nil leaves a setting as it is.
    /// - Throws: ``CloudError``: `forbidden` for non-administrators; `badRequest` for another
    ///   binary or a reason given with enabling; `itemNotFound` for an unknown host.
    @discardableResult
    public mutating func updateService(
        host: String, binary: String = "nova-compute", disabled: Bool? = nil, reason: String? = nil, forcedDown: Bool? = nil, as caller: Caller
    ) throws(CloudError) -> ComputeService {
        guard caller.isAdmin else { throw CloudError(.forbidden, "Policy doesn't allow os_compute_api:os-services:update to be performed.") }
        guard binary == "nova-compute" else {
            throw CloudError(.badRequest, "Updating a \(binary) service is not supported. Only nova-compute services can be updated.")
        }
        let name = HostName(host)
        guard hostPool.host(name) != nil else { throw CloudError(.itemNotFound, "Could not find binary \(binary) on host \(host).") }
        if disabled == false, let reason, !reason.isEmpty {
            throw CloudError(.badRequest, "Specifying 'disabled_reason' with status 'enabled' is invalid.")
        }
        if let reason, reason.count > 255 {
            throw CloudError(.badRequest, "Invalid input for field/attribute disabled_reason. Value: \(reason). '\(reason)' is too long")
        }
        var override = world.serviceOverrides[name] ?? ServiceOverride()
        if let disabled {
            override.disabled = disabled
            override.disabledReason = disabled ? reason : nil
        }
        if let forcedDown { override.forcedDown = forcedDown }
        world.serviceOverrides[name] = override == ServiceOverride() ? nil : override
        // (The host is known, so the pool cannot refuse.)
        try? world.pool.setEnabled(!override.disabled && !override.forcedDown, host: name)
        guard let service = try services(as: caller).first(where: { $0.host == host && $0.binary == binary }) else {
            throw CloudError(.itemNotFound, "Could not find binary \(binary) on host \(host).")
        }
        return service
    }
}
