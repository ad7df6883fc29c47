// mnist-bench's option checks: they refuse what a ComputePool or the network cannot take, with a
// message and the usage status, before anything is loaded or timed.

import Foundation
import Testing

@Suite struct BenchTests {
    @Test(arguments: [
        (["--threads", "1", "256"], "--threads must be 1 to 255, got 256"),
        (["--threads", "0"], "--threads must be 1 to 255, got 0"),
        (["--big-layers", "784,,10"], "The value '784,,10' is invalid for '--big-layers"),
        (["--big-layers", "100,10"], "--big-layers must be layer sizes from 784 to 10, got 100,10"),
    ])
    func badOptionsAreRefusedWithAMessage(arguments: [String], message: String) throws {
        let run = try CLI.run("mnist-bench", arguments + ["--only", "load", "--repeats", "1"])
        // 64 is ArgumentParser's usage-error status; a failed precondition would end in a signal.
        #expect(run.status == 64, "\(run.stderr)")
        #expect(run.stderr.contains(message), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
    }
}
