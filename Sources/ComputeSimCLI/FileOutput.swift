import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file the CLI could not write, described as a shell user expects:
/// `cannot write out/report.json: Permission denied`, never `NSCocoaErrorDomain error 512`.
struct OutputError: Error, Equatable {
    var message: String
}

/// Creates the directory `path` and any missing parents (like `mkdir -p`); an existing
/// directory is fine.
/// - Throws: ``OutputError`` when something that is not a directory is in the way
///   (`/dev/null exists and is not a directory`) or the operating system refuses, with its
///   reason (`Permission denied`).
func makeDirectory(_ path: String) throws(OutputError) {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
        guard isDirectory.boolValue else { throw OutputError(message: "\(path) exists and is not a directory") }
        return
    }
    // mkdir each missing component in turn, so the error is the operating system's own.
    var prefix = path.hasPrefix("/") ? "/" : ""
    for component in path.split(separator: "/") {
        prefix += component
        if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
            throw OutputError(message: "cannot create the directory \(path): \(String(cString: strerror(errno)))")
        }
        prefix += "/"
    }
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw OutputError(message: "cannot create the directory \(path): \(String(cString: strerror(ENOTDIR)))")
    }
}

/// Writes `contents` as UTF-8 to `path`, replacing the file atomically: the bytes go to a
/// temporary file beside it (`.NAME.PID.tmp`, same directory, so the same file system), which is
/// flushed to disk and then renamed over `path`. A reader, or a rerun after the process was
/// killed, sees the old file or the whole new one, never half of it; a write that fails removes
/// its temporary file. A path that exists and is not a regular file (`/dev/null`, a FIFO,
/// `/dev/stdout`, a symbolic link) is written in place, as before: renaming over it would
/// replace the device or the link itself.
/// - Throws: ``OutputError`` naming the path and the operating system's reason
///   (`No space left on device`).
func writeFile(_ contents: String, to path: String) throws(OutputError) {
    var status = stat()
    if lstat(path, &status) == 0, status.st_mode & S_IFMT != S_IFREG {
        return try writeInPlace(contents, to: path, flags: O_WRONLY | O_TRUNC | O_CLOEXEC)
    }
    let temporary = temporaryPath(for: path)
    do {
        try writeInPlace(contents, to: temporary, flags: O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, reportedAs: path, sync: true)
    } catch {
        unlink(temporary)
        throw error
    }
    if rename(temporary, path) != 0 {
        let reason = errno
        unlink(temporary)
        throw OutputError(message: "cannot write \(path): \(String(cString: strerror(reason)))")
    }
}

/// The temporary file `writeFile` writes before renaming: `.NAME.PID.tmp` in `path`'s folder.
func temporaryPath(for path: String) -> String {
    let folder = (path as NSString).deletingLastPathComponent
    let name = "." + (path as NSString).lastPathComponent + ".\(getpid()).tmp"
    return folder.isEmpty ? name : (folder as NSString).appendingPathComponent(name)
}

/// The file a temporary file named `name` was written for (`.report.json.812.tmp` ->
/// `report.json`), when `name` has `writeFile`'s temporary form; nil otherwise. A process
/// killed between writing and renaming leaves such a file behind.
func leftoverTarget(ofTemporary name: String) -> String? {
    guard name.hasPrefix("."), name.hasSuffix(".tmp") else { return nil }
    let middle = name.dropFirst().dropLast(4)
    guard let dot = middle.lastIndex(of: ".") else { return nil }
    let pid = middle[middle.index(after: dot)...]
    guard !pid.isEmpty, pid.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), dot > middle.startIndex else { return nil }
    return String(middle[..<dot])
}

/// Opens `path` with `flags` and writes every byte (retrying short writes and `EINTR`).
private func writeInPlace(_ contents: String, to path: String, flags: Int32, reportedAs shown: String? = nil, sync: Bool = false) throws(OutputError) {
    let descriptor = open(path, flags, 0o644)
    guard descriptor >= 0 else { throw OutputError(message: "cannot write \(shown ?? path): \(String(cString: strerror(errno)))") }
    var failure: Int32? = nil
    var bytes = Array(contents.utf8)
    bytes.withUnsafeMutableBytes { buffer in
        guard let base = buffer.baseAddress else { return }
        var offset = 0
        while offset < buffer.count {
            let written = write(descriptor, base + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                failure = errno
                return
            }
            offset += written
        }
    }
    if sync, failure == nil, fsync(descriptor) != 0 { failure = errno }
    if close(descriptor) != 0, failure == nil { failure = errno }
    if let failure { throw OutputError(message: "cannot write \(shown ?? path): \(String(cString: strerror(failure)))") }
}
