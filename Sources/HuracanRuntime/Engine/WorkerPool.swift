import Foundation

/// A fixed set of OS threads that run shards in rounds: the coordinator hands each thread its
/// shards for a round and waits until all are done. Bounded threads, many shards per thread.
final class WorkerPool: @unchecked Sendable {
    // Each worker's job is written by the coordinator before `go` is signalled and read by the
    // worker after it wakes; `done` orders the worker's writes before the coordinator continues.
    private final class Worker: @unchecked Sendable {
        let go = DispatchSemaphore(value: 0)
        var job: (() -> Void)?
        var stop = false
    }

    private let workers: [Worker]
    private let done = DispatchSemaphore(value: 0)
    private var threads: [Thread] = []

    init(threads count: Int) {
        workers = (0..<max(1, count)).map { _ in Worker() }
        for (i, worker) in workers.enumerated() {
            let thread = Thread { [done] in
                while true {
                    worker.go.wait()
                    if worker.stop { break }
                    worker.job?()
                    worker.job = nil
                    done.signal()
                }
                done.signal()
            }
            thread.name = "huracan-loop-\(i)"
            thread.stackSize = 1 << 20
            threads.append(thread)
            thread.start()
        }
    }

    var count: Int { workers.count }

    /// Runs `jobs[i]` on worker i (jobs beyond the worker count are not allowed) and waits.
    func runRound(_ jobs: [() -> Void]) {
        precondition(jobs.count <= workers.count)
        for (worker, job) in zip(workers, jobs) {
            worker.job = job
            worker.go.signal()
        }
        for _ in jobs { done.wait() }
    }

    func shutdown() {
        for worker in workers {
            worker.stop = true
            worker.go.signal()
        }
        for _ in workers { done.wait() }
    }
}
