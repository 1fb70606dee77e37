import Foundation
import HuracanConfig
import HuracanCore
import HuracanExchanges
import HuracanJournal
import HuracanVenues
import Logging
import ServiceLifecycle
import Synchronization

/// What went wrong setting up a run on a real venue (unreachable venue, no keys, no coins).
public struct LiveRunError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension EngineRunner {
    /// How `huracan run` trades on a real venue.
    public struct LiveOptions: Sendable {
        public var venue: VenueID
        /// True: real orders with the account's keys. False: paper trading (simulated fills)
        /// on the venue's live public feed, no keys needed.
        public var sendsOrders: Bool
        public var credentials: VenueCredentials?

        public init(venue: VenueID, sendsOrders: Bool, credentials: VenueCredentials?) {
            self.venue = venue
            self.sendsOrders = sendsOrders
            self.credentials = credentials
        }
    }

    /// The account keys of `venue` from the environment variables or files its configuration
    /// names; nil when none is set. A partial set (key without secret) is an error.
    public static func credentials(_ venue: VenueID, config: EngineConfig) throws -> VenueCredentials? {
        let v = config.venues[venue]
        let key = try Secret.resolve(environmentVariable: v.apiKeyEnv, file: v.apiKeyFile)
        let secret = try Secret.resolve(environmentVariable: v.apiSecretEnv, file: v.apiSecretFile)
        let passphrase = venue == .okx ? try Secret.resolve(environmentVariable: v.passphraseEnv, file: v.passphraseFile) : nil
        switch (key, secret) {
        case (nil, nil): return nil
        case (let key?, let secret?):
            if venue == .okx, passphrase == nil {
                throw LiveRunError("okx: the API passphrase is missing: set \(v.passphraseEnv) or engine.venues.okx.passphrase_file")
            }
            return VenueCredentials(apiKey: key.value, secret: secret.value, passphrase: passphrase?.value, origin: key.origin)
        case (nil, _): throw LiveRunError("\(venue): API secret set but no key: set \(v.apiKeyEnv) or engine.venues.\(venue).api_key_file")
        case (_, nil): throw LiveRunError("\(venue): API key set but no secret: set \(v.apiSecretEnv) or engine.venues.\(venue).api_secret_file")
        }
    }

    /// Paper or live trading on one real venue in real time: market data from its public
    /// WebSocket feed (books kept in sync; a coin whose book is resyncing opens no trade); with
    /// `sendsOrders`, orders through its REST API and acknowledgements and fills from its
    /// private stream, otherwise simulated fills against the live book.
    public static func live(config: EngineConfig, options: LiveOptions, configPath: String?, duration: Double?, view: StatusView,
                            logger: Logger) async throws -> RunSummary {
        let venue = options.venue
        let venueConfig = config.venues[venue]
        let urls = venueConfig.activeURLs
        let endpoints = VenueEndpoints.configured(venue, rest: urls.rest, webSocket: urls.webSocket, demo: venueConfig.testnet && venue == .okx)
        if options.sendsOrders, options.credentials == nil {
            throw LiveRunError("\(venue): live trading needs API keys: set \(venueConfig.apiKeyEnv) and \(venueConfig.apiSecretEnv) (or the _file keys)")
        }
        let client = VenueRESTClient(venue: venue, endpoints: endpoints, credentials: options.sendsOrders ? options.credentials : nil, logger: logger)
        let (processCoins, activeWanted) = try processUniverse(config)
        let listed = processCoins.instruments.filter { $0.venueSymbols[venue] != nil }
        var directory = SymbolDirectory(universe: Universe(instruments: listed), venue: venue)
        var api = VenueAPI(client: client, directory: directory)
        do {
            let offset = try await client.syncTime()
            logger.info("\(venue) at \(endpoints.rest)\(venueConfig.testnet ? " (testnet)" : ""): clock skew \(String(format: "%+.1f", offset.skewMilliseconds)) ms")
        } catch {
            throw LiveRunError("\(venue) at \(endpoints.rest) cannot be reached: \(error)")
        }
        let instruments: [VenueInstrument]
        do { instruments = try await api.instruments() } catch { throw LiveRunError("\(venue): instruments could not be read: \(error)") }
        let problems = InstrumentMapping.check(universe: Universe(instruments: listed), venue: venue, instruments: instruments)
        for problem in problems.prefix(20) { logger.warning("instrument mapping: \(problem)") }
        if problems.count > 20 { logger.warning("instrument mapping: \(problems.count - 20) more problems (huracan venues check --venue \(venue) lists them all)") }
        // Orders follow the venue's own rules (tick, lot, minimum notional, contract value); a
        // coin it does not list as a trading linear perpetual is not traded.
        let bySymbol = Dictionary(instruments.map { ($0.symbol, $0) }, uniquingKeysWith: { a, _ in a })
        let tradable = listed.compactMap { instrument in
            bySymbol[instrument.venueSymbols[venue]!].flatMap { Self.tradingInstrument(instrument, listed: $0) }
        }
        if tradable.count < listed.count { logger.warning("\(venue): \(listed.count - tradable.count) of the universe's coins are not traded there") }
        guard !tradable.isEmpty else { throw LiveRunError("\(venue): none of the universe's coins can be traded there (\(problems.count) mapping problems)") }
        directory.update(from: instruments)
        api.directory = directory
        let universe = Universe(instruments: tradable)
        let activeCoins = max(1, min(activeWanted, tradable.count))
        logger.info("\(venue): \(tradable.count) coins listed, \(activeCoins) active; \(options.sendsOrders ? "LIVE orders" : "paper fills on the live feed")")

        var settings = EngineSettings(config)
        settings.activeCoins = activeCoins
        settings.venues = [venue]
        let now = WallClock.now().nanoseconds
        let start = Timestamp(nanoseconds: now - now % 1_000_000_000)
        let model = try BaselineModelLoader.load(path: config.strategy.modelFile)
        let control = EngineControl()
        var redis: RedisLink?
        if config.messageBus.type == "redis_streams" {
            redis = try await RedisLink.connect(config: config, universe: universe, logger: logger)
        }
        defer { redis?.shutdown() }
        // The venue's feed drives the engine: no simulated market is built.
        let symbols = universe.instruments.map { $0.venueSymbols[venue]! }
        let source = LiveMarketSource(venue: venue, coins: Dictionary(uniqueKeysWithValues: symbols.enumerated().map { ($1, CoinIndex($0)) }))
        let feed = VenueFeedInput(venue: venue, events: ReplayFeed(source: source, coinCount: universe.count), simulatedFills: !options.sendsOrders)
        let bookHealth = BookHealth()
        let health = client.health
        // The active set is ranked on the venue's own 24 h statistics and quotes, refreshed every ranking interval.
        let statistics = LiveDayStatistics(api: api, universe: universe, logger: logger)
        await statistics.refresh()
        var wiring = EngineWiring()
        wiring.tradeRetention = Engine.realTimeTradeRetention
        if let redis { wiring.remoteBusStatistics = { redis.statistics } }
        wiring.coinGate = { coin in bookHealth.canOpen(universe[coin].coin, venue: venue) ? nil : .bookOutOfSync }
        wiring.venueHealthSources = [VenueHealthSource(venue: venue, drain: { health.drain() })]
        wiring.costSource = { _ in statistics.snapshots() }
        var liveServices: LiveServices?
        if options.sendsOrders, let credentials = options.credentials {
            let live = try await startLiveTrading(config: config, api: api, credentials: credentials, universe: universe, bookHealth: bookHealth,
                                                  control: control, start: start, logger: logger)
            liveServices = live
            liveWiring(live, start: start, into: &wiring)
        }
        let engine = Engine(settings: settings, universe: universe, start: start, control: control, logger: logger,
                            remote: redis?.outbox, sharedRisk: redis?.gate, feed: feed, wiring: wiring) { _ in model }
        logger.info("market: \(engine.marketSource)")
        engine.rankNow(why: "ranked on \(venue)'s 24 h statistics")

        var feedConfiguration = VenueMarketFeed.Configuration()
        feedConfiguration.symbolsPerConnection = config.live.symbolsPerConnection
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let redis { services.append(.init(service: TaskService { await redis.run() })) }
        let rankingInterval = Duration.milliseconds(Int64(max(settings.rankingIntervalSeconds, 10) * 1_000))
        services.append(.init(service: TaskService { await statistics.run(every: rankingInterval) }))
        if let live = liveServices {
            startLiveChecks(live, engine: engine, config: config, api: api, bookHealth: bookHealth)
            let liveVenue = live.venue
            statistics.useFees { liveVenue.cachedFees(coin: $0) }
            let marketFeed = VenueMarketFeed(api: api, symbols: symbols, health: bookHealth, configuration: feedConfiguration, logger: logger) { update in
                source.apply(update)
                live.venue.apply(update)
            }
            live.marketFeed.withLock { $0 = marketFeed }
            services.append(.init(service: TaskService { await marketFeed.run() }))
        } else {
            let marketFeed = VenueMarketFeed(api: api, symbols: symbols, health: bookHealth, configuration: feedConfiguration, logger: logger) { source.apply($0) }
            services.append(.init(service: TaskService { await marketFeed.run() }))
        }
        let watcher = await makeModelWatcher(config: config, engine: engine, logger: logger)
        let end = duration.map { start + .nanoseconds(Int64($0 * 1e9)) }
        do {
            try await serve(engine: engine, end: end, view: view, config: config, configPath: configPath, control: control, redis: redis,
                            watcher: watcher, before: services, logger: logger)
        } catch {
            await liveServices?.stop()
            throw error
        }
        await liveServices?.stop()
        return summary(engine)
    }

    /// `instrument` with the venue's order rules, or nil when the venue does not trade it as a
    /// USDT linear perpetual.
    static func tradingInstrument(_ instrument: Instrument, listed: VenueInstrument) -> Instrument? {
        guard listed.status == .trading, listed.isLinearPerpetual, listed.tickSize.isPositive, listed.baseLotSize.isPositive else { return nil }
        var adopted = instrument
        adopted.tickSize = listed.tickSize
        adopted.lotSize = listed.baseLotSize
        adopted.minNotional = listed.minNotional
        if listed.venue == .okx { adopted.okxContractValue = listed.contractValue }
        return adopted
    }

    /// "h" and the run's start second in base 36: client order ids never repeat across restarts
    /// (alphanumeric, as OKX requires; 7 characters until the year 2080).
    static func orderIDPrefix(startSeconds: Int64) -> String {
        "h" + String(startSeconds, radix: 36)
    }
}
