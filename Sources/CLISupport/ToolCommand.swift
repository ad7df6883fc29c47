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
        exit(after: Result {
            var command = try parseAsRoot()
            try command.run()
        })
    }
}

extension AsyncToolCommand {
    /// As `ToolCommand.main()`, awaiting `run()`.
    public static func main() async {
        do {
            var command = try await asyncParseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exit(after: .success(()))
        } catch {
            exit(after: .failure(error))
        }
    }
}

extension ParsableCommand {
    /// Ends the process after a run: prints what ArgumentParser prints for an error (help and
    /// the version on standard output, errors with usage on standard error), then exits with the
    /// status it would choose, or 1 if standard output could not be written.
    static func exit(after outcome: Result<Void, Error>) -> Never {
        var status: Int32 = 0
        if case .failure(let error) = outcome {
            let text = fullMessage(for: error)
            let code = exitCode(for: error)
            if !text.isEmpty {
                if code == .success {
                    print(text)
                } else {
                    StandardError.write(text + "\n")
                }
            }
            status = code.rawValue
        }
        Foundation.exit(StandardOutput.finish(status: status))
    }
}
