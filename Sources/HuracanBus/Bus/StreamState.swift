/// The contents of one in-process stream; guarded by its stream's mutex.
struct StreamState {
    struct Entry {
        let id: UInt64
        let message: BusMessage
        /// Groups that still need this entry delivered and acknowledged.
        var outstanding: Int
    }

    struct Pending {
        var consumer: String
        var deliveryCount: Int
        var deliveredAt: Int64
    }

    struct Group {
        /// Highest entry id delivered to (or skipped by) this group; it reads ids above it.
        var cursor: UInt64
        var pending: [UInt64: Pending] = [:]
        var consumers: Set<String> = []
        var stats = StreamStats.Group()
    }

    let lossless: Bool
    let capacity: Int
    /// Retained entries, ascending by id.
    var entries: [Entry] = []
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
            for name in groups.keys {
                if dropped.id > groups[name]!.cursor {
                    // Never read by this group: lost to it; move its cursor past the gap.
                    groups[name]!.stats.conflatedUnread += 1
                    groups[name]!.cursor = dropped.id
                } else {
                    groups[name]!.pending.removeValue(forKey: dropped.id)
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
        guard var group = groups[name] else { throw .noSuchGroup(stream: stream, group: name) }
        try register(consumer, in: &group, limit: limit, stream: stream, groupName: name)
        let start = firstIndex(after: group.cursor)
        let end = Swift.min(entries.count, start + Swift.max(0, max))
        var out: [Delivery] = []
        out.reserveCapacity(end - start)
        for entry in entries[start..<end] {
            group.pending[entry.id] = Pending(consumer: consumer, deliveryCount: 1, deliveredAt: now)
            group.cursor = entry.id
            out.append(Delivery(id: entry.id, message: entry.message, deliveryCount: 1))
        }
        group.stats.delivered += out.count
        groups[name] = group
        return out
    }

    mutating func ack(group name: String, ids: [UInt64], stream: String) throws(BusError) -> Int {
        guard groups[name] != nil else { throw .noSuchGroup(stream: stream, group: name) }
        var count = 0
        var freed = false
        for id in ids where groups[name]!.pending.removeValue(forKey: id) != nil {
            count += 1
            if let i = index(of: id) {
                entries[i].outstanding -= 1
                if entries[i].outstanding <= 0 { freed = true }
            }
        }
        groups[name]!.stats.acknowledged += count
        if freed { entries.removeAll { $0.outstanding <= 0 } }
        return count
    }

    mutating func claim(
        group name: String, consumer: String, minIdle: Int64, now: Int64, max: Int, limit: Int, stream: String
    ) throws(BusError) -> [Delivery] {
        guard var group = groups[name] else { throw .noSuchGroup(stream: stream, group: name) }
        try register(consumer, in: &group, limit: limit, stream: stream, groupName: name)
        let idle = group.pending.filter { now - $0.value.deliveredAt >= minIdle }.keys.sorted().prefix(Swift.max(0, max))
        var out: [Delivery] = []
        for id in idle {
            guard let i = index(of: id), var pending = group.pending[id] else { continue }
            pending.consumer = consumer
            pending.deliveryCount += 1
            pending.deliveredAt = now
            group.pending[id] = pending
            out.append(Delivery(id: id, message: entries[i].message, deliveryCount: pending.deliveryCount))
        }
        group.stats.claimed += out.count
        groups[name] = group
        return out
    }

    mutating func removeConsumer(group name: String, consumer: String, stream: String) throws(BusError) -> Int {
        guard groups[name] != nil else { throw .noSuchGroup(stream: stream, group: name) }
        groups[name]!.consumers.remove(consumer)
        return groups[name]!.pending.values.count { $0.consumer == consumer }
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

    private func register(_ consumer: String, in group: inout Group, limit: Int, stream: String, groupName: String) throws(BusError) {
        guard !group.consumers.contains(consumer) else { return }
        guard group.consumers.count < limit else {
            throw .tooManyConsumers(stream: stream, group: groupName, consumer: consumer, limit: limit)
        }
        group.consumers.insert(consumer)
    }
}
