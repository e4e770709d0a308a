// The end of an operation: the state, claims and files it leaves behind.
extension CloudWorld {
    /// Applies the end state of a completed operation.
    mutating func finishOperation(_ index: Int32, scheduler: inout Scheduler<CloudEvent>) {
        guard let operation = servers[Int(index)].operation else { return }
        endPhysicalWork(index, scheduler: &scheduler)
        let now = scheduler.now
        // A build the password policy rejects ends in ERROR: its event failed.
        closeEvent(of: index, now: now, failure: operation.action == nil ? servers[Int(index)].passwordViolation : nil)
        defer { closeMigration(of: index, action: operation.action, failed: false, now: now) }  // once the server is on its destination
        let operationFlavor = servers[Int(index)].operationFlavor
        servers[Int(index)].clearOperation()
        servers[Int(index)].server.taskState = nil
        guard let action = operation.action else {
            servers[Int(index)].alternates = []  // only a build's retries use them
            // The build finished: the server has booted, so personality files are injected.
            injectPending(index, now: now)
            servers[Int(index)].server.launchedAt = now
            servers[Int(index)].storedProgress = 100
            if let violation = servers[Int(index)].passwordViolation {
                servers[Int(index)].server.vmState = .error
                servers[Int(index)].server.powerState = .running
                servers[Int(index)].server.fault = ServerFault(.passwordRejected, message: violation, created: now)
            } else {
                servers[Int(index)].server.vmState = .active
                servers[Int(index)].server.powerState = .running
            }
            return
        }
        let rule = ServerLifecycle.rule(for: action)
        switch rule.end {
        case .fixed(let state): servers[Int(index)].server.vmState = state
        case .unchanged: break
        case .previous(let fallback): servers[Int(index)].server.vmState = operation.previousVMState == .suspended ? fallback : operation.previousVMState
        case .activeUnlessPoweredOff:
            servers[Int(index)].server.vmState = operation.previousPower == .shutdown ? .stopped : .active
        }
        switch action {
        case .delete, .forceDelete:
            finishDelete(index, now: now)
        case .softDelete:
            servers[Int(index)].server.powerState = .shutdown
            servers[Int(index)].pending = scheduler.schedule(.reclaim(server: index), after: configuration.reclaimInterval)
        case .resize, .migrate:
            if let destination = operation.targetHost, let source = servers[Int(index)].server.host {
                servers[Int(index)].resizeSource = ResizeSource(host: source, flavor: servers[Int(index)].server.flavorStorage)
                setHost(index, slot: destination)
                let newFlavor = operationFlavor ?? servers[Int(index)].server.flavorStorage
                countUsage(of: index, sign: -1)
                countUsage(of: index, flavor: newFlavor.value, sign: 1)
                servers[Int(index)].server.flavorStorage = newFlavor
            }
            // The destination starts the guest again unless it was stopped before the resize.
            servers[Int(index)].server.powerState = operation.previousVMState == .stopped ? .shutdown : .running
            servers[Int(index)].storedProgress = 100
        case .confirmResize:
            // Free the source; the destination's claim becomes the server's own.
            releaseIfHeld(index)
            rekeyMigrationClaim(index)
            servers[Int(index)].resizeSource = nil
        case .revertResize:
            if let source = servers[Int(index)].resizeSource {
                let flavor = source.flavor
                releaseIfHeld(index, .migrationTarget)
                setHost(index, source.host)
                countUsage(of: index, sign: -1)
                countUsage(of: index, flavor: flavor.value, sign: 1)
                servers[Int(index)].server.flavorStorage = flavor
            }
            servers[Int(index)].resizeSource = nil
        case .liveMigrate:
            if let destination = operation.targetHost {
                releaseIfHeld(index)
                rekeyMigrationClaim(index)
                setHost(index, slot: destination)
            }
        case .shelve where operation.keepsShelvedServer:
            // SHELVED: powered off but still on (and holding) its host until offloaded.
            servers[Int(index)].server.vmState = .shelved
            servers[Int(index)].server.powerState = .shutdown
            if configuration.shelvedOffloadTime > .zero {
                servers[Int(index)].pending = scheduler.schedule(.offload(server: index), after: configuration.shelvedOffloadTime)
            }
        case .shelve, .shelveOffload:
            releaseIfHeld(index)
            servers[Int(index)].server.host = nil
            servers[Int(index)].hostSlot = -1
            servers[Int(index)].server.powerState = .shutdown
        case .stop:
            servers[Int(index)].server.powerState = .shutdown
        case .pause:
            servers[Int(index)].server.powerState = .paused
        case .suspend:
            servers[Int(index)].server.powerState = .suspended
            if !configuration.suspendKeepsResources { releaseComputeClaim(index) }
        case .rebuild:
            // A fresh copy of the (new) image's tree, then the rebuild's personality.
            servers[Int(index)].fileSystem = configuration.imageTrees[servers[Int(index)].server.image.id] ?? VirtualFileSystem()
            servers[Int(index)].injectedPaths = []
            injectPending(index, now: now)
            servers[Int(index)].storedProgress = 100
            servers[Int(index)].server.powerState = servers[Int(index)].server.vmState == .stopped ? .shutdown : .running
        case .evacuate:
            // Rebuilt from the image on the new host (the files injected before are lost,
            // as Nova re-spawns without them), unless the disk was on shared storage.
            if !operation.keepsDisk {
                servers[Int(index)].fileSystem = configuration.imageTrees[servers[Int(index)].server.image.id] ?? VirtualFileSystem()
                servers[Int(index)].injectedPaths = []
            }
            servers[Int(index)].server.fault = nil
            servers[Int(index)].storedProgress = 100
            servers[Int(index)].server.powerState = servers[Int(index)].server.vmState == .stopped ? .shutdown : .running
        case .changePassword:
            servers[Int(index)].server.fault = nil
            servers[Int(index)].passwordViolation = nil
        default:
            if servers[Int(index)].server.vmState == .active || servers[Int(index)].server.vmState == .rescued {
                servers[Int(index)].server.powerState = .running
            }
        }
    }
}
