/// Values keyed by a cloud record number, in an array indexed by it: the runner's per-server
/// tables (owner, script position, place in its workload's list) are read and written on
/// every create, action and delete, and record numbers are dense (archiving reuses them), so
/// no key is hashed. Reads of a number never written answer nil.
struct RecordMap<Value: Sendable>: Sendable {
    private var slots: [Value?] = []

    /// The value for record `number`, nil when none; setting nil removes it.
    /// - Complexity: O(1); amortised O(1) when a write extends the table.
    subscript(number: Int32) -> Value? {
        get { number >= 0 && Int(number) < slots.count ? slots[Int(number)] : nil }
        set {
            guard number >= 0 else { return }
            let index = Int(number)
            if index >= slots.count {
                guard newValue != nil else { return }
                slots.append(contentsOf: repeatElement(nil, count: index + 1 - slots.count))
            }
            slots[index] = newValue
        }
    }

    /// Removes and returns the value for record `number`.
    @discardableResult
    mutating func removeValue(forKey number: Int32) -> Value? {
        let value = self[number]
        if value != nil { self[number] = nil }
        return value
    }
}
