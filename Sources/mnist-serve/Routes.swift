// The routes: the page, the prediction API, the model's facts and a health check. Handlers only
// read the request, call the classifier and wrap its answer; every refusal is an APIError.

import Hummingbird
import MNIST

/// The API's paths, what each accepts, and the limits on requests.
enum Routes {
    /// Bodies larger than this are refused with 413 (a 400×400 drawing is about 10 KB).
    static let maxBodyBytes = 2 * 1024 * 1024
    /// A body that has not arrived in full after this long is refused with 408.
    static let bodyTimeout: Duration = .seconds(10)
    /// Each path and the methods it answers (HEAD comes with GET).
    static let methods: [String: [HTTPRequest.Method]] = [
        "/": [.get, .head],
        "/api/predict": [.post],
        "/api/model": [.get, .head],
        "/healthz": [.get, .head],
    ]
    /// The other methods a known path answers with 405 rather than 404.
    static let refusedMethods: [HTTPRequest.Method] = [.get, .head, .post, .put, .delete, .patch, .options]
    /// Content types a prediction body may be declared as (or none at all).
    static let acceptedContentTypes = ["image/png", "application/octet-stream"]
}

/// The router with every route and the JSON error middleware in front of them.
func makeRouter(classifier: DigitClassifier) -> Router<BasicRequestContext> {
    let router = Router(options: .autoGenerateHeadEndpoints)
    router.add(middleware: JSONErrorMiddleware())

    router.get("/") { _, _ in Page.response() }
    router.get("/healthz") { _, _ in Health() }
    router.get("/api/model") { _, _ in ModelFacts(classifier) }
    router.post("/api/predict") { request, _ -> Prediction in
        try checkContentType(of: request)
        let body = try await collectBody(of: request)
        return try classifier.classify(png: body)
    }

    for (path, allowed) in Routes.methods {
        let allow = allowed.map(\.rawValue).joined(separator: ", ")
        for method in Routes.refusedMethods where !allowed.contains(method) {
            router.on(RouterPath(path), method: method) { request, _ -> Response in
                throw APIError(.methodNotAllowed, "\(request.method.rawValue) is not allowed on \(path); use \(allow)",
                               headers: [.allow: allow])
            }
        }
    }
    return router
}

/// The application on `configuration`'s address; `onRunning` gets the port it listens on once it
/// does. Connections idle for 30 s are closed, so a client that stops sending between requests
/// holds nothing for long.
func makeApplication(
    classifier: DigitClassifier,
    configuration: ApplicationConfiguration,
    onRunning: @escaping @Sendable (_ port: Int) -> Void = { _ in }
) -> some ApplicationProtocol {
    Application(
        router: makeRouter(classifier: classifier),
        server: .http1(configuration: .init(idleTimeout: .seconds(30))),
        configuration: configuration,
        onServerRunning: { channel in onRunning(channel.localAddress?.port ?? 0) })
}

/// Refuses a body declared as something other than a PNG image.
private func checkContentType(of request: Request) throws(APIError) {
    guard let declared = request.headers[.contentType] else { return }
    let type = declared.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    guard Routes.acceptedContentTypes.contains(type) else {
        throw APIError(.unsupportedMediaType, "the body must be a PNG image (Content-Type: image/png), not \(declared)")
    }
}

/// The whole request body, at most `Routes.maxBodyBytes`, arriving within `Routes.bodyTimeout`.
private func collectBody(of request: Request) async throws -> [UInt8] {
    if let length = request.headers[.contentLength].flatMap(Int.init), length > Routes.maxBodyBytes {
        // Refused from the header alone: nothing of a 10 MB upload is read.
        throw APIError(.contentTooLarge, "the request body is \(length) bytes, more than the limit of \(Routes.maxBodyBytes)",
                       headers: [.connection: "close"])
    }
    let buffer = try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
        group.addTask { try await request.body.collect(upTo: Routes.maxBodyBytes) }
        group.addTask {
            try await Task.sleep(for: Routes.bodyTimeout)
            return nil
        }
        let first = try await group.next()!
        group.cancelAll()
        return first
    }
    guard let buffer else {
        throw APIError(.requestTimeout, "the request body did not arrive within \(Routes.bodyTimeout)",
                       headers: [.connection: "close"])
    }
    return Array(buffer.readableBytesView)
}
