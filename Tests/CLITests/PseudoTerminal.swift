// Running an executable with a pseudo-terminal as its standard output, as a person at a terminal
// would, to see the cursor movement it draws there (or, with TERM=dumb, must not draw).

import Foundation

enum PseudoTerminal {
    // Glibc declares these only under _XOPEN_SOURCE, which Swift's Glibc module does not set;
    // they are in libc all the same.
    private typealias OpenFunction = @convention(c) (Int32) -> Int32
    private typealias GrantFunction = @convention(c) (Int32) -> Int32
    private typealias NameFunction = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?

    private static func function<T>(_ name: String, as type: T.Type) -> T? {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(symbol, to: type)
    }

    /// Runs executable `name` with standard output on a new pseudo-terminal `columns` wide, in raw
    /// mode (so "\n" stays "\n"), and returns its exit status and everything written to it.
    static func run(_ name: String, _ arguments: [String], in directory: URL, columns: UInt16,
                    environment: [String: String]) throws -> (status: Int32, output: String) {
        guard let openpt = function("posix_openpt", as: OpenFunction.self), let grantpt = function("grantpt", as: GrantFunction.self),
              let unlockpt = function("unlockpt", as: GrantFunction.self), let ptsname = function("ptsname", as: NameFunction.self)
        else { throw CocoaError(.featureUnsupported) }
        let master = openpt(O_RDWR | O_NOCTTY)
        guard master >= 0, grantpt(master) == 0, unlockpt(master) == 0, let followerName = ptsname(master) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "no pseudo-terminal: \(String(cString: strerror(errno)))"])
        }
        let follower = open(String(cString: followerName), O_RDWR | O_NOCTTY)
        guard follower >= 0 else { throw CocoaError(.fileNoSuchFile) }
        var attributes = termios()
        tcgetattr(follower, &attributes)
        cfmakeraw(&attributes)
        tcsetattr(follower, TCSANOW, &attributes)
        var size = winsize(ws_row: 24, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)

        // Read while the program runs: a pseudo-terminal holds only a few kilobytes.
        nonisolated(unsafe) var collected: [UInt8] = []
        let reader = Thread {
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
                if count <= 0 { break }  // EIO once the program has closed its side
                collected += chunk[..<count]
            }
        }
        let done = DispatchSemaphore(value: 0)
        let process = Process()
        process.executableURL = try CLI.executable(named: name)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = environment
        process.standardOutput = FileHandle(fileDescriptor: follower, closeOnDealloc: false)
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        process.terminationHandler = { _ in done.signal() }
        reader.start()
        try process.run()
        close(follower)
        done.wait()
        // The reader ends when the last holder of the follower side is gone.
        while !reader.isFinished { usleep(10_000) }
        close(master)
        return (process.terminationStatus, String(decoding: collected, as: UTF8.self))
    }
}
