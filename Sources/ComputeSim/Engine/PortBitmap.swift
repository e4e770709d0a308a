/// The host numbers of the default network that ports hold, as a bitmap (a /16 at most: 65,533
/// usable numbers, 8 KiB).
///
/// Finding the lowest free number skips a word of 64 taken numbers at a time and starts at the
/// first word that can have a free bit, where a set of numbers probed one by one from a hint
/// cost hundreds of hash lookups per port on a busy network.
struct PortBitmap: Hashable, Sendable {
    /// The numbers that can be handed out.
    let usable: ClosedRange<Int>
    private var words: [UInt64]
    /// How many numbers are held.
    private(set) var count = 0
    /// No word below this one has a free bit.
    private var firstFreeWord = 0

    /// An empty bitmap of `usable` numbers; the numbers below it are never handed out.
    init(usable: ClosedRange<Int>) {
        self.usable = usable
        let lowest = max(0, usable.lowerBound)
        words = Array(repeating: 0, count: lowest >> 6 + 1)
        for number in 0..<lowest { words[number >> 6] |= 1 << UInt64(number & 63) }
    }

    /// Whether `number` is held.
    /// - Complexity: O(1).
    func contains(_ number: Int) -> Bool {
        usable.contains(number) && number >> 6 < words.count && words[number >> 6] & (1 << UInt64(number & 63)) != 0
    }

    /// Holds `number`; a number outside ``usable`` or already held changes nothing.
    /// - Complexity: amortised O(1).
    mutating func insert(_ number: Int) {
        guard usable.contains(number), !contains(number) else { return }
        let word = number >> 6
        if word >= words.count { words.append(contentsOf: repeatElement(0, count: word - words.count + 1)) }
        words[word] |= 1 << UInt64(number & 63)
        count += 1
    }

    /// Frees `number`; a number that is not held changes nothing.
    /// - Complexity: O(1).
    mutating func remove(_ number: Int) {
        guard contains(number) else { return }
        let word = number >> 6
        words[word] &= ~(1 << UInt64(number & 63))
        count -= 1
        firstFreeWord = min(firstFreeWord, word)
    }

    /// The lowest usable number that is not held, or nil when all of them are.
    /// - Complexity: amortised O(1) when numbers are taken lowest-first (full words are passed
    ///   once, until a number in them is freed); O(usable / 64) at worst.
    mutating func lowestFree() -> Int? {
        while firstFreeWord < words.count, words[firstFreeWord] == ~0 { firstFreeWord += 1 }
        let number = firstFreeWord < words.count ? firstFreeWord << 6 + (~words[firstFreeWord]).trailingZeroBitCount : firstFreeWord << 6
        return number <= usable.upperBound ? number : nil
    }
}
