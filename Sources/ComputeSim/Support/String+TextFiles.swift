extension StringProtocol {
    /// The lines of a text file written on any platform: split at `"\n"` and at `"\r\n"` (which
    /// Swift treats as one `Character`, so splitting on `"\n"` alone leaves CRLF files as one
    /// line), keeping empty lines so line numbers stay right. A lone `"\r"` is not a break.
    /// - Complexity: O(n).
    package var textLines: [SubSequence] {
        split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
    }
}

extension String {
    /// The text with every C0 control character (tab and newline included) and DEL written as `\u{XX}`, for names a user chose that end up in text reports and SVG files:
    /// a raw NUL or escape sequence there would corrupt the file or the terminal showing it.
    /// - Complexity: O(n).
    package var escapingControlCharacters: String {
        guard utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return self }
        var output = ""
        for scalar in unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                output += "\\u{" + (hex.count < 2 ? "0" + hex : hex) + "}"
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}
