import Foundation
import TestSupport
import Testing

@testable import ComputeSim

struct LinearRegexTests {
    /// Expected results are Python's `re.search` (what Nova's SQLite backend runs), recorded
    /// with python3 on the same patterns and subjects.
    @Test(
        "patterns in the supported subset match exactly where Python's re.search does",
        arguments: [
            ("bob", "mybobby", true),
            ("^bob", "mybob", false),
            ("^bob$", "bob", true),
            ("bob$", "bob\n", true),
            ("b.b", "b\nb", false),
            ("b.b", "bxb", true),
            ("web-[0-9]+", "web-12", true),
            ("web-[0-9]+", "web-x", false),
            ("[^a-z]", "abc", false),
            ("[^a-z]", "abC", true),
            ("a|b|c", "zzc", true),
            ("(ab)+$", "abab", true),
            ("(ab)+$", "aba", false),
            ("a{2}", "a", false),
            ("a{2}", "xaay", true),
            ("a{2,}", "aaa", true),
            ("a{,2}b", "b", true),
            ("a{1,2}b$", "aaab", true),
            ("^a{1,2}b$", "aaab", false),
            ("x{", "x{", true),
            ("x{a}", "x{a}", true),
            ("x{1", "x{1", true),
            ("a{,}b", "b", true),
            ("x{}", "x{}", true),
            ("\\d\\d", "a12", true),
            ("\\D", "123", false),
            ("\\w+@\\w+", "me@host", true),
            ("\\s", "nospace", false),
            ("\\s", "a b", true),
            ("\\.", "a.b", true),
            ("\\.", "ab", false),
            ("[.]", "ab", false),
            ("[a\\-z]", "-", true),
            ("[a-]", "-", true),
            ("[]a]", "]", true),
            ("(?:ab|cd)e", "xcde", true),
            ("colou?r", "color", true),
            ("colou?r", "colour", true),
            ("a*?b", "aab", true),
            ("(a|)+b", "b", true),
            ("(a*)*$", "b", true),
            ("()", "x", true),
            ("^$", "", true),
            ("$", "abc", true),
            ("^", "", true),
            ("é", "café", true),
            ("[à-ÿ]", "naïve", true),
            ("\\t", "a\tb", true),
            ("a+", "", false),
            // ICU (NSRegularExpression) says no here; Python and this engine say yes.
            ("^[ab]{2}[^a]*?(a|)*?c+", "bbbccbc", true),
        ])
    func matchesLikePython(pattern: String, subject: String, expected: Bool) throws {
        let regex = try #require(LinearRegex(pattern))
        #expect(regex.matches(subject) == expected)
    }

    @Test(
        "patterns outside the subset or invalid are refused",
        arguments: [
            "(a", "a)", "*a", "+", "a**", "a*+", "[a", "a{3,2}", "a{1001}", "\\1", "(?=a)", "(?!a)", "(?<=a)b", "(?P<n>a)", "(?i)a",
            "\\b", "\\", "^*", "[z-a]", "(a{1000}){1000}",
        ])
    func refusals(pattern: String) {
        #expect(LinearRegex(pattern) == nil)
    }

    @Test("ip filters match at the start only, like Python's re.match")
    func anchoredMatching() throws {
        let regex = try #require(LinearRegex("10\\.0\\.0\\.1"))
        #expect(regex.matches("10.0.0.12", anchored: true))
        #expect(!(try #require(LinearRegex("0\\.1"))).matches("10.0.0.1", anchored: true))
        #expect((try #require(LinearRegex("0\\.1"))).matches("10.0.0.1"))
    }

    @Test("random patterns over a small alphabet agree with NSRegularExpression on random subjects", .tags(.seedSweep))
    func agreesWithFoundation() throws {
        let atoms = ["a", "b", ".", "[ab]", "[^a]", "(a|b)", "(ab)", "(b?a)", "c"]
        let quantifiers = ["", "", "*", "+", "?", "{2}", "{1,3}", "{0,}", "*?"]
        for seed in SeedSweep.seeds(300) {
            var random = DeterministicRandom(seed: seed)
            var pattern = random.nextIndex(below: 4) == 0 ? "^" : ""
            for _ in 0...random.nextIndex(below: 5) {
                pattern += atoms[random.nextIndex(below: atoms.count)] + quantifiers[random.nextIndex(below: quantifiers.count)]
                if random.nextIndex(below: 8) == 0 { pattern += "|" }
            }
            if random.nextIndex(below: 4) == 0 { pattern += "$" }
            let reference = try NSRegularExpression(pattern: pattern)
            let regex = try #require(LinearRegex(pattern), "\(pattern)")
            for _ in 0..<20 {
                let subject = String((0..<random.nextIndex(below: 9)).map { _ in Array("abc")[random.nextIndex(below: 3)] })
                let expected = reference.firstMatch(in: subject, range: NSRange(subject.startIndex..., in: subject)) != nil
                #expect(regex.matches(subject) == expected, "seed \(seed): /\(pattern)/ on \"\(subject)\"")
            }
        }
    }

    @Test("the catastrophic pattern (a+)+$ on 5000 a's and a '!' answers: no backtracking")
    func catastrophicPatternsAreLinear() throws {
        let regex = try #require(LinearRegex("(a+)+$"))
        #expect(!regex.matches(String(repeating: "a", count: 5_000) + "!"))
        #expect(regex.matches(String(repeating: "a", count: 5_000)))
        let nested = try #require(LinearRegex("(a*)*(b|a?){20}a{20}$"))
        #expect(!nested.matches(String(repeating: "a", count: 2_000) + "!"))
    }
}
