// Whether a pool's workers have lately paid their way: the caller's ledger of the time they saved
// it against the time it spent waiting for them.
//
// For each task the workers share, the caller compares what the task took with what it would have
// taken alone: all parts at the pace of the caller's own parts. Both are wall-clock times; over a
// stretch of tasks the estimate alone is scaled by the share of the stretch the caller was really
// running (its processor time over the wall time, read once a stretch, as the processor-time clock
// is a system call), since a caller that lost its core for a while worked slower than it would
// alone. On a quiet machine sharing takes about half as long and the ledger stays in credit. When
// another process keeps a core busy, the worker on that core is descheduled for milliseconds at a
// time, sometimes holding a part. Measured here on the default perceptron run beside a busy shell
// loop, most stretches of 64 tasks still gain 10-20% from sharing, but every few stretches one
// takes three to five times as long as running alone. So the ledger keeps a credit that remembers
// losses by their size (halving each stretch): one large loss outweighs several small gains, and
// while the credit is negative the pool runs tasks on the caller alone, which the scheduler moves
// to the free core, trying the workers again after pauses that double while losses continue (up
// to four seconds). The ledger decides by measurement, so it needs no knowledge of the machine.

import Glibc

/// The ledger `ComputePool` keeps of its workers' worth. Only the calling thread touches it.
struct WorkerAccount {
    /// Tasks per stretch: enough to average over a scheduler time slice or two.
    static let stretch = 64
    /// Tasks run alone after a first stretch in debt. Each further one doubles the pause and each
    /// stretch in credit halves it again. Short, because a quiet machine has a bad stretch now and
    /// then too (the host takes a core for a moment), and there a long pause costs more than extra
    /// tries of the workers cost a busy one.
    static let firstPause = 16
    static let longestPause = 16_384
    /// However many of its tasks are left, a pause ends this long (in nanoseconds) after it began:
    /// a convolutional network's tasks take milliseconds, and 16,384 of them would keep a machine
    /// that has gone quiet again on one core for minutes. Four seconds, not less: each pause ends
    /// in a stretch of shared tasks that a busy core makes slow, and with half a second the default
    /// perceptron run beside a busy loop took 1.10 times as long on two threads as on one (median
    /// of 18 interleaved rounds) against 1.02 with four seconds.
    static let longestPauseNanoseconds = 4_000_000_000

    /// The current stretch's tasks estimated alone, and as they took shared, in nanoseconds.
    private var alone = 0
    private var shared = 0
    /// The clocks when the current stretch began.
    private var stretchStart = Clocks(wall: 0, work: 0)
    /// The stretches so far, each weighing half as much as the one after it.
    private var credit = 0
    private var tasks = 0
    private var pause = 0
    private var pauseEnds = 0
    private var nextPause = firstPause

    /// Whether the next task runs on the caller alone; counts the pause down.
    /// - Parameter now: the monotonic clock (read when nil).
    mutating func runsAlone(now: Int? = nil) -> Bool {
        guard pause > 0 else { return false }
        if (now ?? monotonicNanoseconds()) >= pauseEnds {
            pause = 0
            return false
        }
        pause -= 1
        return true
    }

    /// The caller's processor time over the wall time since the stretch began.
    private func runningShareOfStretch() -> Double {
        let end = Clocks.now
        return Double(end.work - stretchStart.work) / Double(max(end.wall - stretchStart.wall, 1))
    }

    /// Called before each task the workers share, to time the stretch.
    mutating func taskBegins() {
        if tasks == 0 { stretchStart = .now }
    }

    /// Records one task the workers shared: `alone` nanoseconds, the caller's estimate of the task
    /// run on its own at the pace it had, against `shared`, what the task took with the workers.
    /// - Parameter running: the share of the stretch the caller was running; measured when nil.
    mutating func record(alone: Int, shared: Int, running: Double? = nil) {
        self.alone += alone
        self.shared += shared
        tasks += 1
        guard tasks == Self.stretch else { return }
        let share = min(running ?? runningShareOfStretch(), 1)
        credit = credit / 2 + Int(Double(self.alone) * share) - self.shared
        if credit < 0 {
            pause = nextPause
            pauseEnds = monotonicNanoseconds() + Self.longestPauseNanoseconds
            nextPause = min(nextPause * 2, Self.longestPause)
        } else {
            nextPause = max(nextPause / 2, Self.firstPause)
        }
        self.alone = 0
        self.shared = 0
        tasks = 0
    }
}

/// The wall clock and the calling thread's processor time, read together.
struct Clocks {
    /// `monotonicNanoseconds()`.
    var wall: Int
    /// `threadCPUNanoseconds()`.
    var work: Int

    static var now: Clocks { Clocks(wall: monotonicNanoseconds(), work: threadCPUNanoseconds()) }
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
