/// Ownership, permissions and modification time of a file or directory.
public struct FileMetadata: Hashable, Sendable {
    public var uid: UInt32
    public var gid: UInt32
    /// Permission bits, e.g. `0o440`.
    public var mode: UInt16
    public var modified: SimTime

    public init(uid: UInt32 = 0, gid: UInt32 = 0, mode: UInt16, modified: SimTime = .zero) {
        self.uid = uid
        self.gid = gid
        self.mode = mode
        self.modified = modified
    }
}

/// What ``VirtualFileSystem/stat(_:)`` reports.
public struct FileStat: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable { case file, directory }
    public var kind: Kind
    public var metadata: FileMetadata
    /// Bytes of UTF-8 for a file; entries for a directory.
    public var size: Int
}

/// An in-memory filesystem of directories and text files, as a value.
///
/// ## Sharing
/// Directories are immutable nodes with sorted entries; a filesystem value is a reference to its
/// root. Copying is O(1) and shares the whole tree; a change copies only the directories on the
/// changed path (O(depth × entries per directory)), so a million servers booted from one image
/// hold one copy of the image tree plus their own changes. Listing order is always by name
/// (UTF-8 byte order), never hash order.
public struct VirtualFileSystem: Hashable, Sendable {
    final class Directory: Sendable {
        let entries: [(name: String, node: Node)]
        let metadata: FileMetadata

        init(entries: [(name: String, node: Node)], metadata: FileMetadata) {
            self.entries = entries
            self.metadata = metadata
        }

        func position(of name: String) -> (found: Bool, index: Int) {
            var low = 0, high = entries.count
            while low < high {
                let middle = (low + high) / 2
                if entries[middle].name == name { return (true, middle) }
                if entries[middle].name.utf8.lexicographicallyPrecedes(name.utf8) { low = middle + 1 } else { high = middle }
            }
            return (false, low)
        }

        func child(_ name: String) -> Node? {
            let (found, index) = position(of: name)
            return found ? entries[index].node : nil
        }

        func replacing(_ name: String, with node: Node?) -> Directory {
            var entries = self.entries
            let (found, index) = position(of: name)
            switch (found, node) {
            case (true, let node?): entries[index].node = node
            case (true, nil): entries.remove(at: index)
            case (false, let node?): entries.insert((name, node), at: index)
            case (false, nil): break
            }
            return Directory(entries: entries, metadata: metadata)
        }
    }

    /// A file's contents and metadata, boxed so a directory entry is just a name and a reference
    /// (24 bytes), which keeps the directories a write copies small.
    final class File: Sendable {
        let contents: String
        let metadata: FileMetadata

        init(contents: String, metadata: FileMetadata) {
            self.contents = contents
            self.metadata = metadata
        }
    }

    enum Node: Sendable {
        case file(File)
        case directory(Directory)

        var stat: FileStat {
            switch self {
            case .file(let file): return FileStat(kind: .file, metadata: file.metadata, size: file.contents.utf8.count)
            case .directory(let directory): return FileStat(kind: .directory, metadata: directory.metadata, size: directory.entries.count)
            }
        }
    }

    private(set) var root: Directory

    /// An empty filesystem whose root is root:root 0755.
    public init() {
        root = Directory(entries: [], metadata: FileMetadata(mode: 0o755))
    }

    // MARK: Reading

    private func node(at path: VirtualPath) throws(FileSystemError) -> Node {
        var current = Node.directory(root)
        var walked = VirtualPath.root
        for component in path.components {
            guard case .directory(let directory) = current else { throw FileSystemError(.notADirectory, "\(walked) is not a directory") }
            walked = walked.appending(component)
            guard let next = directory.child(component) else { throw FileSystemError(.notFound, "\(walked) does not exist") }
            current = next
        }
        return current
    }

    /// Whether anything exists at `path`.
    public func exists(_ path: VirtualPath) -> Bool { (try? node(at: path)) != nil }

    /// The text of the file at `path`.
    /// - Throws: ``FileSystemError`` `notFound`, `notADirectory` or `isADirectory`.
    public func read(_ path: VirtualPath) throws(FileSystemError) -> String {
        switch try node(at: path) {
        case .file(let file): return file.contents
        case .directory: throw FileSystemError(.isADirectory, "\(path) is a directory")
        }
    }

    /// The kind, metadata and size of `path`.
    public func stat(_ path: VirtualPath) throws(FileSystemError) -> FileStat { try node(at: path).stat }

    /// The names in the directory at `path`, sorted.
    public func list(_ path: VirtualPath) throws(FileSystemError) -> [String] {
        guard case .directory(let directory) = try node(at: path) else { throw FileSystemError(.notADirectory, "\(path) is not a directory") }
        return directory.entries.map(\.name)
    }

    /// Every path below (and including) `path`, depth first in name order, with its stat.
    /// - Complexity: O(n) in the number of entries below `path`.
    public func walk(_ path: VirtualPath = .root) throws(FileSystemError) -> [(path: VirtualPath, stat: FileStat)] {
        var result: [(path: VirtualPath, stat: FileStat)] = []
        func visit(_ node: Node, _ at: VirtualPath) {
            result.append((at, node.stat))
            if case .directory(let directory) = node {
                for entry in directory.entries { visit(entry.node, at.appending(entry.name)) }
            }
        }
        visit(try node(at: path), path)
        return result
    }

    // MARK: Writing

    /// Rebuilds the directories along `components`, applying `change` to the last one's entry.
    private static func updating(
        _ directory: Directory, _ components: ArraySlice<String>, at walked: VirtualPath, parents: FileMetadata?,
        change: (Node?) throws(FileSystemError) -> Node?
    ) throws(FileSystemError) -> Directory {
        guard let first = components.first else { throw FileSystemError(.invalidPath, "the root cannot be replaced") }
        let path = walked.appending(first)
        if components.count == 1 { return directory.replacing(first, with: try change(directory.child(first))) }
        let child: Directory
        switch directory.child(first) {
        case .directory(let existing)?: child = existing
        case .file?: throw FileSystemError(.notADirectory, "\(path) is not a directory")
        case nil:
            guard let parents else { throw FileSystemError(.notFound, "\(path) does not exist") }
            child = Directory(entries: [], metadata: parents)
        }
        let updated = try updating(child, components.dropFirst(), at: path, parents: parents, change: change)
        return directory.replacing(first, with: .directory(updated))
    }

    /// Writes a text file, replacing an existing file's contents and metadata.
    /// - Parameters:
    ///   - path: where the file goes.
    ///   - contents: the file's text.
    ///   - metadata: owner, group, mode and modification time of the file.
    ///   - parents: when given, missing parent directories are created with it; otherwise a
    ///     missing parent is `notFound`.
    /// - Throws: ``FileSystemError`` `isADirectory`, `notADirectory`, `notFound`.
    public mutating func write(_ path: VirtualPath, contents: String, metadata: FileMetadata, creatingParents parents: FileMetadata? = nil)
        throws(FileSystemError)
    {
        root = try Self.updating(root, path.components[...], at: .root, parents: parents) { (existing: Node?) throws(FileSystemError) -> Node? in
            if case .directory? = existing { throw FileSystemError(.isADirectory, "\(path) is a directory") }
            return .file(File(contents: contents, metadata: metadata))
        }
    }

    /// Creates a directory (and, with `parents`, its missing parents).
    /// - Throws: ``FileSystemError`` `exists` when something is already there.
    public mutating func makeDirectory(_ path: VirtualPath, metadata: FileMetadata, creatingParents parents: FileMetadata? = nil) throws(FileSystemError) {
        root = try Self.updating(root, path.components[...], at: .root, parents: parents) { (existing: Node?) throws(FileSystemError) -> Node? in
            guard existing == nil else { throw FileSystemError(.exists, "\(path) already exists") }
            return .directory(Directory(entries: [], metadata: metadata))
        }
    }

    /// Removes a file or an empty directory.
    /// - Throws: ``FileSystemError`` `notFound` or `notEmpty`.
    public mutating func remove(_ path: VirtualPath) throws(FileSystemError) {
        root = try Self.updating(root, path.components[...], at: .root, parents: nil) { (existing: Node?) throws(FileSystemError) -> Node? in
            switch existing {
            case nil: throw FileSystemError(.notFound, "\(path) does not exist")
            case .directory(let directory)? where !directory.entries.isEmpty: throw FileSystemError(.notEmpty, "\(path) is not empty")
            default: return nil
            }
        }
    }

    /// Moves a file or directory to a path where nothing exists yet.
    /// - Throws: ``FileSystemError`` `notFound` for the source or the target's parent, `exists`.
    public mutating func rename(_ source: VirtualPath, to target: VirtualPath) throws(FileSystemError) {
        let moving = try node(at: source)
        guard !exists(target) else { throw FileSystemError(.exists, "\(target) already exists") }
        var copy = self
        copy.root = try Self.updating(copy.root, source.components[...], at: .root, parents: nil) { _ in nil }
        copy.root = try Self.updating(copy.root, target.components[...], at: .root, parents: nil) { _ in moving }
        self = copy
    }

    // MARK: Equality

    /// Equal when both hold the same paths with the same metadata and contents.
    /// - Complexity: O(1) when the trees are shared, else O(n).
    public static func == (lhs: VirtualFileSystem, rhs: VirtualFileSystem) -> Bool {
        if lhs.root === rhs.root { return true }
        guard let left = try? lhs.walk(), let right = try? rhs.walk(), left.count == right.count else { return false }
        for (a, b) in zip(left, right) {
            guard a.path == b.path, a.stat == b.stat else { return false }
            if a.stat.kind == .file, (try? lhs.read(a.path)) != (try? rhs.read(b.path)) { return false }
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        for entry in (try? walk()) ?? [] { hasher.combine(entry.path) }
    }

    /// Whether two filesystems share the same root node (copy-on-write sharing, for tests).
    public func sharesStorage(with other: VirtualFileSystem) -> Bool { root === other.root }
}
