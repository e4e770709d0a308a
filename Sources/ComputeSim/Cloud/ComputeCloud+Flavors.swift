// The flavor catalog as administrators manage it: create and delete flavors, set their
// description and extra specs, and share private flavors with projects. A server keeps the
// flavor it was built with (its own copy), so deleting or changing a catalog flavor never
// touches servers already using it, nor a resize under way.
extension ComputeCloud {
    /// The flavor `id` if `caller` may see it: a public flavor, any flavor for administrators,
    /// a private one for the projects on its access list. Each catalog flavor is one shared box.
    /// - Complexity: O(1) for public flavors, O(p) for a private one shared with p projects.
    func usableFlavor(_ id: FlavorID, by caller: Caller) -> Shared<Flavor>? {
        guard let box = world.flavors[id] else { return nil }
        guard box.value.isPublic || caller.isAdmin || world.flavorAccess[id, default: []].contains(caller.project) else { return nil }
        return box
    }

    /// The flavor `id` as `caller` may see it.
    /// - Throws: ``CloudError`` `itemNotFound` ("Flavor x could not be found.") for an unknown
    ///   flavor or a private one the caller's project has no access to.
    public func flavor(_ id: FlavorID, as caller: Caller) throws(CloudError) -> Flavor {
        guard let box = usableFlavor(id, by: caller) else { throw CloudError(.itemNotFound, "Flavor \(id) could not be found.") }
        return box.value
    }

    /// The flavors `caller` may see, sorted by id (Nova's default order). `isPublic` is the
    /// administrators' filter: `true` (the default) public flavors and those shared with their
    /// own project, `false` private flavors only, nil every flavor. Members always get the public
    /// flavors and those shared with their project, whatever `isPublic` says.
    /// - Complexity: O(f log f) for f flavors.
    public func visibleFlavors(isPublic: Bool? = true, as caller: Caller) -> [Flavor] {
        let filter: Bool? = caller.isAdmin ? isPublic : true
        return world.configuration.flavors.filter { flavor in
            switch filter {
            case nil: return true
            case false?: return !flavor.isPublic
            case true?: return flavor.isPublic || world.flavorAccess[flavor.id, default: []].contains(caller.project)
            }
        }.sorted { $0.id.rawValue.utf8.lexicographicallyPrecedes($1.id.rawValue.utf8) }
    }

    /// Adds `flavor` to the catalog (administrators). Servers may use it at once; a private
    /// flavor only by administrators until it is shared (``addFlavorAccess(_:project:as:)``).
    /// - Throws: ``CloudError``: `forbidden` for non-administrators; `badRequest` for an
    ///   invalid name, description or value (``Flavor/validated()``); `conflictingRequest` when the id
    ///   ("Flavor with ID x already exists.") or the name ("Flavor with name x already
    ///   exists.") is taken.
    /// - Complexity: O(f) for f flavors.
    public mutating func createFlavor(_ flavor: Flavor, as caller: Caller) throws(CloudError) {
        try requireFlavorAdmin("os-flavor-manage:create", caller)
        try Self.validateName(flavor.name)
        if let description = flavor.description { try Self.validateFlavorDescription(description) }
        let checked: Flavor
        do { checked = try flavor.validated() } catch { throw CloudError(.badRequest, error.message) }
        guard world.flavors[checked.id] == nil else { throw CloudError(.conflictingRequest, "Flavor with ID \(checked.id) already exists.") }
        guard !world.configuration.flavors.contains(where: { $0.name == checked.name }) else {
            throw CloudError(.conflictingRequest, "Flavor with name \(checked.name) already exists.")
        }
        world.flavors[checked.id] = Shared(checked)
        world.configuration.flavors.append(checked)
        world.flavorRowIDs[checked.id] = (world.flavorRowIDs.values.max() ?? 0) + 1
    }

    /// Removes flavor `id` from the catalog (administrators). Servers of it keep running with
    /// their own copy; new servers and resizes can no longer ask for it.
    /// - Throws: ``CloudError``: `forbidden` for non-administrators; `itemNotFound` for an
    ///   unknown flavor.
    public mutating func deleteFlavor(_ id: FlavorID, as caller: Caller) throws(CloudError) {
        try requireFlavorAdmin("os-flavor-manage:delete", caller)
        guard world.flavors[id] != nil else { throw CloudError(.itemNotFound, "Flavor \(id) could not be found.") }
        world.flavors[id] = nil
        world.flavorAccess[id] = nil
        world.configuration.flavors.removeAll { $0.id == id }
    }

    /// Sets or clears (nil) flavor `id`'s description (administrators; Nova's 2.55 update).
    /// - Throws: ``CloudError``: `forbidden`, `itemNotFound`, or `badRequest` for a
    ///   description longer than 65535 characters or with control characters.
    @discardableResult
    public mutating func updateFlavorDescription(_ id: FlavorID, to description: String?, as caller: Caller) throws(CloudError) -> Flavor {
        try requireFlavorAdmin("os-flavor-manage:update", caller)
        if let description { try Self.validateFlavorDescription(description) }
        return try changeFlavor(id) { $0.description = description }
    }

    /// Flavor `id`'s extra specs, for anyone who may see the flavor.
    /// - Throws: ``CloudError`` `itemNotFound`.
    public func flavorExtraSpecs(_ id: FlavorID, as caller: Caller) throws(CloudError) -> [String: String] {
        try flavor(id, as: caller).extraSpecs
    }

    /// Adds `specs` to flavor `id`'s extra specs, replacing the values of keys it has
    /// (administrators). Servers already built keep the specs they were built with.
    /// - Throws: ``CloudError``: `forbidden`; `itemNotFound`; `badRequest` for a key that is
    ///   not 1 to 255 of `A-Z a-z 0-9 - _ : .` and space, or a value over 255 characters.
    @discardableResult
    public mutating func setFlavorExtraSpecs(_ specs: [String: String], of id: FlavorID, as caller: Caller) throws(CloudError) -> Flavor {
        try requireFlavorAdmin("os-flavor-extra-specs:create", caller)
        try Self.validateMetadataItems(specs, field: "extra_specs")
        return try changeFlavor(id) { $0.extraSpecs.merge(specs) { _, new in new } }
    }

    /// Removes extra spec `key` from flavor `id` (administrators).
    /// - Throws: ``CloudError``: `forbidden`; `itemNotFound` for an unknown flavor or key
    ///   ("Flavor x has no extra specs with key k.").
    public mutating func deleteFlavorExtraSpec(_ key: String, of id: FlavorID, as caller: Caller) throws(CloudError) {
        try requireFlavorAdmin("os-flavor-extra-specs:delete", caller)
        guard let current = world.flavors[id]?.value else { throw CloudError(.itemNotFound, "Flavor \(id) could not be found.") }
        guard current.extraSpecs[key] != nil else { throw CloudError(.itemNotFound, "Flavor \(id) has no extra specs with key \(key).") }
        try changeFlavor(id) { $0.extraSpecs[key] = nil }
    }

    /// The projects private flavor `id` is shared with, in the order they were added
    /// (administrators).
    /// - Throws: ``CloudError``: `forbidden`; `itemNotFound` for an unknown flavor or a public
    ///   one ("Access list not available for public flavors.").
    public func flavorAccess(_ id: FlavorID, as caller: Caller) throws(CloudError) -> [ProjectID] {
        try requireFlavorAdmin("os-flavor-access", caller)
        guard let flavor = world.flavors[id]?.value else { throw CloudError(.itemNotFound, "Flavor \(id) could not be found.") }
        guard !flavor.isPublic else { throw CloudError(.itemNotFound, "Access list not available for public flavors.") }
        return world.flavorAccess[id, default: []]
    }

    /// Shares private flavor `id` with `project` (administrators); returns the access list.
    /// - Throws: ``CloudError``: `forbidden`; `itemNotFound`; `conflictingRequest` for a public flavor
    ///   ("Can not add access to a public flavor.", from microversion 2.7; before it Nova
    ///   records the entry though a public flavor ignores it) or a project already listed.
    @discardableResult
    public mutating func addFlavorAccess(_ id: FlavorID, project: ProjectID, as caller: Caller) throws(CloudError) -> [ProjectID] {
        try addFlavorAccess(id, project: project, refusingPublic: true, as: caller)
    }

    mutating func addFlavorAccess(_ id: FlavorID, project: ProjectID, refusingPublic: Bool, as caller: Caller) throws(CloudError) -> [ProjectID] {
        try requireFlavorAdmin("os-flavor-access:add_tenant_access", caller)
        guard let flavor = world.flavors[id]?.value else { throw CloudError(.itemNotFound, "Flavor \(id) could not be found.") }
        if refusingPublic, flavor.isPublic { throw CloudError(.conflictingRequest, "Can not add access to a public flavor.") }
        guard !world.flavorAccess[id, default: []].contains(project) else {
            throw CloudError(.conflictingRequest, "Flavor access already exists for flavor \(id) and project \(project) combination.")
        }
        world.flavorAccess[id, default: []].append(project)
        return world.flavorAccess[id, default: []]
    }

    /// Stops sharing flavor `id` with `project` (administrators); returns the access list.
    /// Servers the project built from it keep running.
    /// - Throws: ``CloudError``: `forbidden`; `itemNotFound` for an unknown flavor or a project
    ///   not on the list ("Flavor access not found for x / p combination.").
    @discardableResult
    public mutating func removeFlavorAccess(_ id: FlavorID, project: ProjectID, as caller: Caller) throws(CloudError) -> [ProjectID] {
        try requireFlavorAdmin("os-flavor-access:remove_tenant_access", caller)
        guard world.flavors[id] != nil else { throw CloudError(.itemNotFound, "Flavor \(id) could not be found.") }
        guard let position = world.flavorAccess[id, default: []].firstIndex(of: project) else {
            throw CloudError(.itemNotFound, "Flavor access not found for \(id) / \(project) combination.")
        }
        world.flavorAccess[id, default: []].remove(at: position)
        if world.flavorAccess[id]?.isEmpty == true { world.flavorAccess[id] = nil }
        return world.flavorAccess[id, default: []]
    }

    // MARK: Helpers

    private func requireFlavorAdmin(_ rule: String, _ caller: Caller) throws(CloudError) {
        guard caller.isAdmin else { throw CloudError(.forbidden, "Policy doesn't allow os_compute_api:\(rule) to be performed.") }
    }

    /// Replaces catalog flavor `id` by a changed copy in a new box: servers built from the old
    /// box keep it.
    @discardableResult
    private mutating func changeFlavor(_ id: FlavorID, _ change: (inout Flavor) -> Void) throws(CloudError) -> Flavor {
        guard var flavor = world.flavors[id]?.value else { throw CloudError(.itemNotFound, "Flavor \(id) could not be found.") }
        change(&flavor)
        world.flavors[id] = Shared(flavor)
        if let position = world.configuration.flavors.firstIndex(where: { $0.id == id }) { world.configuration.flavors[position] = flavor }
        return flavor
    }

    /// Nova's flavor description: up to 65535 printable characters.
    static func validateFlavorDescription(_ description: String) throws(CloudError) {
        guard description.count <= 65535, !description.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw CloudError(
                .badRequest,
                "Invalid input for field/attribute description. Value: \(description.prefix(64)). The description must be at most 65535 printable characters.")
        }
    }
}
