extension StringProtocol {
    /// The lines of a text file written on any platform: split at `"\n"` and at `"\r\n"` (which
    /// Swift treats as one `Character`, so splitting on `"\n"` alone leaves CRLF files as one
    /// line), keeping empty lines so line numbers stay right. A lone `"\r"` is not a break.
    ///
    /// Scans UTF-8 bytes, not `Character`s: grapheme breaking always breaks around CR and LF,
    /// so cutting at each LF (and before a CR right in front of it) gives the same lines as
    /// splitting the characters, several times faster.
    /// - Complexity: O(n).
    package var textLines: [SubSequence] {
        var lines: [SubSequence] = []
        let bytes = utf8
        var start = bytes.startIndex
        // The last carriage return seen, while it is the byte right before `index`.
        var carriageReturn: String.Index? = nil
        var index = start
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") {
                lines.append(self[start..<(carriageReturn ?? index)])
                start = bytes.index(after: index)
            }
            carriageReturn = byte == UInt8(ascii: "\r") ? index : nil
            index = bytes.index(after: index)
        }
        lines.append(self[start..<bytes.endIndex])
        return lines
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
