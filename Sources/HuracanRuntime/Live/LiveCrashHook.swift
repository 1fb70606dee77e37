import Foundation
import HuracanCore
import Synchronization

/// A test hook for crash drills: with `HURACAN_CRASH_AT_ORDER=N[:intent|:flight]` in the
/// environment, the process kills itself with SIGKILL at its Nth order: right after the order's
/// intent is journaled and before it is sent (`intent`, the default), or while its request is on
/// the way to the venue (`flight`). Restart and reconciliation must then settle that order.
/// Never set in production; without the variable the hook does nothing.
enum LiveCrashHook {
    enum Phase: String { case intent, flight }

    static let target: (order: Int, phase: Phase)? = {
        guard let text = ProcessInfo.processInfo.environment["HURACAN_CRASH_AT_ORDER"], !text.isEmpty else { return nil }
        let parts = text.split(separator: ":")
        guard let n = Int(parts[0]), n > 0 else { return nil }
        return (n, parts.count > 1 ? Phase(rawValue: String(parts[1])) ?? .intent : .intent)
    }()
    static let orders = Atomic<Int>(0)

    /// After the intent of an order is journaled: counts the order; dies here (phase `intent`) or
    /// arms the in-flight kill (phase `flight`).
    static func afterIntent(_ request: OrderRequest) throws {
        guard let target else { return }
        let n = orders.add(1, ordering: .relaxed).newValue
        guard n == target.order else { return }
        switch target.phase {
        case .intent:
            FileHandle.standardError.write("crash hook: SIGKILL after journaling the intent of order \(n) (\(request.clientOrderID))\n".data(using: .utf8)!)
            kill(getpid(), SIGKILL)
        case .flight:
            FileHandle.standardError.write("crash hook: SIGKILL while order \(n) (\(request.clientOrderID)) is in flight\n".data(using: .utf8)!)
            Thread.detachNewThread {
                usleep(3_000)
                kill(getpid(), SIGKILL)
            }
        }
    }
}
