import Foundation
import HuracanCore
import HuracanExchanges
import Logging
import Synchronization

/// A normalised private-stream update.
public enum VenueAccountUpdate: Sendable {
    case order(VenueOrderUpdate)
    case execution(VenueExecution)
    case positions([VenuePosition])
    case balances([VenueBalance])
    /// The stream (re)connected and is authenticated: anything missed meanwhile must be read over REST.
    case connected
}

/// The account's private stream on one venue: Binance listen key (create, keep alive every
/// `keepAliveInterval`, `listenKeyExpired` -> new key and reconnect), OKX `login`, Bybit `auth`;
/// then orders, fills, positions and balances, normalised.
public final class VenueUserStream: Sendable {
    public struct Configuration: Sendable {
        /// Binance keeps a key 60 minutes without keepalive; every 30 minutes as nautilus does.
        public var keepAliveInterval: Duration = .seconds(30 * 60)
        public var connection = VenueStreamConnection.Configuration()
        public init() {}
    }

    public let venue: VenueID
    let api: VenueAPI
    let credentials: VenueCredentials
    let configuration: Configuration
    let sink: @Sendable (VenueAccountUpdate) -> Void
    let logger: Logger
    let connectionStorage = Locked<VenueStreamConnection?>(nil)
    let listenKey = Locked<String?>(nil)
    public let authenticated = Atomic<Bool>(false)

    public init(api: VenueAPI, credentials: VenueCredentials, configuration: Configuration = .init(), logger: Logger,
                sink: @escaping @Sendable (VenueAccountUpdate) -> Void) {
        self.venue = api.venue
        self.api = api
        self.credentials = credentials
        self.sink = sink
        self.logger = logger
        var config = configuration
        config.connection = config.connection.withHeartbeat(of: api.venue, quiet: true)
        self.configuration = config
        let base = api.client.endpoints.privateWebSocket
        let venue = api.venue
        let connection = VenueStreamConnection(
            name: "\(venue) user stream", configuration: config.connection, logger: logger,
            url: { [weak self] in
                guard let self, venue == .binance else { return base }
                let key = try await self.api.createListenKey()
                self.listenKey.withLock { $0 = key }
                return base + "/" + key
            },
            onOpen: { [weak self] connection in try await self?.opened(connection) },
            onMessage: { [weak self] bytes in self?.receive(bytes) },
            onDisconnect: { [weak self] in self?.authenticated.store(false, ordering: .relaxed) })
        connectionStorage.withLock { $0 = connection }
    }

    public var connection: VenueStreamConnection { connectionStorage.withLock { $0! } }

    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.connection.run() }
            if venue == .binance {
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: self.configuration.keepAliveInterval)
                        if Task.isCancelled { break }
                        do { try await self.api.keepAliveListenKey() } catch {
                            self.logger.warning("binance listen key keepalive failed, reconnecting with a new key: \(error)")
                            self.connection.reconnect()
                        }
                    }
                }
            }
            await group.next()
            group.cancelAll()
        }
    }

    private func opened(_ connection: VenueStreamConnection) async throws {
        switch venue {
        case .binance:
            authenticated.store(true, ordering: .relaxed)
            logger.info("binance user data stream connected")
            sink(.connected)
        case .okx:
            let now = WallClock.now()
            let time = api.client.serverTimeOffset.serverTime(atLocal: now)
            try await connection.send(OKXSigner(credentials: credentials).loginMessage(time: time))
        case .bybit:
            let expires = api.client.serverTimeOffset.serverTime(atLocal: WallClock.now()).milliseconds + 10_000
            try await connection.send(BybitSigner(credentials: credentials).authMessage(expires: expires))
        }
    }

    private func receive(_ bytes: [UInt8]) {
        do {
            switch venue {
            case .binance:
                switch try BinanceParsers.userEvent(bytes, directory: api.directory) {
                case .order(let update): sink(.order(update))
                case .tradeLite: break  // the ORDER_TRADE_UPDATE carries the same fill with its fee
                case .account(_, let balances, let positions):
                    if !balances.isEmpty { sink(.balances(balances)) }
                    if !positions.isEmpty { sink(.positions(positions)) }
                case .listenKeyExpired:
                    logger.notice("binance listen key expired: new key and reconnect")
                    connection.reconnect()
                default: break
                }
            case .okx:
                switch try OKXParsers.message(bytes, directory: api.directory) {
                case .event(let name, let code, let message):
                    if name == "login", code == "0" {
                        authenticated.store(true, ordering: .relaxed)
                        let subscribe = "{\"op\":\"subscribe\",\"args\":[{\"channel\":\"orders\",\"instType\":\"SWAP\"},{\"channel\":\"positions\",\"instType\":\"SWAP\"},{\"channel\":\"account\"}]}"
                        let connection = connection
                        Task { try? await connection.send(subscribe) }
                        sink(.connected)
                    } else if name == "error" {
                        logger.error("okx private stream error \(code): \(message)")
                    }
                case .orders(let updates): for u in updates { sink(.order(u)) }
                case .positions(let p): sink(.positions(p))
                case .balances(let b): sink(.balances(b))
                default: break
                }
            case .bybit:
                switch try BybitParsers.privateMessage(bytes, directory: api.directory) {
                case .auth(let success, _, let message):
                    guard success else {
                        logger.error("bybit private stream auth refused: \(message)")
                        return
                    }
                    authenticated.store(true, ordering: .relaxed)
                    let connection = connection
                    Task { try? await connection.send("{\"op\":\"subscribe\",\"args\":[\"order\",\"execution\",\"position\",\"wallet\"]}") }
                    sink(.connected)
                case .orders(let updates): for u in updates { sink(.order(u)) }
                case .executions(let executions): for e in executions { sink(.execution(e)) }
                case .positions(let p): sink(.positions(p))
                case .balances(let b): sink(.balances(b))
                default: break
                }
            }
        } catch {
            logger.warning("\(venue) private message skipped: \(error)")
        }
    }
}
