import HuracanCore
import HuracanVenues
import Logging
import Synchronization

/// Sends the engine's orders to a real venue and brings the venue's reports back to the coin
/// that sent them.
///
/// Shards call `submit` and `takeReports` from their threads; neither blocks. Sending happens on
/// the router's tasks: `beforeSend` (the order journal's intent) completes before the order
/// leaves, each order in its own task so a slow venue reply never holds the others back.
/// `LiveVenue` sends each client order id at most once and resolves timeouts by query.
/// Reports pass `onReport` (the journal) before the shard sees them.
public final class LiveOrderRouter: Sendable {
    public let venue: LiveVenue
    let beforeSend: @Sendable (OrderRequest, _ tradeID: UInt64?) async throws -> Void
    let onReport: @Sendable (VenueReport) async -> Void
    let logger: Logger
    private let requests: AsyncStream<(OrderRequest, UInt64?)>
    private let requestSink: AsyncStream<(OrderRequest, UInt64?)>.Continuation
    private let state: Locked<State>
    /// Reports in the inbox; changed under the lock, read without it as a fast "nothing to take".
    private let waiting = Atomic<Int>(0)

    struct State {
        var coinOf: [String: CoinIndex] = [:]
        var inbox: [[VenueReport]]
        var sent = 0
        var refused = 0
    }

    /// - Parameters:
    ///   - coinCount: size of the engine's universe (coin indexes are below it).
    public init(venue: LiveVenue, coinCount: Int, logger: Logger,
                beforeSend: @escaping @Sendable (OrderRequest, _ tradeID: UInt64?) async throws -> Void = { _, _ in },
                onReport: @escaping @Sendable (VenueReport) async -> Void = { _ in }) {
        self.venue = venue
        self.beforeSend = beforeSend
        self.onReport = onReport
        self.logger = logger
        (requests, requestSink) = AsyncStream.makeStream(of: (OrderRequest, UInt64?).self, bufferingPolicy: .unbounded)
        state = Locked(State(inbox: Array(repeating: [], count: coinCount)))
    }

    /// Queues an order for the venue (shard thread; never blocks, never drops). Reports come back
    /// to `coin`; with nil (orders outside the engine's trades, such as closing positions left
    /// by an earlier run) they are only journaled.
    public func submit(_ request: OrderRequest, coin: CoinIndex?, tradeID: UInt64? = nil) {
        if let coin { state.withLock { $0.coinOf[request.clientOrderID] = coin } }
        requestSink.yield((request, tradeID))
    }

    /// Moves the reports received for `coin` into `out` (shard thread).
    public func takeReports(coin: CoinIndex, into out: inout [VenueReport]) {
        guard waiting.load(ordering: .relaxed) > 0 else { return }
        let taken = state.withLock { state -> [VenueReport] in
            let reports = state.inbox[Int(coin)]
            if !reports.isEmpty {
                state.inbox[Int(coin)].removeAll(keepingCapacity: true)
                waiting.subtract(reports.count, ordering: .relaxed)
            }
            return reports
        }
        out.append(contentsOf: taken)
    }

    /// Orders handed to the venue and orders refused before sending (journal unavailable).
    public var counts: (sent: Int, refused: Int) { state.withLock { ($0.sent, $0.refused) } }

    /// Sends queued orders and routes reports until cancelled. After `finish`, orders already
    /// queued are still sent (never cut off mid-request) and reports keep being journaled and
    /// routed until the task is cancelled, so a shutdown can wait for orders in flight.
    public func run() async {
        let reports = venue.reports()
        await withDiscardingTaskGroup { group in
            group.addTask {
                for await report in reports { await self.route(report) }
            }
            await withDiscardingTaskGroup { sends in
                for await (request, tradeID) in requests {
                    sends.addTask { await self.send(request, tradeID: tradeID) }
                }
            }
            sendsDone.store(true, ordering: .relaxed)
        }
    }

    /// Stops taking orders; the queued ones are still sent.
    public func finish() { requestSink.finish() }

    /// Every order handed over has been sent (or refused) after `finish`.
    public var allSent: Bool { sendsDone.load(ordering: .relaxed) }
    private let sendsDone = Atomic<Bool>(false)

    private func send(_ request: OrderRequest, tradeID: UInt64?) async {
        do {
            try await beforeSend(request, tradeID)
        } catch {
            // Never send an order whose intent is not on record: a crash could not be reconciled.
            logger.error("order \(request.clientOrderID) not sent: its intent could not be journaled: \(error)")
            state.withLock { $0.refused += 1 }
            await route(.rejected(clientOrderID: request.clientOrderID, reason: "order journal unavailable: \(error)", time: WallClock.now()))
            return
        }
        state.withLock { $0.sent += 1 }
        do {
            try await venue.placeOrder(request)
        } catch {
            logger.error("order \(request.clientOrderID) refused before reaching \(venue.venue): \(error)")
            await route(.rejected(clientOrderID: request.clientOrderID, reason: "\(error)", time: WallClock.now()))
        }
    }

    private func route(_ report: VenueReport) async {
        await onReport(report)
        state.withLock { state in
            let id: String
            switch report {
            case .accepted(let clientOrderID, _, _), .rejected(let clientOrderID, _, _), .cancelled(let clientOrderID, _), .expired(let clientOrderID, _):
                id = clientOrderID
            case .fill(let fill):
                id = fill.clientOrderID
            case .funding:
                return
            }
            // Orders of an earlier run (reconciled at start) have no coin here: journaled only.
            guard let coin = state.coinOf[id] else { return }
            state.inbox[Int(coin)].append(report)
            waiting.add(1, ordering: .relaxed)
        }
    }
}
