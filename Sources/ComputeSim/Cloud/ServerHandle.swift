/// A server named by its record number as well as its id, so a driver that calls the cloud
/// millions of times (a benchmark, a capacity-planning harness) reaches the server without
/// hashing its id: ``ComputeCloud/status(of:as:)-(ServerHandle,_)`` and the other overloads that
/// take a handle check it in O(1) with two integer comparisons.
///
/// A handle stays valid as long as its server exists. Once the server is deleted, calls answer
/// exactly as they would for its id (404 `itemNotFound` naming it); once it is archived
/// (``CloudConfiguration/deletedServerRetention``) and its record number holds another server,
/// the handle is recognised as stale by the creation serial it carries and answers the same
/// 404. (Serials wrap after 2^32 creates; a handle kept across that many creates could name the
/// server that then holds its number.)
public struct ServerHandle: Hashable, Sendable {
    /// The server's id.
    public let id: ServerID
    let index: Int32
    let serial: UInt32
}

extension ComputeCloud {
    /// The handle of server `id`, whoever owns it; nil for an unknown or archived id.
    /// - Complexity: O(1) expected: one hash of the id.
    public func handle(of id: ServerID) -> ServerHandle? {
        guard let index = world.serverIndex[id] else { return nil }
        return ServerHandle(id: id, index: index, serial: world.servers[Int(index)].serial)
    }

    /// The handles of servers just created, in the order of `created.ids` (of those that still
    /// exist unarchived: a server never changes record, so one whose record no longer holds it
    /// was archived).
    /// - Complexity: O(n) for n servers, without hashing.
    public func handles(of created: CreatedServers) -> [ServerHandle] {
        zip(created.ids, created.records).compactMap { id, index in
            holds(index, id) ? ServerHandle(id: id, index: index, serial: world.servers[Int(index)].serial) : nil
        }
    }

    /// The record number `handle` names, checked as ``index(of:for:)`` checks an id.
    func index(of handle: ServerHandle, for caller: Caller) throws(CloudError) -> Int32 {
        let i = Int(handle.index)
        guard handle.index >= 0, i < world.servers.count, world.servers[i].serial == handle.serial, !world.servers[i].isVacant else {
            throw CloudError.notFound(handle.id)
        }
        return try index(at: handle.index, for: caller)
    }

    /// ``server(_:as:)-(ServerID,_)`` by handle.
    public func server(_ handle: ServerHandle, as caller: Caller) throws(CloudError) -> Server {
        world.view(try index(of: handle, for: caller), now: now)
    }

    /// ``status(of:as:)-(ServerID,_)`` by handle: O(1) without hashing.
    public func status(of handle: ServerHandle, as caller: Caller) throws(CloudError) -> ServerStatus {
        let index = try index(of: handle, for: caller)
        return world.status(index)
    }

    /// ``perform(_:on:as:)-(_,ServerID,_)`` by handle.
    public mutating func perform(_ request: ServerActionRequest, on handle: ServerHandle, as caller: Caller) throws(CloudError) -> ActionResult {
        try perform(request, at: index(of: handle, for: caller), as: caller)
    }

    /// ``deleteServer(_:as:)-(ServerID,_)`` by handle.
    public mutating func deleteServer(_ handle: ServerHandle, as caller: Caller) throws(CloudError) {
        try deleteServer(at: index(of: handle, for: caller), as: caller)
    }
}
