import Foundation
import Testing

@testable import ComputeSim

struct HostPatternTests {
    @Test("host name patterns expand {n} everywhere it appears, as Foundation's replacement does, for every host of a group")
    func hostNamePatterns() throws {
        #expect(Scenario.templateParts("h{n}") == ["h", ""])
        #expect(Scenario.templateParts("{n}{n}") == ["", "", ""])
        #expect(Scenario.templateParts("{n") == ["{n"] && Scenario.templateParts("") == [""])
        for pattern in ["h{n}", "rack{n}-h{n}", "{n}", "{{n}}", "{n}}{n", "zone-é{n}ü", "n{n}n{n}n", "plain"] {
            for number in [1, 9, 10, 12_345] {
                #expect(
                    Scenario.templateParts(pattern).joined(separator: String(number)) == pattern.replacingOccurrences(of: "{n}", with: String(number)),
                    "\(pattern) \(number)")
            }
        }
        let scenario = try Scenario.parse(
            #"{"name": "t", "duration": "1h", "hosts": [{"name": "rack{n}-h{n}", "count": 3, "vcpus": 8, "memoryMiB": 16384, "diskGiB": 100}], "workloads": []}"#
        )
        #expect(scenario.configuration.hosts.map(\.name.rawValue) == ["rack1-h1", "rack2-h2", "rack3-h3"])
    }
}
