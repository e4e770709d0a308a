/// The provider's password policy (configurable): what a supplied admin password must satisfy.
///
/// Default: at least 8 characters with a digit, an upper-case and a lower-case letter.
/// Generated passwords always satisfy it: Nova's generator, 12 characters from its 57-symbol
/// alphabet with at least one of each group, drawn from the passwords stream.
public struct PasswordPolicy: Hashable, Sendable {
    public var minimumLength = 8
    public var requiresDigit = true
    public var requiresUppercase = true
    public var requiresLowercase = true

    public init() {}

    /// No rules at all (Nova's own behaviour).
    public static var none: PasswordPolicy {
        var policy = PasswordPolicy()
        policy.minimumLength = 0
        policy.requiresDigit = false
        policy.requiresUppercase = false
        policy.requiresLowercase = false
        return policy
    }

    /// Why `password` fails the policy, or nil when it passes.
    public func violation(of password: String) -> String? {
        var missing: [String] = []
        if password.count < minimumLength { missing.append("at least \(minimumLength) characters") }
        if requiresDigit && !password.unicodeScalars.contains(where: { $0.value >= 48 && $0.value <= 57 }) { missing.append("a digit") }
        if requiresUppercase && !password.unicodeScalars.contains(where: { $0.value >= 65 && $0.value <= 90 }) { missing.append("an upper-case letter") }
        if requiresLowercase && !password.unicodeScalars.contains(where: { $0.value >= 97 && $0.value <= 122 }) { missing.append("a lower-case letter") }
        guard !missing.isEmpty else { return nil }
        return "The admin password does not satisfy the password policy: it needs " + missing.joined(separator: ", ") + "."
    }

    /// Nova's symbol groups: digits without 0/1, upper case without I/O, lower case without l.
    static let groups = ["23456789", "ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz"].map { Array($0.utf8) }
    /// The 57 symbols of every group, in group order.
    static let allSymbols = groups.flatMap { $0 }

    /// A password generated as Nova does: one symbol from each group, shuffled, then the rest
    /// from all 57 symbols, shuffled again; `length` 12 by default.
    /// - Complexity: O(length); the symbols are ASCII bytes, so no `Character` is built.
    public static func generate(length: Int = 12, using random: inout DeterministicRandom) -> String {
        let length = max(0, length)
        // The draws, in order: one index per group, a Fisher–Yates shuffle of those three, one
        // index into all 57 per further symbol, then a shuffle of the whole password. Built in
        // place (no array per step): 12 ASCII bytes make a small string, so nothing is allocated.
        let count = max(length, groups.count)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { symbols in
            for (index, group) in groups.enumerated() { symbols[index] = group[random.nextIndex(below: group.count)] }
            shuffle(symbols, count: groups.count, using: &random)
            for index in groups.count..<count { symbols[index] = allSymbols[random.nextIndex(below: allSymbols.count)] }
            shuffle(symbols, count: length, using: &random)
            return String(decoding: UnsafeBufferPointer(rebasing: symbols[0..<length]), as: UTF8.self)
        }
    }

    /// ``DeterministicRandom/shuffled(_:)``'s Fisher–Yates on the first `count` bytes, in place:
    /// the same draws and the same swaps.
    private static func shuffle(_ symbols: UnsafeMutableBufferPointer<UInt8>, count: Int, using random: inout DeterministicRandom) {
        var index = count
        while index > 1 {
            let other = random.nextIndex(below: index)
            index -= 1
            symbols.swapAt(index, other)
        }
    }
}
