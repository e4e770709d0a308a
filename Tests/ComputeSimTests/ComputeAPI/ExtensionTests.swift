import Testing

@testable import ComputeSim

struct ExtensionTests {
    @Test("extensions lists what the simulator implements in Nova's shape, sorted by alias; show finds one by alias")
    func extensionsListAndShow() throws {
        var cloud = try ComputeCloud()
        let listed = API.call(&cloud, "GET", "/extensions")
        #expect(listed.status == 200)
        let entries = try #require(listed.body?["extensions"]?.arrayValue)
        #expect(entries.count == ComputeCloud.extensionList.count && entries.count == 49)
        let aliases = entries.compactMap { $0["alias"]?.stringValue }
        #expect(aliases == aliases.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        for entry in entries {
            #expect(entry.objectValue?.map(\.0).sorted() == ["alias", "description", "links", "name", "namespace", "updated"])
        }
        #expect(aliases.contains("os-console-output") && aliases.contains("os-create-backup") && !aliases.contains("os-volumes"))
        let shown = API.call(&cloud, "GET", "/v2.1/demo/extensions/os-console-output")
        #expect(
            shown.bodyText
                == #"{"extension":{"alias":"os-console-output","description":"The console log of a server.","links":[],"name":"ConsoleOutput","namespace":"http://docs.openstack.org/compute/ext/fake_xml","updated":"2014-12-03T00:00:00Z"}}"#
        )
        let missing = API.call(&cloud, "GET", "/extensions/os-volumes")
        #expect(missing.status == 404 && missing.body?.value(at: "itemNotFound.message") == "The resource could not be found.")
        #expect(API.call(&cloud, "POST", "/extensions", "{}").status == 405)
    }
}
