/// A host's image cache: images by size, least recently used evicted first when a new image
/// needs room. An image larger than the whole cache is used but never kept.
struct ImageCache: Hashable, Sendable {
    let capacityBytes: Double
    /// Cached images, least recently used first.
    private(set) var entries: [(image: ImageID, bytes: Double)] = []
    private(set) var usedBytes: Double = 0

    init(capacityBytes: Double) { self.capacityBytes = capacityBytes }

    static func == (lhs: ImageCache, rhs: ImageCache) -> Bool {
        lhs.capacityBytes == rhs.capacityBytes && lhs.entries.map(\.image) == rhs.entries.map(\.image) && lhs.entries.map(\.bytes) == rhs.entries.map(\.bytes)
    }

    func hash(into hasher: inout Hasher) { hasher.combine(entries.map(\.image)) }

    func contains(_ image: ImageID) -> Bool { entries.contains { $0.image == image } }

    /// Marks a cached image as just used; false when it is not cached.
    mutating func touch(_ image: ImageID) -> Bool {
        guard let position = entries.firstIndex(where: { $0.image == image }) else { return false }
        entries.append(entries.remove(at: position))
        return true
    }

    /// Adds an image as most recently used, evicting the least recently used until it fits.
    /// Returns the images evicted, oldest first.
    @discardableResult
    mutating func insert(_ image: ImageID, bytes: Double) -> [ImageID] {
        if touch(image) { return [] }
        guard bytes <= capacityBytes else { return [] }
        var evicted: [ImageID] = []
        while usedBytes + bytes > capacityBytes, !entries.isEmpty {
            let oldest = entries.removeFirst()
            usedBytes -= oldest.bytes
            evicted.append(oldest.image)
        }
        entries.append((image, bytes))
        usedBytes += bytes
        return evicted
    }
}
