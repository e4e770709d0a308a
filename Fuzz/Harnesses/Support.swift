// Shared by every harness: compiled into the same module as ComputeSim's sources by Fuzz/run.sh.

/// Stops the run with a message libFuzzer reports as a crash (and saves the input).
func finding(_ message: @autoclosure () -> String) -> Never {
    fatalError("fuzz finding: \(message())")
}

/// The input as text, when it is UTF-8 (most harnesses want text; invalid UTF-8 is its own test).
func text(_ data: UnsafePointer<UInt8>, _ size: Int) -> String? {
    String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
}

/// Builds the default cloud once before fuzzing, so the lazily built globals it uses (image
/// trees, catalogs) are not reported as leaks of the first input.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>) -> Int32 {
    _ = try? ComputeCloud()
    _ = try? JSONParser.parse("{}")
    return 0
}
