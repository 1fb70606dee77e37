import Foundation
import HuracanCore
import HuracanBus
import Synchronization
import Testing

@Suite("In-process bus under concurrency")
struct ConcurrencyTests {
    @Test func eightPublishersOneGroupEveryMessageExactlyOnce() throws {
        let bus = InProcessBus(capacityPerStream: 64, maxConsumersPerGroup: 10, clock: { 0 })
        let s = names.ordersGlobal
        bus.createGroup(stream: s, group: "risk")
        let publishers = 8, perPublisher = 2_000, total = publishers * perPublisher
        let backpressured = Atomic<Int>(0)
        let seen = Locked<(ids: Set<UInt64>, orders: Set<String>, duplicates: Int)>(([], [], 0))
        let done = DispatchGroup()

        for p in 0..<publishers {
            done.enter()
            Thread {
                for i in 0..<perPublisher {
                    let message = order(p * perPublisher + i)
                    while bus.publish(message, to: s) == .backpressure {
                        backpressured.add(1, ordering: .relaxed)
                        sched_yield()
                    }
                }
                done.leave()
            }.start()
        }
        for c in 0..<2 {
            done.enter()
            Thread {
                defer { done.leave() }
                // Readers start once the stream has filled up and refused a publish, so backpressure is always exercised.
                while backpressured.load(ordering: .relaxed) == 0 { sched_yield() }
                while seen.withLock({ $0.ids.count }) < total {
                    let batch: [Delivery]
                    do { batch = try bus.read(stream: s, group: "risk", consumer: "c\(c)", max: 16) } catch {
                        Issue.record("read failed: \(error)"); return
                    }
                    if batch.isEmpty { sched_yield(); continue }
                    seen.withLock { state in
                        for d in batch {
                            guard case .order(let o) = d.message else { continue }
                            if !state.ids.insert(d.id).inserted || !state.orders.insert(o.clientOrderID).inserted {
                                state.duplicates += 1
                            }
                        }
                    }
                    do { try bus.ack(stream: s, group: "risk", ids: batch.map(\.id)) } catch { Issue.record("ack failed: \(error)") }
                }
            }.start()
        }
        #expect(done.wait(timeout: .now() + 60) == .success, "timed out")
        let result = seen.withLock { $0 }
        #expect(result.duplicates == 0)
        #expect(result.ids == Set(1...UInt64(total)))
        #expect(result.orders.count == total)
        let stats = bus.stats(stream: s)
        #expect(stats.published == total && stats.length == 0 && stats.conflated == 0)
        #expect(stats.groups["risk"]?.delivered == total && stats.groups["risk"]?.acknowledged == total)
        #expect(stats.backpressure == backpressured.load(ordering: .relaxed))
        #expect(backpressured.load(ordering: .relaxed) > 0, "the test should exercise backpressure")
    }
}
