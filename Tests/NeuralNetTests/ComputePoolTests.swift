// The compute pool: every part of every task runs exactly once, and the parts tile the work.

@testable import NeuralNet
import Glibc
import Synchronization
import Testing

/// Counts, per part, how many times it ran; each part writes only its own slot.
private final class PartCounter: ParallelTask, @unchecked Sendable {
    let counts: UnsafeMutableBufferPointer<Int>
    let partsSeen: UnsafeMutableBufferPointer<Int>

    init(parts: Int) {
        counts = .allocate(capacity: parts)
        counts.initialize(repeating: 0)
        partsSeen = .allocate(capacity: parts)
        partsSeen.initialize(repeating: 0)
    }

    deinit {
        counts.deallocate()
        partsSeen.deallocate()
    }

    func run(part: Int, of parts: Int) {
        counts[part] += 1
        partsSeen[part] = parts
    }
}

@Suite struct ComputePoolTests {
    @Test(arguments: [1, 2, 3, 4])
    func everyPartRunsExactlyOncePerRun(threads: Int) {
        let pool = ComputePool(threadCount: threads)
        let counter = PartCounter(parts: threads)
        let runs = 2_000
        for _ in 0..<runs { pool.run(counter) }
        #expect(Array(counter.counts) == Array(repeating: runs, count: threads))
        #expect(Array(counter.partsSeen) == Array(repeating: threads, count: threads))
    }

    @Test func smallWorkRunsAsOnePartOnTheCaller() {
        let pool = ComputePool(threadCount: 2)
        let counter = PartCounter(parts: 2)
        pool.run(counter, work: 10)
        #expect(Array(counter.counts) == [1, 0])
        #expect(counter.partsSeen[0] == 1)
    }

    @Test(arguments: [(784, 2, 16), (784, 3, 16), (128, 2, 1), (10, 4, 8), (5, 8, 1), (0, 2, 16)])
    func sharesTileTheRangeOnGranuleBoundaries(count: Int, parts: Int, granule: Int) {
        var next = 0
        for part in 0..<parts {
            let range = share(of: count, part: part, parts: parts, granule: granule)
            #expect(range.lowerBound == next)
            if range.upperBound < count { #expect(range.upperBound % granule == 0) }
            next = range.upperBound
        }
        #expect(next == count)
    }
}

/// A task whose parts take 100 µs on the caller and stall for a millisecond when a worker runs them, as a worker does when
/// another process has its core; counts the parts the workers ran.
private final class StallingWorkerTask: ParallelTask, @unchecked Sendable {
    let caller = pthread_self()
    let partsOnWorkers = Atomic<Int>(0)

    func run(part: Int, of parts: Int) {
        guard pthread_equal(pthread_self(), caller) == 0 else {
            // 100 µs of work, long enough for a spinning worker to claim the other part.
            let end = monotonicNanoseconds() + 100_000
            while monotonicNanoseconds() < end {}
            return
        }
        partsOnWorkers.add(1, ordering: .relaxed)
        usleep(1_000)
    }
}

@Suite struct ComputePoolLedgerTests {
    @Test func workersThatStallInsideTheirPartsAreLeftOut() {
        // Without the ledger the worker takes one part of every task (1,500 of the 3,000 parts;
        // checked by disabling it); with it, the caller runs tasks alone after losing stretches.
        let pool = ComputePool(threadCount: 2)
        let task = StallingWorkerTask()
        for _ in 0..<1_500 { pool.run(task) }
        let onWorkers = task.partsOnWorkers.load(ordering: .relaxed)
        #expect(onWorkers < 600, "the worker ran \(onWorkers) of 3,000 parts")
    }
}
