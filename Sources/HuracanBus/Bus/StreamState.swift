import DequeModule

/// The contents of one in-process stream; guarded by its stream's mutex.
struct StreamState {
    struct Entry {
        let id: UInt64
        let message: BusMessage
    }

    struct Pending {
        let id: UInt64
        /// Index into the group's `consumerNames`.
        var consumer: Int32
        var deliveryCount: Int32
        var deliveredAt: Int64
    }

    struct Group {
        /// Highest entry id delivered to (or skipped by) this group; it reads ids above it.
        var cursor: UInt64
        /// Delivered, not yet acknowledged entries, ascending by id (deliveries come in id
        /// order and acknowledgements mostly do too, so both ends are O(1)).
        var pending = PendingList()
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
    /// Per retained entry (same positions as `entries`): groups that still need it delivered and
    /// acknowledged. Kept apart so that acknowledging touches a counter, not a whole message.
    var outstanding = Deque<Int32>()
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
            outstanding.removeFirst()
            counters.conflated += 1
            conflated = true
            for i in groups.values.indices {
                if dropped.id > groups.values[i].cursor {
                    // Never read by this group: lost to it; move its cursor past the gap.
                    groups.values[i].stats.conflatedUnread += 1
                    groups.values[i].cursor = dropped.id
                } else {
                    groups.values[i].pending.remove(dropped.id)
                }
            }
        }
        counters.lastID += 1
        counters.published += 1
        entries.append(Entry(id: counters.lastID, message: message))
        outstanding.append(Int32(groups.count))
        return conflated ? .conflated(id: counters.lastID) : .published(id: counters.lastID)
    }

    /// Drops every entry no group still needs.
    private mutating func removeFinished() {
        var keptEntries = Deque<Entry>()
        var keptOutstanding = Deque<Int32>()
        for i in entries.indices where outstanding[i] > 0 {
            keptEntries.append(entries[i])
            keptOutstanding.append(outstanding[i])
        }
        entries = keptEntries
        outstanding = keptOutstanding
    }

    mutating func createGroup(_ name: String, fromStart: Bool) -> Bool {
        guard groups[name] == nil else { return false }
        groups[name] = Group(cursor: fromStart ? 0 : counters.lastID)
        if fromStart {
            for i in outstanding.indices { outstanding[i] += 1 }
        }
        // Entries kept only because no group existed yet, and not wanted by this one, go now.
        removeFinished()
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
        for i in start..<end {
            let entry = entries[i]
            groups.values[g].pending.append(Pending(id: entry.id, consumer: who, deliveryCount: 1, deliveredAt: now))
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
        for id in ids where groups.values[g].pending.remove(id) {
            count += 1
            if let i = index(of: id) {
                outstanding[i] -= 1
                if outstanding[i] <= 0 { freed = true }
            }
        }
        groups.values[g].stats.acknowledged += count
        if freed {
            // Usually the acknowledged entries are the oldest: drop them from the front.
            while let first = outstanding.first, first <= 0 {
                outstanding.removeFirst()
                entries.removeFirst()
            }
            if outstanding.contains(where: { $0 <= 0 }) { removeFinished() }
        }
        return count
    }

    mutating func claim(
        group name: String, consumer: String, minIdle: Int64, now: Int64, max: Int, limit: Int, stream: String
    ) throws(BusError) -> [Delivery] {
        guard let g = groups.index(forKey: name) else { throw .noSuchGroup(stream: stream, group: name) }
        try Self.register(consumer, in: &groups.values[g], limit: limit, stream: stream, groupName: name)
        let who = groups.values[g].consumerIndex(consumer)
        var out: [Delivery] = []
        for p in groups.values[g].pending.items.indices where out.count < max {
            let pending = groups.values[g].pending.items[p]
            guard now - pending.deliveredAt >= minIdle, let i = index(of: pending.id) else { continue }
            groups.values[g].pending.items[p].consumer = who
            groups.values[g].pending.items[p].deliveryCount += 1
            groups.values[g].pending.items[p].deliveredAt = now
            out.append(Delivery(id: pending.id, message: entries[i].message, deliveryCount: Int(pending.deliveryCount) + 1))
        }
        groups.values[g].stats.claimed += out.count
        return out
    }

    mutating func removeConsumer(group name: String, consumer: String, stream: String) throws(BusError) -> Int {
        guard groups[name] != nil else { throw .noSuchGroup(stream: stream, group: name) }
        groups[name]!.consumers.remove(consumer)
        guard let who = groups[name]!.consumerNames.lastIndex(of: consumer) else { return 0 }
        return groups[name]!.pending.items.count { $0.consumer == Int32(who) }
    }

    func stats() -> StreamStats {
        var stats = counters
        stats.length = entries.count
        for (name, group) in groups {
            var g = group.stats
            g.pending = group.pending.items.count
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

/// A consumer group's pending entries, ascending by id.
struct PendingList {
    var items = Deque<StreamState.Pending>()

    /// Adds an entry delivered for the first time (ids only grow).
    mutating func append(_ pending: StreamState.Pending) { items.append(pending) }

    /// Removes the entry with `id`; false when it was not pending.
    mutating func remove(_ id: UInt64) -> Bool {
        if let first = items.first, first.id == id {
            items.removeFirst()
            return true
        }
        var low = 0, high = items.count
        while low < high {
            let mid = (low + high) / 2
            if items[mid].id < id { low = mid + 1 } else { high = mid }
        }
        guard low < items.count, items[low].id == id else { return false }
        items.remove(at: low)
        return true
    }
}
