// The ledger that sends a compute pool's tasks to the caller alone when its workers cost more
// than they save, for a pause that doubles while losses continue and resets after a good stretch.

@testable import NeuralNet
import Testing

/// Records `tasks` shared tasks that each would have taken `alone` nanoseconds on the caller and took `shared`.
private func record(_ account: inout WorkerAccount, tasks: Int, alone: Int, shared: Int) {
    for _ in 0..<tasks { account.record(alone: alone, shared: shared, running: 1) }
}

/// How many tasks in a row run alone from now on.
private func pauseLength(_ account: inout WorkerAccount) -> Int {
    var count = 0
    while account.runsAlone() { count += 1 }
    return count
}

@Suite struct WorkerAccountTests {
    @Test func workersThatSaveTimeKeepSharing() {
        var account = WorkerAccount()
        record(&account, tasks: WorkerAccount.stretch * 10, alone: 1_000, shared: 900)
        let alone = account.runsAlone()
        #expect(!alone)
    }

    @Test func aLosingStretchPausesTheWorkers() {
        var account = WorkerAccount()
        record(&account, tasks: WorkerAccount.stretch - 1, alone: 1_000, shared: 1_200)
        let aloneBeforeTheStretchEnds = account.runsAlone()
        #expect(!aloneBeforeTheStretchEnds, "a stretch is judged only when it is complete")
        record(&account, tasks: 1, alone: 1_000, shared: 1_200)
        let pause = pauseLength(&account)
        #expect(pause == WorkerAccount.firstPause)
    }

    @Test func oneLongStallOutweighsManySmallSavings() {
        var account = WorkerAccount()
        record(&account, tasks: WorkerAccount.stretch - 1, alone: 10_000, shared: 0)
        record(&account, tasks: 1, alone: 10_000, shared: 3_000_000)
        let pause = pauseLength(&account)
        #expect(pause == WorkerAccount.firstPause)
    }

    @Test func pausesDoubleWhileLossesContinueAndHalveAfterAGoodStretch() {
        var account = WorkerAccount()
        var pauses: [Int] = []
        for _ in 0..<12 {
            record(&account, tasks: WorkerAccount.stretch, alone: 0, shared: 1)
            pauses.append(pauseLength(&account))
        }
        let first = WorkerAccount.firstPause
        #expect(pauses.prefix(4) == [first, first * 2, first * 4, first * 8])
        #expect(pauses.max() == WorkerAccount.longestPause)
        record(&account, tasks: WorkerAccount.stretch, alone: 4, shared: 0)
        let pauseAfterAGoodStretch = pauseLength(&account)
        #expect(pauseAfterAGoodStretch == 0)
        record(&account, tasks: WorkerAccount.stretch, alone: 0, shared: 8)
        let pauseAfterTheNextLoss = pauseLength(&account)
        #expect(pauseAfterTheNextLoss == WorkerAccount.longestPause / 2)
    }

    @Test func aPauseEndsAfterFourSecondsHoweverManyTasksAreLeft() {
        // A CNN's tasks take milliseconds: the longest pause in tasks would last minutes.
        var account = WorkerAccount()
        for _ in 0..<12 { record(&account, tasks: WorkerAccount.stretch, alone: 0, shared: 1) }
        let start = monotonicNanoseconds()
        let alone = account.runsAlone(now: start)
        #expect(alone, "the pause has begun")
        let later = account.runsAlone(now: start + WorkerAccount.longestPauseNanoseconds + 1)
        #expect(!later, "four seconds on, the workers are tried again")
        let afterwards = account.runsAlone(now: start)
        #expect(!afterwards, "the pause is over, not suspended")
    }

    @Test func aCallerThatLostItsCoreIsJudgedAtItsTruePace() {
        // Shared tasks took 0.8 of the estimate, but the caller ran only 70% of the time, so its
        // parts alone would have taken 0.7 of what they seemed: sharing lost.
        var account = WorkerAccount()
        for _ in 0..<WorkerAccount.stretch { account.record(alone: 1_000, shared: 800, running: 0.7) }
        let pause = pauseLength(&account)
        #expect(pause == WorkerAccount.firstPause)
    }

    @Test func aLargeLossOutweighsSeveralSmallGains() {
        // As measured beside a busy shell loop: gains of 10-20% a stretch, now and then a loss of 400%.
        var account = WorkerAccount()
        record(&account, tasks: WorkerAccount.stretch, alone: 300_000, shared: 1_500_000)
        var pausedAfter: [Bool] = []
        for _ in 0..<3 {
            _ = pauseLength(&account)
            record(&account, tasks: WorkerAccount.stretch, alone: 300_000, shared: 260_000)
            pausedAfter.append(pauseLength(&account) > 0)
        }
        #expect(pausedAfter == [true, true, true])
        for _ in 0..<6 {
            _ = pauseLength(&account)
            record(&account, tasks: WorkerAccount.stretch, alone: 300_000, shared: 260_000)
        }
        let pauseOnceTheGainsAddUp = pauseLength(&account)
        #expect(pauseOnceTheGainsAddUp == 0, "the old loss fades")
    }
}
