// A persistent pool of worker threads for splitting one matrix product across cores.
//
// At MNIST sizes a product takes tens of microseconds, so starting threads per call, or waking
// sleeping ones through the kernel, costs as much as the work. The workers here spin briefly on an
// atomic counter between tasks and only park on a condition variable after a quiet spell, so
// back-to-back products inside a training step are dispatched in well under a microsecond. Parts
// are claimed rather than assigned, so a worker that has not started yet costs the caller nothing:
// the caller does that part itself.
//
// A worker that loses its core *inside* a part is another matter: the caller must wait for it, and
// on a machine where another process keeps one core busy, the scheduler takes the core away for
// milliseconds at a time, far longer than a part. So the caller keeps an account of what sharing
// takes against what running alone would (WorkerAccount.swift), and while the workers are in debt
// it runs tasks alone, trying them again after a pause. Parts stay the same either way, so results
// do not depend on who ran them, or on the machine's load.

import CBLAS
import Foundation
import Synchronization

/// A fixed set of threads that run the parts of a task side by side.
///
/// The calling thread works too, so a pool of `threadCount` threads starts `threadCount - 1`
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
        precondition((1...255).contains(threadCount), "a pool has 1 to 255 threads")
        self.threadCount = threadCount
        shared = SharedState()
        openblas_set_num_threads(1)
        for _ in 1..<threadCount {
            let shared = self.shared
            let thread = Thread { shared.workerLoop() }
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

    /// Runs `task.run(part:of:)` for every part in `0..<threadCount`, in parallel, and returns when
    /// all have finished. Not reentrant: the task must not call `run` on the same pool.
    ///
    /// Tasks are objects rather than closures because a closure handed to other threads needs a
    /// heap-allocated context, and the training step must not allocate.
    func run(_ task: any ParallelTask) {
        if threadCount == 1 {
            task.run(part: 0, of: 1)
            return
        }
        shared.run(task, parts: threadCount)
    }

    /// Runs `task` in `parts` parts (at most 255), claimed by the pool's threads as they come free.
    func run(_ task: any ParallelTask, parts: Int) {
        if parts == 1 || threadCount == 1 {
            for part in 0..<parts { task.run(part: part, of: parts) }
            return
        }
        shared.run(task, parts: parts)
    }

    /// Runs `task` split `threadCount` ways when `work` (in multiply-adds or element operations)
    /// is large enough to repay the hand-off, and in one part on the calling thread otherwise.
    func run(_ task: any ParallelTask, work: Int) {
        if work < parallelWorkThreshold {
            task.run(part: 0, of: 1)
        } else {
            run(task)
        }
    }
}

/// Work that a `ComputePool` runs in parts, one part per thread, all parts side by side.
protocol ParallelTask: AnyObject {
    /// Does part `part` of `parts` (`0 <= part < parts`). Parts must write disjoint memory.
    func run(part: Int, of parts: Int)
}

/// Work below this size (multiply-adds, or element operations) runs on one thread: splitting it
/// costs more than it saves.
let parallelWorkThreshold = 150_000

/// 128 bytes of nothing: two 64-byte cache lines, since neighbouring lines are fetched in pairs.
private let cacheLinePad: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                           UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
    (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

/// Part `part` of `0..<count` cut into `parts` contiguous pieces whose bounds are multiples of
/// `granule` (all of it when `parts` is 1).
@inline(__always)
func share(of count: Int, part: Int, parts: Int, granule: Int = 1) -> Range<Int> {
    let granules = (count + granule - 1) / granule
    let start = min(count, granules * part / parts * granule)
    let end = min(count, granules * (part + 1) / parts * granule)
    return start..<end
}

/// What the caller and the workers share. Kept apart from the pool so that workers, which hold it
/// strongly, can outlive the pool's deinit safely.
///
/// Each `run` publishes a new generation with its number of parts. Every thread, the caller
/// included, then claims unclaimed parts one at a time until none is left, so a worker that has
/// lost its core to another process never holds the caller up: the caller runs that part itself.
/// Which thread runs a part does not change what the part computes, so results stay reproducible.
private final class SharedState: @unchecked Sendable {
    // The atomics both threads spin on sit between two 128-byte pads (stored properties are laid
    // out in declaration order), so no unrelated allocation shares their cache line. Without the
    // pads a matrix that malloc placed beside this object made an epoch 1.6 times slower: every
    // write to it stole the line the other core was polling.
    private let leadingPad = cacheLinePad
    /// generation << 16 | parts << 8 | next unclaimed part.
    private let claims = Atomic<Int>(0)
    /// Parts of the current generation finished.
    private let finished = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private let trailingPad = cacheLinePad
    private let parking = NSCondition()
    private var task: (any ParallelTask)?
    private var generation = 0
    /// Whether the workers have lately paid their way; touched by the caller only.
    private var account = WorkerAccount()
    /// When the last shared task ended (nil after one run alone).
    private var lastEnd: Int?

    /// How long an idle worker keeps polling, after its first `yieldAfter` polls, before it parks.
    private static let spinNanoseconds = 5_000_000
    /// How many times a waiting thread polls before it starts yielding its core.
    private static let yieldAfter = 2_000

    private static func generation(_ claims: Int) -> Int { claims >> 16 }
    private static func parts(_ claims: Int) -> Int { (claims >> 8) & 0xFF }
    private static func next(_ claims: Int) -> Int { claims & 0xFF }

    /// Runs `task` in `parts` parts on the calling thread and any workers that are free, or on
    /// the calling thread alone while the workers have lately cost more than they saved.
    func run(_ task: any ParallelTask, parts: Int) {
        precondition(parts <= 0xFF, "at most 255 parts")
        if account.runsAlone() {
            lastEnd = nil
            for part in 0..<parts { task.run(part: part, of: parts) }
            return
        }
        account.taskBegins()
        let start = monotonicNanoseconds()
        self.task = task
        finished.store(0, ordering: .relaxed)
        generation += 1
        publish(generation << 16 | parts << 8)
        let ownParts = runParts(ofGeneration: generation)
        let ownEnd = monotonicNanoseconds()
        var spins = 0
        while finished.load(ordering: .acquiring) != parts {
            // A worker is inside a part; if it has lost its core, spinning would only delay it.
            spins += 1
            if spins > Self.yieldAfter { sched_yield() }
        }
        self.task = nil
        let end = monotonicNanoseconds()
        if ownParts > 0, ownParts < parts {
            // All parts at the pace of the caller's own against what sharing took (a task whose
            // parts the workers took all of says nothing of the caller's pace). The caller's
            // work since the last task counts too when the workers were still spinning then,
            // competing with it for the cores.
            var alone = (ownEnd - start) / ownParts * parts, shared = end - start
            if let lastEnd, start - lastEnd < Self.spinNanoseconds {
                alone += start - lastEnd
                shared += start - lastEnd
            }
            account.record(alone: alone, shared: shared)
        }
        lastEnd = end
    }

    func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        generation += 1
        publish(generation << 16)
    }

    private func publish(_ value: Int) {
        // Under the lock, so a worker that is about to park cannot miss the change.
        parking.lock()
        claims.store(value, ordering: .sequentiallyConsistent)
        parking.broadcast()
        parking.unlock()
    }

    /// Claims and runs parts of generation `current` until all are claimed; returns how many this
    /// thread ran.
    @discardableResult
    private func runParts(ofGeneration current: Int) -> Int {
        var ran = 0
        var state = claims.load(ordering: .acquiring)
        while Self.generation(state) == current, Self.next(state) < Self.parts(state) {
            let (claimed, seen) = claims.compareExchange(
                expected: state, desired: state + 1, ordering: .acquiringAndReleasing)
            if claimed {
                // The caller keeps `task` until every claimed part has finished.
                task!.run(part: Self.next(state), of: Self.parts(state))
                finished.add(1, ordering: .releasing)
                ran += 1
                state = claims.load(ordering: .acquiring)
            } else {
                state = seen
            }
        }
        return ran
    }

    func workerLoop() {
        var seen = 0
        while true {
            var spins = 0
            var parkAt = Int.max
            var state = claims.load(ordering: .acquiring)
            while Self.generation(state) == seen {
                spins += 1
                if spins == Self.yieldAfter { parkAt = monotonicNanoseconds() + Self.spinNanoseconds }
                if spins > Self.yieldAfter { sched_yield() }
                // By the clock, not by count: where another process wants this core, each yield
                // hands it over for a whole time slice, and a count would take seconds to run out.
                if spins > Self.yieldAfter, monotonicNanoseconds() > parkAt {
                    parking.lock()
                    while Self.generation(claims.load(ordering: .acquiring)) == seen {
                        parking.wait()
                    }
                    parking.unlock()
                }
                state = claims.load(ordering: .acquiring)
            }
            if stopping.load(ordering: .acquiring) { return }
            seen = Self.generation(state)
            runParts(ofGeneration: seen)
        }
    }
}
