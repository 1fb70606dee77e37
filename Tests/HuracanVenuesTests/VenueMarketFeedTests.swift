import HuracanCore
import HuracanExchanges
import HuracanFakeVenues
import HuracanVenues
import Synchronization
import HuracanTestSupport
import Testing

/// Public feeds against the fake venues: books sync per the venues' procedures, resync after a
/// sequence gap, a bad OKX checksum, or a dropped connection; many coins share a connection.
@Suite(.serialized) struct VenueMarketFeedTests {
    @Test(arguments: VenueID.allCases)
    func booksSyncAndResyncAfterGapAndDisconnect(venue: VenueID) async throws {
        let server = try await TestMarkets.startServer(venue, tick: .milliseconds(30))
        try await awaitingStop({ await server.stop() }) {
            let api = TestMarkets.api(server)
            let health = BookHealth()
            let tops = Locked(0), trades = Locked(0)
            let symbols = TestMarkets.instruments(venue).map(\.symbol)
            var configuration = VenueMarketFeed.Configuration()
            configuration.connection.reconnectBase = .milliseconds(50)
            let feed = VenueMarketFeed(api: api, symbols: symbols, health: health, configuration: configuration, logger: TestMarkets.logger) { update in
                switch update {
                case .top: tops.withLock { $0 += 1 }
                case .trade: trades.withLock { $0 += 1 }
                case .markFunding: break
                }
            }
            let task = Task { await feed.run() }
            defer { task.cancel() }
            #expect(feed.streamConnections.count == 1)
            let coins = TestMarkets.instruments(venue).map(\.coin)
            #expect(await eventually { symbols.allSatisfy(feed.isInSync) && coins.allSatisfy { health.canOpen($0, venue: venue) } })
            // The synced book matches the venue's.
            let symbol = symbols[0]
            #expect(await eventually {
                guard let book = feed.book(symbol), let venueTop = server.bestBidAsk(symbol: symbol) else { return false }
                return book.bestBid == venueTop.bid && book.bestAsk == venueTop.ask
            })
            #expect(tops.withLock { $0 } > 0)
            #expect(await eventually { trades.withLock { $0 } > 0 })

            // A lost depth message: the next one does not follow; that book resyncs, the coin opens no trade meanwhile.
            let before = health.resyncCount
            server.faults { $0.dropDepthMessages = 1 }
            #expect(await eventually { health.resyncCount > before })
            #expect(await eventually { symbols.allSatisfy(feed.isInSync) })

            if venue == .okx {
                let beforeChecksum = health.resyncCount
                server.faults { $0.badChecksumNext = 1 }
                #expect(await eventually { health.resyncCount > beforeChecksum })
                #expect(await eventually { symbols.allSatisfy(feed.isInSync) })
            }

            // Disconnect: reconnect with backoff, resubscribe, books back in sync.
            let connects = feed.streamConnections[0].connects.load(ordering: .relaxed)
            server.disconnectAll()
            #expect(await eventually { feed.streamConnections[0].connects.load(ordering: .relaxed) > connects })
            #expect(await eventually { symbols.allSatisfy(feed.isInSync) && coins.allSatisfy { health.canOpen($0, venue: venue) } })
        }
    }

    @Test func manyCoinsShareFewConnections() async throws {
        let server = try await TestMarkets.startServer(.bybit)
        try await awaitingStop({ await server.stop() }) {
            var configuration = VenueMarketFeed.Configuration()
            configuration.symbolsPerConnection = 2
            let feed = VenueMarketFeed(api: TestMarkets.api(server), symbols: TestMarkets.instruments(.bybit).map(\.symbol), health: BookHealth(),
                                       configuration: configuration, logger: TestMarkets.logger) { _ in }
            #expect(feed.streamConnections.count == 2)
        }
    }
}
