// Photographs take seconds to decode and preprocess (a 12-megapixel one about 7 s on this
// machine), on the same worker threads, one per core, that answer every request. So that a few
// of them cannot take every core, one large image at a time is read; the others wait for their
// turn without holding a thread, and drawings never wait.

/// Admits one request at a time to read a large image.
actor LargeImageGate {
    /// Images declaring more pixels than this (1024×1024) wait their turn.
    static let largePixels = 1024 * 1024

    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Runs `body` at once for an image of `pixels` up to `largePixels`, else once no other large
    /// image is being read. `body` runs on the caller's thread, not the actor's.
    nonisolated func run<Result: Sendable>(pixels: Int, _ body: @Sendable () throws -> Result) async throws -> Result {
        guard pixels > Self.largePixels else { return try body() }
        await enter()
        do {
            let result = try body()
            await leave()
            return result
        } catch {
            await leave()
            throw error
        }
    }

    /// Waits until no other large image is being read; the turn is handed over, not raced for.
    private func enter() async {
        if busy {
            await withCheckedContinuation { waiting.append($0) }
        } else {
            busy = true
        }
    }

    private func leave() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}
