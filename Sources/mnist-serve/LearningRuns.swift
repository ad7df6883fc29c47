// "Learn from my digits": one fine-tune at a time, on a thread of its own so that the server's
// threads go on answering with the model served. The page polls the run's status.

import Foundation
import Hummingbird
import Synchronization

/// Where a learning run is, as GET /api/learn reports it.
struct LearningStatus: Sendable, Encodable {
    enum State: String, Sendable, Encodable {
        case idle, running, finished, failed
    }

    var state: State
    /// What the run is doing, in words ("learning"), while it runs.
    var phase: String?
    /// How far it is, 0 to 1.
    var progress: Double
    /// Why it failed.
    var message: String?
    /// What it achieved, once finished.
    var result: LearningResult?

    static let idle = LearningStatus(state: .idle, progress: 0)
}

/// What a finished run measured and decided.
struct LearningResult: Sendable, Encodable {
    /// Accuracies (0 to 1) on the held-out digits and the MNIST test set.
    struct Scores: Sendable, Encodable {
        var heldOut: Double
        var test: Double
        enum CodingKeys: String, CodingKey { case heldOut = "held_out", test }
    }

    /// Collected digits learnt from, and held out to score.
    var taught: Int
    var heldOut: Int
    var before: Scores
    var after: Scores
    /// Whether the server now serves the new model.
    var switched: Bool
    /// Why the old model was kept, when it was.
    var reason: String?
    /// The new model file, written beside the old one whatever the verdict.
    var model: String
    /// How long the run took.
    var seconds: Double

    enum CodingKeys: String, CodingKey {
        case taught, before, after, switched, reason, model, seconds
        case heldOut = "held_out"
    }
}

/// A learning run that could not finish, with the reason shown on the page.
struct LearningFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs one learning job at a time and keeps its status.
final class LearningRuns: Sendable {
    /// The work: reports its phase and progress as it goes, returns what it achieved.
    typealias Job = @Sendable (_ report: @escaping @Sendable (_ phase: String, _ progress: Double) -> Void) throws -> LearningResult

    private let status = Mutex(LearningStatus.idle)
    private let job: Job

    init(job: @escaping Job) {
        self.job = job
    }

    /// The status now.
    var current: LearningStatus { status.withLock { $0 } }

    /// Starts the job on a thread of its own.
    /// - Throws: `APIError` 409 while a run is going.
    func start() throws(APIError) -> LearningStatus {
        try status.withLock { status throws(APIError) in
            guard status.state != .running else {
                throw APIError(.conflict, "a learning run is already going (\(status.phase ?? "starting")); wait for it to finish")
            }
            status = LearningStatus(state: .running, phase: "starting", progress: 0)
        }
        Thread.detachNewThread { [self] in
            let outcome = Result { try job { phase, progress in self.status.withLock { $0.phase = phase; $0.progress = progress } } }
            self.status.withLock { status in
                switch outcome {
                case .success(let result):
                    status = LearningStatus(state: .finished, progress: 1, result: result)
                case .failure(let error):
                    status = LearningStatus(state: .failed, progress: 0, message: "\(error)")
                }
            }
        }
        return current
    }
}

extension LearningStatus: ResponseGenerator {
    /// The status as JSON, with `status` as the HTTP status.
    func response(status: HTTPResponse.Status) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(self)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        try response(status: .ok)
    }
}
