/// One file to inject, as the API receives it: a path and base64 contents.
public struct Personality: Hashable, Sendable, Codable {
    public var path: String
    public var contents: String

    public init(path: String, contents: String) {
        self.path = path
        self.contents = contents
    }

    /// A personality entry from text, encoded for you.
    public static func text(_ text: String, at path: String) -> Personality {
        Personality(path: path, contents: Base64.encode(Array(text.utf8)))
    }
}

/// A validated, decoded file waiting to be injected.
public struct InjectedFile: Hashable, Sendable {
    public var path: VirtualPath
    public var text: String

    public init(path: VirtualPath, text: String) {
        self.path = path
        self.text = text
    }
}

/// Strict base64 (RFC 4648 alphabet, `=` padding, length a multiple of 4), written here.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Encodes bytes.
    public static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for position in 0..<4 {
                output.append(position <= chunk.count ? alphabet[Int(value >> (18 - 6 * UInt32(position)) & 0x3f)] : UInt8(ascii: "="))
            }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes strictly: nil for any character outside the alphabet (whitespace included), a
    /// length that is not a multiple of 4, misplaced padding, or non-zero padding bits.
    public static func decodeStrict(_ text: String) -> [UInt8]? {
        decode(Array(text.utf8))
    }

    /// Decodes base64 wrapped into lines as `base64` and MIME tools write it (Nova's decoder
    /// accepts it): ASCII whitespace (space, tab, CR, LF) is skipped; everything else is as
    /// strict as ``decodeStrict(_:)``.
    public static func decodeWrapped(_ text: String) -> [UInt8]? {
        decode(text.utf8.filter { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D })
    }

    private static func decode(_ characters: [UInt8]) -> [UInt8]? {
        guard characters.count % 4 == 0 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(characters.count / 4 * 3)
        var index = 0
        while index < characters.count {
            var value: UInt32 = 0
            var padding = 0
            for offset in 0..<4 {
                let character = characters[index + offset]
                let digit: UInt32
                switch character {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): digit = UInt32(character - UInt8(ascii: "A"))
                case UInt8(ascii: "a")...UInt8(ascii: "z"): digit = UInt32(character - UInt8(ascii: "a")) + 26
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(character - UInt8(ascii: "0")) + 52
                case UInt8(ascii: "+"): digit = 62
                case UInt8(ascii: "/"): digit = 63
                case UInt8(ascii: "="):
                    // Padding only in the last group, only in its last two places, only at the end.
                    guard index + 4 == characters.count, offset >= 2 else { return nil }
                    padding += 1
                    digit = 0
                default: return nil
                }
                if padding > 0 && character != UInt8(ascii: "=") { return nil }
                value = value << 6 | digit
            }
            let bytes = [UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
            // Canonical encodings only: the bits under the padding must be zero.
            if padding == 1 && bytes[2] != 0 { return nil }
            if padding == 2 && (bytes[1] != 0 || bytes[2] != 0) { return nil }
            output.append(contentsOf: bytes.prefix(3 - padding))
            index += 4
        }
        return output
    }
}

extension Personality {
    /// Validates a request's files against the project's quota, in Nova's order (format, then
    /// count, then the longest path, then the largest content), plus ComputeSim's text-only rule,
    /// and decodes them. Nothing is created when this throws.
    ///
    /// - Throws: ``FileSystemError``: `invalidContents` naming the field for invalid base64 or
    ///   saying binary files cannot be injected, `invalidPath` for an invalid path; `limitExceeded`
    ///   with Nova's messages for the limits ("Personality file limit exceeded", "Personality file path exceeds maximum 255",
    ///   "Personality file content exceeds maximum 10240"), measured on decoded bytes.
    ///
    /// With an `image` that sets its own limits (``Image/maxPersonality``,
    /// ``Image/maxPersonalitySize``), those apply on top of the quota's, each checked after the
    /// quota's limit of the same kind: "Personality file limit exceeded: image NAME allows at most
    /// N files", "Personality file content exceeds maximum N bytes set by image NAME".
    public static func validate(_ files: [Personality], quota: Quota, image: Image? = nil) throws(FileSystemError) -> [InjectedFile] {
        guard !files.isEmpty else { return [] }  // (no limit can refuse nothing: no property lookups per create)
        var decoded: [[UInt8]] = []
        for file in files {
            guard let bytes = Base64.decodeWrapped(file.contents) else {
                let shown = file.contents.count > 64 ? String(file.contents.prefix(64)) + "..." : file.contents
                throw FileSystemError(.invalidContents, "Invalid input for field/attribute contents. Value: \(shown). '\(shown)' is not a 'base64'")
            }
            decoded.append(bytes)
        }
        if quota.injectedFiles >= 0 && files.count > quota.injectedFiles {
            throw FileSystemError(.limitExceeded, "Personality file limit exceeded")
        }
        if let image, let limit = image.maxPersonality, files.count > limit {
            throw FileSystemError(.limitExceeded, "Personality file limit exceeded: image \(image.name) allows at most \(limit) files")
        }
        if quota.injectedFilePathLength >= 0, files.contains(where: { $0.path.utf8.count > quota.injectedFilePathLength }) {
            throw FileSystemError(.limitExceeded, "Personality file path exceeds maximum \(quota.injectedFilePathLength)")
        }
        if quota.injectedFileContentBytes >= 0, decoded.contains(where: { $0.count > quota.injectedFileContentBytes }) {
            throw FileSystemError(.limitExceeded, "Personality file content exceeds maximum \(quota.injectedFileContentBytes)")
        }
        if let image, let limit = image.maxPersonalitySize, decoded.contains(where: { $0.count > limit }) {
            throw FileSystemError(.limitExceeded, "Personality file content exceeds maximum \(limit) bytes set by image \(image.name)")
        }
        var result: [InjectedFile] = []
        for (file, bytes) in zip(files, decoded) {
            let path: VirtualPath
            do {
                path = try VirtualPath(file.path)
            } catch {
                throw FileSystemError(.invalidPath, "Invalid input for field/attribute path. \(error.message)", underlying: error)
            }
            guard !bytes.contains(0), let text = String(validating: bytes, as: UTF8.self) else {
                throw FileSystemError(.invalidContents, "Personality file \(path) is binary: only text files (valid UTF-8 without NUL bytes) can be injected")
            }
            result.append(InjectedFile(path: path, text: text))
        }
        return result
    }
}

extension VirtualFileSystem {
    /// Injects files as ComputeSim's personality does: missing parents are created root:root
    /// 0755; an existing file is first renamed `<path>.bak.<unix seconds>` (up to 4 decimals,
    /// trailing zeros trimmed, `.0` for whole seconds, as Python prints a float); when that name
    /// is taken (a second injection in the same instant) `.1`, `.2`, ... is appended, so no
    /// backup is ever overwritten. Injected files are root:root mode 0440.
    /// - Throws: ``FileSystemError`` when a path is a directory or crosses a file.
    public mutating func inject(_ files: [InjectedFile], at time: SimTime, wallClock: WallClock) throws(FileSystemError) {
        // Nothing to inject: no backup name is needed, so no timestamp is formatted.
        guard !files.isEmpty else { return }
        var stamp = wallClock.unixSecondsText(at: time, maxDecimals: 4)
        if !stamp.contains(".") { stamp += ".0" }
        var copy = self
        for file in files {
            if let stat = try? copy.stat(file.path) {
                guard stat.kind == .file else { throw FileSystemError(.isADirectory, "\(file.path) is a directory") }
                var backup = file.path.parent.appending("\(file.path.name).bak.\(stamp)")
                var suffix = 1
                while copy.exists(backup) {
                    backup = file.path.parent.appending("\(file.path.name).bak.\(stamp).\(suffix)")
                    suffix += 1
                }
                try copy.rename(file.path, to: backup)
            }
            try copy.write(
                file.path, contents: file.text, metadata: FileMetadata(uid: 0, gid: 0, mode: 0o440, modified: time),
                creatingParents: FileMetadata(uid: 0, gid: 0, mode: 0o755, modified: time))
        }
        self = copy
    }

    /// The backups of `path` made by injection, in name order.
    public func backups(of path: VirtualPath) -> [VirtualPath] {
        let prefix = path.name + ".bak."
        return ((try? list(path.parent)) ?? []).filter { $0.hasPrefix(prefix) }.map { path.parent.appending($0) }
    }
}
