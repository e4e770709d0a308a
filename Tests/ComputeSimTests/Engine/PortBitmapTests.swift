import Testing

@testable import ComputeSim

struct PortBitmapTests {
    @Test("numbers are handed out lowest-first from the start of the usable range, a freed number is reused first, and a full range has none")
    func lowestFirst() {
        var bitmap = PortBitmap(usable: 2...130)
        var taken: [Int] = []
        while let number = bitmap.lowestFree() {
            bitmap.insert(number)
            taken.append(number)
        }
        #expect(taken == Array(2...130))
        #expect(bitmap.count == 129)
        bitmap.remove(70)
        bitmap.remove(3)
        #expect(bitmap.lowestFree() == 3)
        bitmap.insert(3)
        #expect(bitmap.lowestFree() == 70)
        #expect(!bitmap.contains(70) && bitmap.contains(71) && bitmap.count == 128)
    }

    @Test("numbers outside the usable range are never held: inserting, removing or asking for them changes nothing")
    func outsideTheRange() {
        var bitmap = PortBitmap(usable: 2...254)
        for number in [-1, 0, 1, 255, 1_000_000] {
            bitmap.insert(number)
            #expect(!bitmap.contains(number))
            bitmap.remove(number)
        }
        #expect(bitmap.count == 0 && bitmap.lowestFree() == 2)
        bitmap.insert(2)
        bitmap.insert(2)
        #expect(bitmap.count == 1 && bitmap.lowestFree() == 3)
    }

    @Test("random inserts and removes agree with a set searched number by number", arguments: [UInt64(1), 2, 3])
    func agreesWithASet(seed: UInt64) {
        var random = DeterministicRandom(seed: seed, stream: "ports")
        let usable = 2...(2 + Int(random.next(below: 300)))
        var bitmap = PortBitmap(usable: usable)
        var reference: Set<Int> = []
        for _ in 0..<5_000 {
            let number = Int(random.next(below: UInt64(usable.upperBound + 70)))
            switch random.next(below: 3) {
            case 0:
                bitmap.insert(number)
                if usable.contains(number) { reference.insert(number) }
            case 1:
                bitmap.remove(number)
                reference.remove(number)
            default:
                if let free = bitmap.lowestFree() { bitmap.insert(free) }
                if let free = usable.first(where: { !reference.contains($0) }) { reference.insert(free) }
            }
            #expect(bitmap.count == reference.count)
            #expect(bitmap.lowestFree() == usable.first(where: { !reference.contains($0) }))
        }
        #expect((0...usable.upperBound + 70).filter(bitmap.contains) == reference.sorted())
    }
}
