/// One entry of a server's action log (Nova's `os-instance-actions`): an API call that acted on
/// the server, the request that made it, and the compute event it ran.
///
/// The cloud records one for every accepted create, delete and server action (a refused call
/// records nothing), newest last, until the server is archived. The request id is the one the
/// JSON facade answered the call with in `x-openstack-request-id`; a typed call draws one from
/// the same seeded stream, as a Nova API request would have.
public struct InstanceAction: Hashable, Sendable {
    /// Nova's name for the action: `create`, `delete`, `reboot`, `live-migration`, ….
    public var action: String
    public var serverID: ServerID
    /// `req-` and a UUID.
    public var requestID: String
    /// Who made the call (an administrator's own project when an administrator did).
    public var project: ProjectID
    public var user: String
    public var startTime: SimTime
    /// When an event of the action last started or finished; nil for an action without events
    /// (lock, unlock, a delete of a server without a host).
    public var updatedAt: SimTime?
    /// `"Error"` once an event of the action failed, nil otherwise (Nova's `message`).
    public var message: String?
    /// The compute events, oldest first: one per action that runs on a compute host, named
    /// after the compute manager's method (`compute_reboot_instance`, …).
    public var events: [InstanceActionEvent]
}

/// A compute event of an ``InstanceAction``.
public struct InstanceActionEvent: Hashable, Sendable {
    /// The compute manager's event name, e.g. `compute__do_build_and_run_instance`.
    public var name: String
    public var startTime: SimTime
    /// nil while the operation is under way.
    public var finishTime: SimTime?
    /// `"Success"` or `"Error"`; nil while the operation is under way.
    public var result: String?
    /// The host the event ran on (nil when it failed before a host was chosen).
    public var host: HostName?
    /// Why it failed: the server's fault message (nil unless `result` is `"Error"`).
    public var details: String?
}
