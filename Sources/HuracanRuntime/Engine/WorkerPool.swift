import Foundation
import HuracanCore

/// A fixed set of OS threads that run shards in rounds: the coordinator hands each thread its
/// shards for a round, runs the first share itself, and waits until all are done. Bounded
/// threads, many shards per thread; `count` threads in all, the coordinator's included (a
/// coordinator parked while its workers ran cost a wake-up per round and one more busy thread
/// than cores).
///
/// The hand-off: the coordinator stores a worker's job, signals `go`, and waits on `done`; the
/// worker runs the job and signals `done`. Coordinator and worker never touch a job's shards at
/// the same time, which is what `ThreadHandOff` states for the job.
final class WorkerPool: Sendable {
    typealias Job = () -> Void

    private final class Worker: Sendable {
        let go = DispatchSemaphore(value: 0)
        let job = Locked<ThreadHandOff<Job>?>(nil)
        let stop = Locked(false)
    }

    private let workers: [Worker]
    private let done = DispatchSemaphore(value: 0)

    init(threads count: Int) {
        workers = (0..<max(1, count) - 1).map { _ in Worker() }
        for (i, worker) in workers.enumerated() {
            let thread = Thread { [done] in
                while true {
                    worker.go.wait()
                    if worker.stop.withLock({ $0 }) { break }
                    let job = worker.job.withLock { $0.take() }
                    job?.value()
                    done.signal()
                }
                done.signal()
            }
            thread.name = "huracan-loop-\(i)"
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Threads that run jobs, the calling coordinator's included.
    var count: Int { workers.count + 1 }

    /// Runs `jobs[0]` on the calling thread and `jobs[i]` on worker i - 1 (at most `count` jobs),
    /// and returns when all are done.
    func runRound(_ jobs: [Job]) {
        precondition(jobs.count <= count)
        guard let first = jobs.first else { return }
        for (worker, job) in zip(workers, jobs.dropFirst()) {
            worker.job.withLock { $0 = ThreadHandOff(job) }
            worker.go.signal()
        }
        first()
        for _ in jobs.dropFirst() { done.wait() }
    }

    func shutdown() {
        for worker in workers {
            worker.stop.withLock { $0 = true }
            worker.go.signal()
        }
        for _ in workers { done.wait() }
    }
}
