// How busy the rest of the machine was during a measurement: CPU time spent by every process
// (from /proc/stat) minus this process's own (getrusage), per second of wall time. A benchmark on a
// shared 2-core machine can be halved by one busy neighbour without its runs spreading out, so the
// spread alone does not reveal it; this does.

import Foundation

/// CPU seconds used so far by the whole machine and by this process.
struct CPUUsage {
    /// Busy time of all CPUs since boot (user, nice, system, irq, softirq, steal), in seconds.
    var machine: Double
    /// User and system time of this process, all threads, in seconds.
    var ownProcess: Double

    /// The current counters; `machine` is nil where /proc/stat cannot be read (not Linux).
    static func now() -> CPUUsage? {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = stat.split(separator: "\n").first, line.hasPrefix("cpu ") else { return nil }
        // cpu  user nice system idle iowait irq softirq steal …, in clock ticks.
        let ticks = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard ticks.count >= 8 else { return nil }
        let busy = ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6] + ticks[7]
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let own = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) * 1e-6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) * 1e-6
        return CPUUsage(machine: busy / Double(sysconf(Int32(_SC_CLK_TCK))), ownProcess: own)
    }
}

/// Runs `body` and returns its result with the average number of cores that other processes kept
/// busy meanwhile (nil if unknown). 0 is an idle machine; 1 on two cores means half of it was taken.
func watchingOtherProcesses<T>(_ body: () throws -> T) rethrows -> (T, otherCores: Double?) {
    let clock = ContinuousClock()
    let before = CPUUsage.now()
    let start = clock.now
    let result = try body()
    let wall = seconds(from: start, to: clock.now)
    guard let before, let after = CPUUsage.now(), wall > 0 else { return (result, nil) }
    let others = (after.machine - before.machine) - (after.ownProcess - before.ownProcess)
    return (result, max(0, others / wall))
}
