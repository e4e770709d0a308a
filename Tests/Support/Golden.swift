import Foundation
import Testing

/// Golden-file comparison: `Fixtures/Golden/<name>` must equal `actual` byte for byte.
///
/// Run with `RECORD_GOLDEN=1` to rewrite the file; the test then fails on purpose, so a
/// recording never passes silently.
public enum Golden {
    /// The package root, found by walking up from this file to the folder holding Package.swift.
    public static var packageRoot: URL {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            url.deleteLastPathComponent()
        }
        return url
    }

    public static func check(_ actual: String, against name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = packageRoot.appendingPathComponent("Fixtures/Golden/\(name)")
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
            try? Data(actual.utf8).write(to: url)
            Issue.record("recorded \(name); unset RECORD_GOLDEN and run again", sourceLocation: sourceLocation)
            return
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            Issue.record("missing golden file \(url.path); run with RECORD_GOLDEN=1 to create it", sourceLocation: sourceLocation)
            return
        }
        #expect(String(decoding: data, as: UTF8.self) == actual, "differs from \(name)", sourceLocation: sourceLocation)
    }
}
