// The routes of mnist-serve --collect: storing the page's confirmed or corrected drawings and
// learning from them. Without --collect each answers 404 with the way to turn it on.

import Hummingbird
import MNIST

/// What --collect turns on: the folder, and learning from it unless MNIST's data is missing.
struct Collecting: Sendable {
    let store: SampleStore
    /// The learning runs, or nil when learning is off.
    let learning: LearningRuns?
    /// Why learning is off, when it is.
    let learningOff: String?
}

extension Routes {
    /// The paths that answer only with --collect.
    static let collectionPaths: Set<String> = ["/api/samples", "/api/learn"]

    /// The answer to every collection route when --collect is not given.
    static let collectionOff = APIError(.notFound, "collecting digits is off: start mnist-serve with --collect DIR to store drawings and learn from them")

    /// The `digit` query parameter: exactly one, a single character 0 … 9.
    /// - Throws: `APIError` 400 saying what is wrong with it.
    static func digit(in request: Request) throws(APIError) -> Int {
        let values = request.uri.queryParameters.getAll("digit")
        guard let value = values.first else {
            throw APIError(.badRequest, "say which digit the drawing is: POST /api/samples?digit=N with N from 0 to 9")
        }
        guard values.count == 1 else { throw APIError(.badRequest, "give digit once, not \(values.count) times") }
        guard value.count == 1, let digit = value.first?.wholeNumberValue, value.first!.isASCII else {
            throw APIError(.badRequest, "digit must be one of 0 … 9, got \"\(value.prefix(20))\"")
        }
        return digit
    }
}

/// Adds GET and POST /api/samples and /api/learn to `router`.
func addCollectionRoutes(
    to router: Router<BasicRequestContext>, collecting: Collecting?, model: ServedModel, largeImages: LargeImageGate
) {
    router.get("/api/samples") { _, _ -> SampleCounts in
        guard let collecting else { throw Routes.collectionOff }
        return SampleCounts(collecting)
    }
    router.post("/api/samples") { request, context -> Response in
        guard let collecting else { throw Routes.collectionOff }
        let digit = try Routes.digit(in: request)
        switch try await readBody(of: request) {
        case .refused(let response):
            return response
        case .complete(let body):
            let png = try ImageBody.image(in: body, contentType: request.headers[.contentType])
            guard ImageFormat(sniffing: png) == .png else {
                let what = ImageFormat(sniffing: png) == .jpeg ? "a JPEG image" : "not a PNG image"
                throw APIError(.badRequest, "the collection stores the pad's PNG drawings; the body is \(what)")
            }
            // Only drawings mnist-train can read are kept: decoded and preprocessed as a prediction is.
            let classifier = model.classifier
            _ = try await largeImages.run(pixels: ImageBody.declaredPixels(png)) { try classifier.input(png: png) }
            let saved = try collecting.store.save(png, digit: digit)
            return try SampleSaved(path: saved.path, digit: digit, counts: saved.counts)
                .response(from: request, context: context).with(status: .created)
        }
    }
    router.get("/api/learn") { _, _ -> LearningStatus in
        guard let collecting else { throw Routes.collectionOff }
        return collecting.learning?.current ?? .idle
    }
    router.post("/api/learn") { _, _ -> Response in
        guard let collecting else { throw Routes.collectionOff }
        guard let learning = collecting.learning else {
            throw APIError(.serviceUnavailable, collecting.learningOff ?? "learning is off")
        }
        if learning.current.state != .running, let refusal = LearningJob.refusal(counts: collecting.store.classCounts) {
            throw APIError(.unprocessableContent, refusal)
        }
        return try learning.start().response(status: .accepted)
    }
}

/// The answer to `GET /api/samples`.
struct SampleCounts: ResponseEncodable {
    /// Drawings of each digit, 0 first.
    var counts: [Int]
    var total: Int
    /// The most the folder may hold (--collect-limit).
    var limit: Int
    /// Whether "Learn from my digits" is available.
    var learning: Bool
    /// Why it is not, when it is not.
    var learningOff: String?

    enum CodingKeys: String, CodingKey {
        case counts, total, limit, learning
        case learningOff = "learning_off"
    }

    init(_ collecting: Collecting) {
        counts = collecting.store.classCounts
        total = counts.reduce(0, +)
        limit = collecting.store.limit
        learning = collecting.learning != nil
        learningOff = collecting.learningOff
    }
}

/// The answer to `POST /api/samples`: where the drawing went, relative to the folder.
struct SampleSaved: ResponseEncodable {
    var path: String
    var digit: Int
    var counts: [Int]
    var total: Int

    init(path: String, digit: Int, counts: [Int]) {
        self.path = path
        self.digit = digit
        self.counts = counts
        total = counts.reduce(0, +)
    }
}

extension Response {
    /// The response with another status.
    func with(status: HTTPResponse.Status) -> Response {
        var response = self
        response.status = status
        return response
    }
}
