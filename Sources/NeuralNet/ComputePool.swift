// A persistent pool of worker threads for splitting one matrix product across cores.
//
// At MNIST sizes a product takes tens of microseconds, so starting threads per call, or waking
// sleeping ones through the kernel, costs as much as the work. The workers here spin briefly on an
// atomic generation counter between tasks and only park on a condition variable after a quiet
// spell, so back-to-back products inside a training step are dispatched in well under a microsecond.

import CBLAS
import Foundation
import Synchronization

/// A fixed set of threads that run the same closure side by side, one part each.
///
/// The calling thread takes part 0, so a pool of `threadCount` threads starts `threadCount - 1`
/// workers. A pool of one runs everything on the caller and starts no thread.
public final class ComputePool: @unchecked Sendable {
    /// How many parts each `run` is split into.
    public let threadCount: Int
    private let shared: SharedState

    /// A pool with one thread: everything runs on the caller.
    public static let serial = ComputePool(threadCount: 1)

    /// Creates a pool that splits work `threadCount` ways.
    ///
    /// OpenBLAS is told to use one thread per call, so that each part's product runs on the thread
    /// that asked for it and the split is ours alone (which also keeps results reproducible).
    public init(threadCount: Int) {
        precondition(threadCount >= 1, "a pool needs at least one thread")
        self.threadCount = threadCount
        shared = SharedState()
        openblas_set_num_threads(1)
        for index in 1..<threadCount {
            let shared = self.shared
            let thread = Thread { shared.workerLoop(index: index) }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    deinit {
        shared.stop()
    }

    /// The number of cores this process may use.
    public static var availableCores: Int {
        ProcessInfo.processInfo.activeProcessorCount
    }

    /// Runs `body(part)` for every part in `0..<threadCount`, in parallel, and returns when all
    /// have finished. Not reentrant: `body` must not call `run` on the same pool.
    public func run(_ body: (Int) -> Void) {
        if threadCount == 1 {
            body(0)
            return
        }
        withoutActuallyEscaping(body) { escapable in
            shared.dispatch(escapable, workers: threadCount - 1)
            escapable(0)
            shared.waitForWorkers()
        }
    }

    /// Splits `0..<count` into `threadCount` contiguous ranges, each a multiple of `granule` long
    /// except the last, and runs `body` on each non-empty one in parallel.
    public func forEachRange(count: Int, granule: Int = 1, _ body: (Range<Int>) -> Void) {
        let parts = threadCount
        if parts == 1 || count <= granule {
            if count > 0 { body(0..<count) }
            return
        }
        run { part in
            let range = share(of: count, part: part, parts: parts, granule: granule)
            if !range.isEmpty { body(range) }
        }
    }
}

/// What the caller and the workers share. Kept apart from the pool so that workers, which hold it
/// strongly, can outlive the pool's deinit safely.
private final class SharedState: @unchecked Sendable {
    private let generation = Atomic<Int>(0)
    private let unfinished = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private let parking = NSCondition()
    private var task: ((Int) -> Void)?

    /// How many times an idle worker polls before it parks: a few milliseconds of spinning.
    private static let spinIterations = 100_000
    /// How many times a waiting thread polls before it starts yielding its core.
    private static let yieldAfter = 2_000

    func dispatch(_ body: @escaping (Int) -> Void, workers: Int) {
        task = body
        unfinished.store(workers, ordering: .sequentiallyConsistent)
        bumpGeneration()
    }

    func waitForWorkers() {
        var spins = 0
        while unfinished.load(ordering: .acquiring) != 0 {
            // If a worker has lost its core to another process, spinning only delays it further.
            spins += 1
            if spins > Self.yieldAfter { sched_yield() }
        }
        task = nil
    }

    func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        bumpGeneration()
    }

    private func bumpGeneration() {
        // Under the lock, so a worker that is about to park cannot miss the change.
        parking.lock()
        generation.add(1, ordering: .sequentiallyConsistent)
        parking.broadcast()
        parking.unlock()
    }

    func workerLoop(index: Int) {
        var seen = 0
        while true {
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                spins += 1
                if spins > Self.yieldAfter { sched_yield() }
                if spins > Self.spinIterations {
                    parking.lock()
                    while generation.load(ordering: .acquiring) == seen {
                        parking.wait()
                    }
                    parking.unlock()
                }
            }
            seen = generation.load(ordering: .acquiring)
            if stopping.load(ordering: .acquiring) { return }
            task?(index)
            unfinished.subtract(1, ordering: .releasing)
        }
    }
}
