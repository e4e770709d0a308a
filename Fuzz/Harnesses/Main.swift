// The fuzz driver: every harness is compiled into one binary with ComputeSim's sources (by
// Fuzz/run.sh) and FUZZ_HARNESS picks which one libFuzzer drives. One binary builds once for
// all harnesses, which is what makes a CI smoke run of each affordable.
import Foundation

/// Stops the run with a message libFuzzer reports as a crash (and saves the input).
func finding(_ message: @autoclosure () -> String) -> Never {
    fatalError("fuzz finding: \(message())")
}

/// The input as text, when it is UTF-8 (most harnesses want text; invalid UTF-8 is its own test).
func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
    String(validating: bytes, as: UTF8.self)
}

/// A structure-aware harness's input: when the first byte is 0xFF, the text `generate` builds
/// from the other bytes; otherwise the bytes as UTF-8 text (nil when they are not).
func text(_ bytes: UnsafeBufferPointer<UInt8>, orGeneratedBy generate: (Slice<UnsafeBufferPointer<UInt8>>) -> String) -> String? {
    bytes.first == 0xFF ? generate(bytes.dropFirst()) : text(bytes)
}

/// Every harness by name (the names of Fuzz/Corpus and Fuzz/Dictionaries folders and files).
let harnesses: [(name: String, run: @Sendable (UnsafeBufferPointer<UInt8>) -> Void)] = [
    ("json-facade", fuzzJSONFacade),
    ("api-sequence", fuzzAPISequence),
    ("query-string", fuzzQueryString),
    ("timestamps", fuzzTimestamps),
    ("scenario-parser", fuzzScenarioParser),
    ("session-parser", fuzzSessionParser),
    ("duration-parser", fuzzDurationParser),
    ("base64", fuzzBase64),
    ("path-normalisation", fuzzPathNormalisation),
    ("http-parser", fuzzHTTPParser),
]

nonisolated(unsafe) var selectedHarness: (@Sendable (UnsafeBufferPointer<UInt8>) -> Void)? = nil

/// Picks the harness named by FUZZ_HARNESS, and builds the default cloud once before fuzzing,
/// so the lazily built globals it uses (image trees, catalogs) are not reported as leaks of
/// the first input.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>) -> Int32 {
    let name = getenv("FUZZ_HARNESS").map { String(cString: $0) } ?? ""
    guard let harness = harnesses.first(where: { $0.name == name }) else {
        FileHandle.standardError.write(Data("FUZZ_HARNESS must name one of: \(harnesses.map(\.name).joined(separator: ", ")) (got \"\(name)\")\n".utf8))
        exit(2)
    }
    selectedHarness = harness.run
    _ = templateCloud
    _ = try? JSONParser.parse("{}")
    return 0
}

/// The default cloud, built once: harnesses copy it (a value; its storage is copied on the
/// first write) instead of building one per input, which was most of their time per input.
let templateCloud: ComputeCloud = {
    guard let cloud = try? ComputeCloud() else { finding("the default cloud cannot be built") }
    return cloud
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    selectedHarness?(UnsafeBufferPointer(start: data, count: size))
    return 0
}
