import Foundation
import HuracanCore
import Logging
import NIOCore
import NIOWebSocket
import Synchronization
import WSClient

/// One WebSocket connection to a venue that stays up: connects, runs `onOpen` (login,
/// subscriptions), delivers every frame to `onMessage`, sends the venue's heartbeat, treats a
/// silent connection as dead, and reconnects with jittered exponential backoff (resubscribing
/// through `onOpen` again). `onDisconnect` runs after every drop so books can be marked out of sync.
public final class VenueStreamConnection: Sendable {
    public enum Heartbeat: Sendable {
        /// The server pings (Binance); pongs are answered by the WebSocket layer. A connection
        /// without data for `idleTimeout` is treated as dead (market streams never go quiet).
        case serverPings
        /// We send WebSocket ping frames; the WebSocket layer closes the connection when no pong
        /// comes back. Quiet is normal (Binance user data: no account activity, no message), so
        /// `idleTimeout` does not apply.
        case protocolPings(every: Duration)
        /// Send this text every interval (OKX `ping`, Bybit `{"op":"ping"}`).
        case text(String, every: Duration)
    }

    public struct Configuration: Sendable {
        public var heartbeat: Heartbeat = .serverPings
        /// No frame for this long: the connection is dead, reconnect.
        public var idleTimeout: Duration = .seconds(60)
        public var reconnectBase: Duration = .milliseconds(500)
        public var reconnectMax: Duration = .seconds(30)
        public init(heartbeat: Heartbeat = .serverPings, idleTimeout: Duration = .seconds(60)) {
            self.heartbeat = heartbeat
            self.idleTimeout = idleTimeout
        }

        /// With `venue`'s documented keep-alive: Binance pings from the server (and, on streams
        /// that may stay `quiet`, ping frames from us every 30 s); OKX text `ping` and Bybit
        /// `{"op":"ping"}` from us every 20 s, answered by the venue.
        public func withHeartbeat(of venue: VenueID, quiet: Bool = false) -> Configuration {
            var config = self
            switch venue {
            case .binance: if quiet { config.heartbeat = .protocolPings(every: .seconds(30)) }
            case .okx: config.heartbeat = .text("ping", every: .seconds(20))
            case .bybit: config.heartbeat = .text("{\"op\":\"ping\"}", every: .seconds(20))
            }
            return config
        }
    }

    public let name: String
    let url: @Sendable () async throws -> String
    let configuration: Configuration
    let onOpen: @Sendable (VenueStreamConnection) async throws -> Void
    let onMessage: @Sendable ([UInt8]) -> Void
    let onDisconnect: @Sendable () -> Void
    let logger: Logger
    private let writer = Locked<WebSocketOutboundWriter?>(nil)
    private let lastReceived = Atomic<Int64>(0)
    private let closeRequested = Atomic<Bool>(false)
    /// Connections opened so far (1 + reconnects).
    public let connects = Atomic<Int>(0)
    /// Connections that ended (each logged with its cause).
    public let disconnects = Atomic<Int>(0)
    /// The current connection delivered a frame after it was opened and subscribed.
    private let delivering = Atomic<Bool>(false)
    /// Why the current connection ended, when it ended without an error.
    private let closeCause = Locked("")

    public init(name: String, configuration: Configuration, logger: Logger, url: @escaping @Sendable () async throws -> String,
                onOpen: @escaping @Sendable (VenueStreamConnection) async throws -> Void,
                onMessage: @escaping @Sendable ([UInt8]) -> Void, onDisconnect: @escaping @Sendable () -> Void) {
        self.name = name
        self.configuration = configuration
        self.logger = logger
        self.url = url
        self.onOpen = onOpen
        self.onMessage = onMessage
        self.onDisconnect = onDisconnect
    }

    public var isConnected: Bool { writer.withLock { $0 != nil } }

    /// Sends a text frame on the current connection (dropped silently when disconnected: the
    /// next `onOpen` resubscribes everything).
    public func send(_ text: String) async throws {
        guard let out = writer.withLock({ $0 }) else { return }
        try await out.write(.text(text))
    }

    /// Closes the current connection; `run` reconnects (listen key renewal, forced resync).
    public func reconnect() {
        closeRequested.store(true, ordering: .relaxed)
    }

    static func monotonicNow() -> Int64 { Int64(MonotonicClock.nanoseconds()) }

    /// Runs until the task is cancelled.
    public func run() async {
        var failures = 0
        while !Task.isCancelled {
            let started = Self.monotonicNow()
            delivering.store(false, ordering: .relaxed)
            var cause: String
            do {
                let target = try await url()
                cause = try await connectOnce(target)
            } catch is CancellationError {
                break
            } catch {
                cause = "\(error)"
            }
            writer.withLock { $0 = nil }
            onDisconnect()
            if Task.isCancelled { break }
            disconnects.add(1, ordering: .relaxed)
            // A connection that was subscribed and delivering resets the backoff: a venue that
            // drops every 20 s is reconnected in about a second each time, not ever later.
            let delivered = delivering.load(ordering: .relaxed)
            failures = delivered ? 1 : failures + 1
            let base = Double(configuration.reconnectBase.nanosecondsTotal) * pow(2, Double(min(failures - 1, 16)))
            let delay = min(base, Double(configuration.reconnectMax.nanosecondsTotal)) * Double.random(in: 0.5...1.0)
            let lived = Double(Self.monotonicNow() - started) / 1e9
            logger.warning("\(name): disconnected after \(String(format: "%.1f", lived)) s (\(cause)); reconnecting in \(String(format: "%.1f", delay / 1e9)) s\(delivered ? "" : " (attempt \(failures))")")
            try? await Task.sleep(for: .nanoseconds(Int64(delay)))
        }
    }

    /// One connection; returns why it ended (errors are thrown).
    private func connectOnce(_ target: String) async throws -> String {
        closeRequested.store(false, ordering: .relaxed)
        closeCause.withLock { $0 = "closed by the venue" }
        var config = WebSocketClientConfiguration(maxFrameSize: 1 << 24)
        if case .protocolPings(let every) = configuration.heartbeat { config.autoPing = .enabled(timePeriod: every) }
        try await WebSocketClient.connect(url: target, configuration: config, logger: logger) { [self] inbound, outbound, _ in
            connects.add(1, ordering: .relaxed)
            lastReceived.store(Self.monotonicNow(), ordering: .relaxed)
            writer.withLock { $0 = outbound }
            try await onOpen(self)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { [self] in
                    // Frames, not `messages()`: that turns every text message into a String.
                    var assembler = WebSocketMessageAssembler(maxSize: 1 << 24)
                    for try await frame in inbound {
                        lastReceived.store(Self.monotonicNow(), ordering: .relaxed)
                        delivering.store(true, ordering: .relaxed)
                        if let message = try assembler.receive(frame.data, continuation: frame.opcode == .continuation, fin: frame.fin) {
                            Self.deliver(message, to: onMessage)
                        }
                    }
                }
                group.addTask { [self] in
                    var lastPing = Self.monotonicNow()
                    while !Task.isCancelled {
                        try await Task.sleep(for: .milliseconds(100))
                        let now = Self.monotonicNow()
                        if closeRequested.load(ordering: .relaxed) {
                            closeCause.withLock { $0 = "reconnect requested" }
                            return
                        }
                        if case .protocolPings = configuration.heartbeat {
                            // Liveness is the WebSocket layer's ping and pong.
                        } else if now - lastReceived.load(ordering: .relaxed) > configuration.idleTimeout.nanosecondsTotal {
                            closeCause.withLock { $0 = "silent for \(configuration.idleTimeout)" }
                            return
                        }
                        if case .text(let ping, let every) = configuration.heartbeat, now - lastPing >= every.nanosecondsTotal {
                            lastPing = now
                            try await outbound.write(.text(ping))
                        }
                    }
                }
                // Whichever ends first (the venue closed, a heartbeat went silent, a reconnect
                // was asked for, or the run was cancelled), the connection is closed before the
                // reader is waited for: the reader ends only when the socket does.
                let ended: (any Error)?
                do {
                    try await group.next()
                    ended = nil
                } catch {
                    ended = error
                }
                try? await outbound.close(.normalClosure, reason: nil)
                group.cancelAll()
                if let ended { throw ended }
            }
            writer.withLock { $0 = nil }
        }
        return closeCause.withLock { $0 }
    }

    /// Hands one complete message's bytes to `onMessage`.
    static func deliver(_ data: ByteBuffer, to onMessage: ([UInt8]) -> Void) {
        onMessage(Array(buffer: data))
    }
}
