import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The element names of an SVG document, in document order, read with XMLParser; throws when
/// the document is not well-formed XML.
public enum SVGCheck {
    final class Collector: NSObject, XMLParserDelegate {
        var names: [String] = []
        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:])
        {
            names.append(elementName)
        }
    }

    public struct Invalid: Error {}

    public static func elements(_ data: Data) throws -> [String] {
        let parser = XMLParser(data: data)
        let collector = Collector()
        parser.delegate = collector
        guard parser.parse() else { throw Invalid() }
        return collector.names
    }
}
