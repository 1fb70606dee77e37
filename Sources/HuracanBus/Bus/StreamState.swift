import DequeModule

/// The contents of one in-process stream; guarded by its stream's mutex.
struct StreamState {
    struct Entry {
        let id: UInt64
        let message: BusMessage
        /// Groups that still need this entry delivered and acknowledged.
        var outstanding: Int
    }

    struct Pending {
        /// Index into the group's `consumerNames`.
        var consumer: Int32
        var deliveryCount: Int32
        var deliveredAt: Int64
    }

    struct Group {
        /// Highest entry id delivered to (or skipped by) this group; it reads ids above it.
        var cursor: UInt64
        var pending: [UInt64: Pending] = [:]
        /// Every consumer name seen (pending entries refer to them by index).
        var consumerNames: [String] = []
        /// Registered consumers (removed ones keep their index in `consumerNames`).
        var consumers: Set<String> = []
        var stats = StreamStats.Group()

        /// The index of `name` in `consumerNames`, adding it when new.
        mutating func consumerIndex(_ name: String) -> Int32 {
            if let i = consumerNames.lastIndex(of: name) { return Int32(i) }
            consumerNames.append(name)
            return Int32(consumerNames.count - 1)
        }
    }

    let lossless: Bool
    let capacity: Int
    /// Retained entries, ascending by id.
    var entries = Deque<Entry>()
    var groups: [String: Group] = [:]
    var hasGroups: Bool { !groups.isEmpty }
    var counters = StreamStats()

    init(lossless: Bool, capacity: Int) {
        self.lossless = lossless
        self.capacity = capacity
    }

    /// Index of the first entry with an id above `id` (binary search).
    func firstIndex(after id: UInt64) -> Int {
        var low = 0, high = entries.count
        while low < high {
            let mid = (low + high) / 2
            if entries[mid].id <= id { low = mid + 1 } else { high = mid }
        }
        return low
    }

    func index(of id: UInt64) -> Int? {
        guard id > 0 else { return nil }
        let i = firstIndex(after: id - 1)
        return i < entries.count && entries[i].id == id ? i : nil
    }

    mutating func publish(_ message: BusMessage) -> PublishResult {
        var conflated = false
        if entries.count >= capacity {
            guard !lossless else {
                counters.backpressure += 1
                return .backpressure
            }
            let dropped = entries.removeFirst()
            counters.conflated += 1
            conflated = true
            for i in groups.values.indices {
                if dropped.id > groups.values[i].cursor {
                    // Never read by this group: lost to it; move its cursor past the gap.
                    groups.values[i].stats.conflatedUnread += 1
                    groups.values[i].cursor = dropped.id
                } else {
                    groups.values[i].pending.removeValue(forKey: dropped.id)
                }
            }
        }
        counters.lastID += 1
        counters.published += 1
        entries.append(Entry(id: counters.lastID, message: message, outstanding: groups.count))
        return conflated ? .conflated(id: counters.lastID) : .published(id: counters.lastID)
    }

    mutating func createGroup(_ name: String, fromStart: Bool) -> Bool {
        guard groups[name] == nil else { return false }
        groups[name] = Group(cursor: fromStart ? 0 : counters.lastID)
        if fromStart {
            for i in entries.indices { entries[i].outstanding += 1 }
        }
        // Entries kept only because no group existed yet, and not wanted by this one, go now.
        entries.removeAll { $0.outstanding == 0 }
        return true
    }

    mutating func read(group name: String, consumer: String, max: Int, limit: Int, now: Int64, stream: String) throws(BusError) -> [Delivery] {
        guard let g = groups.index(forKey: name) else { throw .noSuchGroup(stream: stream, group: name) }
        try Self.register(consumer, in: &groups.values[g], limit: limit, stream: stream, groupName: name)
        let who = groups.values[g].consumerIndex(consumer)
        let start = firstIndex(after: groups.values[g].cursor)
        let end = Swift.min(entries.count, start + Swift.max(0, max))
        guard start < end else { return [] }
        var out: [Delivery] = []
        out.reserveCapacity(end - start)
        groups.values[g].pending.reserveCapacity(groups.values[g].pending.count + end - start)
        for i in start..<end {
            let entry = entries[i]
            groups.values[g].pending[entry.id] = Pending(consumer: who, deliveryCount: 1, deliveredAt: now)
            out.append(Delivery(id: entry.id, message: entry.message, deliveryCount: 1))
        }
        groups.values[g].cursor = entries[end - 1].id
        groups.values[g].stats.delivered += out.count
        return out
    }

    mutating func ack(group name: String, ids: [UInt64], stream: String) throws(BusError) -> Int {
        guard let g = groups.index(forKey: name) else { throw .noSuchGroup(stream: stream, group: name) }
        var count = 0
        var freed = false
        for id in ids where groups.values[g].pending.removeValue(forKey: id) != nil {
            count += 1
            if let i = index(of: id) {
                entries[i].outstanding -= 1
                if entries[i].outstanding <= 0 { freed = true }
            }
        }
        groups.values[g].stats.acknowledged += count
        if freed {
            // Usually the acknowledged entries are the oldest: drop them from the front.
            while let first = entries.first, first.outstanding <= 0 { entries.removeFirst() }
            if entries.contains(where: { $0.outstanding <= 0 }) { entries.removeAll { $0.outstanding <= 0 } }
        }
        return count
    }

    mutating func claim(
        group name: String, consumer: String, minIdle: Int64, now: Int64, max: Int, limit: Int, stream: String
    ) throws(BusError) -> [Delivery] {
        guard let g = groups.index(forKey: name) else { throw .noSuchGroup(stream: stream, group: name) }
        try Self.register(consumer, in: &groups.values[g], limit: limit, stream: stream, groupName: name)
        let who = groups.values[g].consumerIndex(consumer)
        let idle = groups.values[g].pending.filter { now - $0.value.deliveredAt >= minIdle }.keys.sorted().prefix(Swift.max(0, max))
        var out: [Delivery] = []
        for id in idle {
            guard let i = index(of: id), var pending = groups.values[g].pending[id] else { continue }
            pending.consumer = who
            pending.deliveryCount += 1
            pending.deliveredAt = now
            groups.values[g].pending[id] = pending
            out.append(Delivery(id: id, message: entries[i].message, deliveryCount: Int(pending.deliveryCount)))
        }
        groups.values[g].stats.claimed += out.count
        return out
    }

    mutating func removeConsumer(group name: String, consumer: String, stream: String) throws(BusError) -> Int {
        guard groups[name] != nil else { throw .noSuchGroup(stream: stream, group: name) }
        groups[name]!.consumers.remove(consumer)
        guard let who = groups[name]!.consumerNames.lastIndex(of: consumer) else { return 0 }
        return groups[name]!.pending.values.count { $0.consumer == Int32(who) }
    }

    func stats() -> StreamStats {
        var stats = counters
        stats.length = entries.count
        for (name, group) in groups {
            var g = group.stats
            g.pending = group.pending.count
            g.lag = entries.count - firstIndex(after: group.cursor)
            g.consumers = group.consumers.count
            stats.groups[name] = g
        }
        return stats
    }

    private static func register(_ consumer: String, in group: inout Group, limit: Int, stream: String, groupName: String) throws(BusError) {
        guard !group.consumers.contains(consumer) else { return }
        guard group.consumers.count < limit else {
            throw .tooManyConsumers(stream: stream, group: groupName, consumer: consumer, limit: limit)
        }
        group.consumers.insert(consumer)
    }
}
