// The tools' entry point: ArgumentParser's `main()`, plus the check that standard output was
// written (`StandardOutput.finish`), so that `mnist-eval --json > /dev/full` fails instead of
// exiting 0. A tool adopts it by declaring `ToolCommand` (or `AsyncToolCommand`) instead of
// `ParsableCommand` (or `AsyncParsableCommand`).

import ArgumentParser
import Foundation

/// A command whose exit status also says whether its standard output was written.
public protocol ToolCommand: ParsableCommand {}

/// The same for a command whose `run()` is `async`.
public protocol AsyncToolCommand: AsyncParsableCommand {}

extension ToolCommand {
    /// Parses the arguments, runs the command and exits: ArgumentParser's `main()` with the
    /// standard-output check before the exit.
    public static func main() {
        let status: Int32
        do {
            var command = try parseAsRoot()
            try command.run()
            status = 0
        } catch {
            status = report(error)
        }
        Foundation.exit(StandardOutput.finish(status: status))
    }
}

extension AsyncToolCommand {
    /// As `ToolCommand.main()`, awaiting `run()`.
    public static func main() async {
        let status: Int32
        do {
            var command = try await asyncParseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            status = 0
        } catch {
            status = report(error)
        }
        Foundation.exit(StandardOutput.finish(status: status))
    }
}

extension ParsableCommand {
    /// Prints what ArgumentParser prints for `error` (help and the version on standard output,
    /// errors with usage on standard error) and returns the exit status it would choose.
    static func report(_ error: Error) -> Int32 {
        let text = fullMessage(for: error)
        let code = exitCode(for: error)
        if !text.isEmpty {
            if code == .success {
                print(text)
            } else {
                StandardError.write(text + "\n")
            }
        }
        return code.rawValue
    }
}
