// Reading a prediction request's body within the limits: at most `Routes.maxBodyBytes`, arriving
// within `Routes.bodyTimeout`. A body over the limit is answered with 413 at once, and the rest of
// it is then read and thrown away while the answer waits in the client's socket: a client that
// sends its whole body before reading (Python's urllib, which also says `Connection: close`)
// would otherwise block on a full socket and never see the answer.

import Hummingbird

/// The request body's bytes, read in order by one task at a time: first the handler, then, for a
/// body over the limit, the 413 response's writer that drains the rest.
private final class BodyStream: @unchecked Sendable {
    var iterator: RequestBody.AsyncIterator
    init(_ body: RequestBody) { iterator = body.makeAsyncIterator() }
}

/// What reading a body gave: the bytes, or a 413 response to send instead.
enum BodyReading {
    case complete([UInt8])
    case refused(Response)
}

/// How much of an oversized body is read and thrown away before the server stops reading; a
/// client sending more than this does not get to read its 413.
private let drainLimit = 64 * 1024 * 1024

/// Reads the whole request body, at most `Routes.maxBodyBytes`, within `Routes.bodyTimeout`.
/// - Throws: `APIError` 408 when the body has not arrived in time.
func readBody(of request: Request) async throws -> BodyReading {
    let stream = BodyStream(request.body)
    if let length = request.headers[.contentLength].flatMap(Int.init), length > Routes.maxBodyBytes {
        // Refused from the header alone, before a byte of the body is read.
        return .refused(tooLarge("the request body is \(length) bytes, more than the limit of \(Routes.maxBodyBytes)", draining: stream))
    }
    let bytes = try await withDeadline(Routes.bodyTimeout) { () -> [UInt8]? in
        var bytes: [UInt8] = []
        while let chunk = try await stream.iterator.next() {
            guard bytes.count + chunk.readableBytes <= Routes.maxBodyBytes else { return nil }
            bytes += chunk.readableBytesView
        }
        return bytes
    }
    switch bytes {
    case .some(.some(let bytes)): return .complete(bytes)
    case .some(.none): return .refused(tooLarge("the request body is larger than \(Routes.maxBodyBytes) bytes", draining: stream))
    case .none:
        throw APIError(.requestTimeout, "the request body did not arrive within \(Routes.bodyTimeout)",
                       headers: [.connection: "close"])
    }
}

/// A 413 whose JSON error is sent in full before the rest of the body is read and dropped (for at
/// most `Routes.bodyTimeout` and `drainLimit` bytes).
private func tooLarge(_ message: String, draining stream: BodyStream) -> Response {
    let error = APIError(.contentTooLarge, message, headers: [.connection: "close"])
    var response = error.plainResponse()
    let json = error.jsonBody
    response.body = ResponseBody(contentLength: json.readableBytes) { writer in
        try await writer.write(json)
        _ = try? await withDeadline(Routes.bodyTimeout) {
            var drained = 0
            while drained <= drainLimit, let chunk = try await stream.iterator.next() { drained += chunk.readableBytes }
        }
        try await writer.finish(nil)
    }
    return response
}

/// `body`'s result, or nil when it has not finished within `limit` (it is then cancelled).
private func withDeadline<Result: Sendable>(
    _ limit: Duration, _ body: @escaping @Sendable () async throws -> Result
) async throws -> Result? {
    try await withThrowingTaskGroup(of: Result?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        let first = try await group.next()!
        group.cancelAll()
        return first
    }
}
