import SimulationKernel
import Testing

@testable import ComputeSim

/// Generated passwords and server ids are built in place; these pin them to the plain
/// definitions (arrays, shuffles, a digit table) draw for draw, so no seed's output moves.
@Suite("Generated passwords and ids")
struct GeneratedIdentifierTests {
    /// The password generator written plainly: one symbol per group, shuffled, the rest from
    /// all 57 symbols, shuffled again.
    static func plainPassword(length: Int, random: inout DeterministicRandom) -> String {
        var symbols = random.shuffled(PasswordPolicy.groups.map { $0[random.nextIndex(below: $0.count)] })
        symbols = Array(symbols.prefix(max(0, length)))
        while symbols.count < length { symbols.append(PasswordPolicy.allSymbols[random.nextIndex(below: PasswordPolicy.allSymbols.count)]) }
        return String(decoding: random.shuffled(symbols), as: UTF8.self)
    }

    @Test("a generated password equals the plain definition's and leaves the stream where it does", arguments: [0, 1, 2, 3, 4, 12, 40])
    func passwordMatchesPlainDefinition(length: Int) {
        for seed in UInt64(0)..<50 {
            var fast = DeterministicRandom(seed: seed, stream: "passwords")
            var plain = fast
            let password = PasswordPolicy.generate(length: length, using: &fast)
            #expect(password == Self.plainPassword(length: length, random: &plain))
            #expect(password.utf8.count == length)
            #expect(fast.next() == plain.next())
        }
    }

    @Test("a 12-character password has a digit, an upper-case and a lower-case letter from Nova's alphabet")
    func passwordSatisfiesPolicy() {
        var random = DeterministicRandom(seed: 7, stream: "passwords")
        for _ in 0..<200 {
            let password = PasswordPolicy.generate(using: &random)
            #expect(PasswordPolicy().violation(of: password) == nil)
            #expect(password.utf8.allSatisfy { PasswordPolicy.allSymbols.contains($0) })
        }
    }

    @Test("a reservation id is \"r-\" and its eight draws from Nova's alphabet, first draw first, as they were spelled at create")
    func reservationIDSpelling() {
        // Draws 1, 0, 10 (the alphabet's second "0"), 11, 36, 2, 3, 4.
        let draws: [UInt64] = [1, 0, 10, 11, 36, 2, 3, 4]
        let code = draws.enumerated().reduce(UInt64(0)) { $0 | $1.element << UInt64(6 * $1.offset) }
        #expect(ServerRecord.reservationID(code) == "r-100az234")
        #expect(ServerRecord.reservationID(0) == "r-00000000")
        // The plain spelling (an array of the drawn characters) agrees for a whole stream.
        var random = DeterministicRandom(seed: 11, stream: "ids")
        for _ in 0..<100 {
            var plain = Array("r-".utf8)
            var code: UInt64 = 0
            for position in 0..<8 {
                let draw = random.nextIndex(below: ServerRecord.reservationAlphabet.count)
                plain.append(ServerRecord.reservationAlphabet[draw])
                code |= UInt64(draw) << UInt64(6 * position)
            }
            #expect(ServerRecord.reservationID(code) == String(decoding: plain, as: UTF8.self))
        }
    }

    @Test("a server id is the two draws as a version-4 UUID in lower-case hex")
    func uuidLayout() {
        var random = DeterministicRandom(seed: 3, stream: "ids")
        var copy = random
        let id = ComputeCloud.uuid(&random)
        let high = copy.next(), low = (copy.next() & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000
        let versioned = (high & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_4000
        func hex(_ value: UInt64, _ digits: Int) -> String {
            let text = String(value, radix: 16)
            return String(repeating: "0", count: digits - text.count) + text
        }
        let expected = [
            hex(versioned >> 32, 8), hex((versioned >> 16) & 0xffff, 4), hex(versioned & 0xffff, 4), hex(low >> 48, 4), hex(low & 0xffff_ffff_ffff, 12),
        ]
        .joined(separator: "-")
        #expect(id == expected)
        #expect(id.utf8.count == 36)
        #expect(Array(id)[14] == "4")
        #expect(ComputeCloud.uuid(&random) != id)
    }
}
