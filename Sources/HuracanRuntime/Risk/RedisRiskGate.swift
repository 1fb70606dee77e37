import Dispatch
import HuracanCore
import HuracanRedis
import NIOCore
import Synchronization

/// The risk ledger shared by engine processes, in Redis. Reservations run as one Lua script
/// (check and reserve atomically across processes); exposure changes after the entry are summed
/// here and sent in one script call per engine round (`flush`). Without Redis no entry opens:
/// `reserve` answers BLOCK `shared_ledger_unavailable`.
public final class RedisRiskGate: SharedRiskGate {
    public let client: RedisClient
    public let keys: Keys
    let universe: Universe
    /// How long an entry waits for the shared ledger before it is blocked.
    let timeout: Duration
    private let pending = Locked(Pending())
    private let flushing = Atomic<Bool>(false)
    private let sequence = Atomic<Int>(0)

    /// Redis keys of the shared ledger (under the stream prefix).
    public struct Keys: Sendable {
        public let ledger: String
        public let process: String
        public let reservationPrefix: String
        public init(prefix: String, processIndex: Int) {
            ledger = "\(prefix):risk:ledger"
            process = "\(prefix):risk:process:\(processIndex)"
            reservationPrefix = "\(prefix):risk:reservation:\(processIndex):"
        }
    }

    /// Exposure changes and releases not yet sent.
    struct Pending {
        var deltas: [String: Double] = [:]
        var trades = 0
        var releases: [String] = []
        var isEmpty: Bool { deltas.isEmpty && trades == 0 && releases.isEmpty }
    }

    public init(client: RedisClient, prefix: String, processIndex: Int, universe: Universe, timeout: Duration = .milliseconds(500)) {
        self.client = client
        self.keys = Keys(prefix: prefix, processIndex: processIndex)
        self.universe = universe
        self.timeout = timeout
    }

    /// Removes what an earlier run of this process left in the ledger (a process starts flat).
    @discardableResult
    public func retirePreviousRun() async throws(RedisError) -> Int {
        Int(try await RedisRiskScripts.retire.run(on: client, keys: [keys.ledger, keys.process], arguments: []).int ?? 0)
    }

    static func fields(_ coin: String, _ sector: Sector, _ venue: VenueID) -> (String, String, String) {
        ("coin:\(coin)", "sector:\(sector.rawValue)", "venue:\(venue.rawValue)")
    }

    public func reserve(_ request: TradeRequest, local: RiskCheck, limits: RiskLimits, equity: Double) -> RiskCheck {
        let (coinField, sectorField, venueField) = Self.fields(universe[request.coin].coin, request.sector, request.venue)
        let reservation = keys.reservationPrefix + String(sequence.wrappingAdd(1, ordering: .relaxed).oldValue) + "-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let arguments: [RESPArgument] = [
            .text(coinField), .text(sectorField), .text(venueField),
            .text(String(request.notional)), .text(String(local.approvedNotional)), .text(String(request.minimumNotional)), .text(String(equity)),
            .text(String(limits.perCoinMaxExposurePct)), .text(String(limits.perSectorMaxExposurePct)),
            .text(String(limits.perExchangeMaxExposurePct)), .text(String(limits.globalMaxExposurePct)),
            .text(String(limits.softThrottleThresholdPct)), .int(limits.maxActiveTrades), .int(limits.maxConcurrentTrades), .int(3_600),
        ]
        let answer = BlockingAnswer<Result<RESPValue, RedisError>>()
        let keyList = [keys.ledger, keys.process, reservation]
        let deliver: @Sendable (Result<RESPValue, RedisError>) -> Void = { result in
            if case .failure = result {
                // Sent or not, the reservation may have been made: undo it if so.
                self.queueRelease(reservation)
                _ = answer.deliver(result)
            } else if !answer.deliver(result) {
                self.queueRelease(reservation)
            }
        }
        if let connection = client.connectedConnection() {
            // The usual path: straight onto the connection's event loop, no task hop.
            connection.pipelineFuture([RedisRiskScripts.reserve.evalCommand(keys: keyList, arguments: arguments)]).whenComplete { result in
                switch result {
                case .success(let replies):
                    if case .error(let message) = replies[0] { deliver(.failure(.server(message))) } else { deliver(.success(replies[0])) }
                case .failure(let error):
                    deliver(.failure(error as? RedisError ?? .connectionLost("\(error)")))
                }
            }
        } else {
            let client = client
            Task {
                do {
                    deliver(.success(try await RedisRiskScripts.reserve.run(on: client, keys: keyList, arguments: arguments)))
                } catch let error as RedisError {
                    deliver(.failure(error))
                } catch {
                    deliver(.failure(.connectionLost("\(error)")))
                }
            }
        }
        let unavailable = RiskCheck(decision: .block, reason: .sharedLedgerUnavailable, approvedNotional: 0, exposurePct: 0, limitPct: 0)
        guard let result = answer.wait(timeout: timeout) else { return unavailable }
        guard case .success(let reply) = result, let shared = Self.check(reply) else { return unavailable }
        switch (local.decision, shared.decision) {
        case (_, .block), (_, .throttle):
            return shared
        default:
            // The shared ledger approved in full: the local answer (perhaps a throttle) stands.
            var final = local
            final.approvedNotional = shared.approvedNotional
            return final
        }
    }

    static func check(_ reply: RESPValue) -> RiskCheck? {
        guard let items = reply.array?.compactMap(\.string), items.count == 5,
              let decision = RiskDecision(rawValue: items[0]), let reason = RiskReason(rawValue: items[1]),
              let approved = Double(items[2]), let exposure = Double(items[3]), let limit = Double(items[4])
        else { return nil }
        return RiskCheck(decision: decision, reason: reason, approvedNotional: approved, exposurePct: exposure, limitPct: limit)
    }

    public func adjust(coin: CoinIndex, sector: Sector, venue: VenueID, by delta: Double) {
        let (coinField, sectorField, venueField) = Self.fields(universe[coin].coin, sector, venue)
        pending.withLock { p in
            for field in [coinField, sectorField, venueField, "global"] { p.deltas[field, default: 0] += delta }
        }
    }

    public func tradeEnded() { pending.withLock { $0.trades -= 1 } }

    private func queueRelease(_ reservation: String) { pending.withLock { $0.releases.append(reservation) } }

    /// Changes not yet in Redis (for health: a growing number means Redis is away).
    public var unsentChanges: Int { pending.withLock { $0.deltas.count + ($0.trades != 0 ? 1 : 0) + $0.releases.count } }

    /// Sends the summed exposure changes and pending releases in one pipelined write. On failure
    /// they are put back (added to whatever arrived meanwhile) and sent by a later flush.
    public func flush() async throws(RedisError) {
        guard !flushing.exchange(true, ordering: .acquiring) else { return }
        defer { flushing.store(false, ordering: .releasing) }
        let batch = pending.withLock { p in
            let taken = p
            p = Pending()
            return taken
        }
        guard !batch.isEmpty else { return }
        var commands: [[RESPArgument]] = []
        var arguments: [RESPArgument] = []
        for (field, delta) in batch.deltas.sorted(by: { $0.key < $1.key }) where delta != 0 {
            arguments += [.text(field), .text(String(delta))]
        }
        if batch.trades != 0 { arguments += ["trades", .int(batch.trades)] }
        if !arguments.isEmpty { commands.append(RedisRiskScripts.adjust.command(keys: [keys.ledger, keys.process], arguments: arguments)) }
        for reservation in batch.releases {
            commands.append(RedisRiskScripts.release.command(keys: [keys.ledger, keys.process, reservation], arguments: []))
        }
        do throws(RedisError) {
            let replies = try await client.pipeline(commands)
            if let failed = replies.first(where: { if case .error = $0 { true } else { false } }) { throw RedisError.server(failed.description) }
        } catch {
            pending.withLock { p in
                for (field, delta) in batch.deltas { p.deltas[field, default: 0] += delta }
                p.trades += batch.trades
                p.releases += batch.releases
            }
            throw error
        }
    }

    /// The shared ledger as Redis holds it.
    public func snapshot() async throws(RedisError) -> SharedRiskSnapshot {
        let reply = try await client.send(["HGETALL", .text(keys.ledger)])
        var snapshot = SharedRiskSnapshot()
        let items = reply.array ?? []
        var index = 0
        while index + 1 < items.count {
            if let name = items[index].string, let value = items[index + 1].string.flatMap(Double.init) {
                switch name {
                case "trades": snapshot.openTrades = Int(value)
                case "global": snapshot.global = value
                case "high_water_global_pct": snapshot.highWaterGlobalPct = value
                default: snapshot.scopes[name] = value
                }
            }
            index += 2
        }
        return snapshot
    }
}

/// The shared ledger's totals across all engine processes.
public struct SharedRiskSnapshot: Sendable, Hashable {
    /// `coin:BTC`, `sector:l1`, `venue:binance` exposure in USDT.
    public var scopes: [String: Double] = [:]
    public var global = 0.0
    public var openTrades = 0
    /// Highest global exposure (percent of equity) any reservation has left.
    public var highWaterGlobalPct = 0.0
    public init() {}
}

/// A value handed from an async task to a thread that waits for it with a timeout; a value
/// delivered after the waiter gave up is refused (`deliver` returns false).
final class BlockingAnswer<Value: Sendable>: Sendable {
    private let state = Locked<(value: Value?, abandoned: Bool)>((nil, false))
    private let semaphore = DispatchSemaphore(value: 0)

    func deliver(_ value: Value) -> Bool {
        let accepted = state.withLock { s in
            guard !s.abandoned else { return false }
            s.value = value
            return true
        }
        if accepted { semaphore.signal() }
        return accepted
    }

    func wait(timeout: Duration) -> Value? {
        let nanoseconds = Int(timeout.components.seconds) * 1_000_000_000 + Int(timeout.components.attoseconds / 1_000_000_000)
        if semaphore.wait(timeout: .now() + .nanoseconds(nanoseconds)) == .timedOut {
            let late = state.withLock { s -> Value? in
                if let value = s.value { return value }
                s.abandoned = true
                return nil
            }
            return late
        }
        return state.withLock { $0.value }
    }
}
