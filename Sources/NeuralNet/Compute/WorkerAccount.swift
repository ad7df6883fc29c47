// Whether a pool's workers have lately paid their way: the caller's ledger of time saved against
// time spent waiting, kept over stretches of tasks.
//
// For each task the workers share, the caller compares what the task took (wall clock) with what
// it would have taken alone: all parts at the pace of the caller's own parts, in processor time.
// On a quiet machine sharing takes about half as long and the ledger stays in credit. When another process keeps a core busy, the worker on that core is descheduled for
// milliseconds at a time, sometimes holding a part; then waiting for it costs more than its parts
// saved, and the pool does better running everything on the caller, which the scheduler moves to
// the free core. The ledger decides by measurement, so it needs no knowledge of the machine.

import Glibc

/// The ledger `ComputePool` keeps of its workers' worth. Only the calling thread touches it.
struct WorkerAccount {
    /// Tasks per stretch: enough to average over a scheduler time slice or two.
    static let stretch = 64
    /// Tasks run alone after the first losing stretch; each further loss in a row doubles it.
    static let firstPause = 256
    static let longestPause = 16_384

    private var balance = 0
    private var tasks = 0
    private var pause = 0
    private var nextPause = firstPause

    /// Whether the next task runs on the caller alone; counts the pause down.
    mutating func runsAlone() -> Bool {
        guard pause > 0 else { return false }
        pause -= 1
        return true
    }

    /// Records one task the workers shared: `alone` nanoseconds, the caller's estimate of the task
    /// run on its own, against `shared`, what the task took with the workers.
    mutating func record(alone: Int, shared: Int) {
        balance += alone - shared
        tasks += 1
        guard tasks == Self.stretch else { return }
        if balance < 0 {
            pause = nextPause
            nextPause = min(nextPause * 2, Self.longestPause)
        } else {
            nextPause = Self.firstPause
        }
        balance = 0
        tasks = 0
    }
}

/// The monotonic clock in nanoseconds (through the vDSO: no system call, no allocation).
@inline(__always)
func monotonicNanoseconds() -> Int {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return time.tv_sec * 1_000_000_000 + time.tv_nsec
}

/// The processor time the calling thread has used, in nanoseconds: unlike the wall clock, it does
/// not run while the thread waits for a core.
@inline(__always)
func threadCPUNanoseconds() -> Int {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return time.tv_sec * 1_000_000_000 + time.tv_nsec
}
