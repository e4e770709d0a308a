// Changing images through the Compute API's image proxy: metadata and deletion.
extension ComputeCloud {
    /// The image `id`, when the caller may change it: administrators any image, a project its
    /// own snapshots and backups (the catalog's images belong to the cloud).
    /// - Throws: ``CloudError``: `itemNotFound` "Image not found."; `forbidden` "Not authorized
    ///   for image …" (or `denied` for deletion).
    private func changeableImage(_ id: ImageID, caller: Caller, denied: String? = nil) throws(CloudError) -> Image {
        guard let image = world.images[id]?.value else { throw CloudError(.itemNotFound, "Image not found.") }
        guard caller.isAdmin || world.snapshots[id]?.project == caller.project else {
            throw CloudError(.forbidden, denied ?? "Not authorized for image \(id).")
        }
        return image
    }

    /// Sets an image's metadata (its properties): merged into what it has, or with `replacing`
    /// in place of it, checked as server metadata is and against the project's metadata-items
    /// quota ("Image metadata limit exceeded"). Servers already built from the image keep the
    /// properties they were built with, as Nova's do.
    /// - Returns: the image's metadata after the change.
    @discardableResult
    public mutating func updateImageMetadata(_ id: ImageID, _ metadata: [String: String], replacing: Bool, as caller: Caller) throws(CloudError)
        -> [String: String]
    {
        var image = try changeableImage(id, caller: caller)
        let properties = replacing ? metadata : image.properties.merging(metadata) { _, new in new }
        let quota = world.configuration.quotas[caller.project] ?? world.configuration.defaultQuota
        if quota.metadataItems >= 0 && properties.count > quota.metadataItems { throw CloudError(.forbidden, "Image metadata limit exceeded") }
        image.properties = properties
        world.images[id] = Shared(image)
        return properties
    }

    /// Removes one metadata key of an image.
    /// - Throws: ``CloudError``: as ``updateImageMetadata(_:_:replacing:as:)``; `itemNotFound`
    ///   "Invalid metadata key" for a key it does not have.
    public mutating func deleteImageMetadata(_ id: ImageID, key: String, as caller: Caller) throws(CloudError) {
        var image = try changeableImage(id, caller: caller)
        guard image.properties.removeValue(forKey: key) != nil else { throw CloudError(.itemNotFound, "Invalid metadata key") }
        world.images[id] = Shared(image)
    }

    /// Deletes an image from the catalog. Servers built from it keep running; new creates and
    /// rebuilds naming it are refused as for any unknown image.
    /// - Throws: ``CloudError``: `itemNotFound` "Image not found."; `forbidden` "You are not
    ///   allowed to delete the image." for another project's or the cloud's image.
    public mutating func deleteImage(_ id: ImageID, as caller: Caller) throws(CloudError) {
        _ = try changeableImage(id, caller: caller, denied: "You are not allowed to delete the image.")
        world.images[id] = nil
        world.imageOrder.removeAll { $0 == id }
        world.snapshots[id] = nil
    }
}
