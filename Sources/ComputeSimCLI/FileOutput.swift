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

/// Writes `contents` as UTF-8 to `path`, replacing the file.
/// - Throws: ``OutputError`` naming the path and the operating system's reason
///   (`No space left on device`); a partly written file may remain.
func writeFile(_ contents: String, to path: String) throws(OutputError) {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw OutputError(message: "cannot write \(path): \(String(cString: strerror(errno)))") }
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
    if close(descriptor) != 0, failure == nil { failure = errno }
    if let failure { throw OutputError(message: "cannot write \(path): \(String(cString: strerror(failure)))") }
}
