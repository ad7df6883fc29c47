// The routes: the page, the prediction API, the model's facts and a health check (and, with
// --collect, the routes of Routes+Collection.swift). Handlers only
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
        "/favicon.ico": [.get, .head],
        "/api/predict": [.post],
        "/api/model": [.get, .head],
        "/api/samples": [.get, .head, .post],
        "/api/learn": [.get, .head, .post],
        "/healthz": [.get, .head],
    ]
    /// The other methods a known path answers with 405 rather than 404.
    static let refusedMethods: [HTTPRequest.Method] = [.get, .head, .post, .put, .delete, .patch, .options]
}

/// The router with every route and the JSON error middleware in front of them. Each request
/// takes the model served when it starts.
func makeRouter(model: ServedModel, collecting: Collecting? = nil) -> Router<BasicRequestContext> {
    let router = Router(options: .autoGenerateHeadEndpoints)
    router.add(middleware: JSONErrorMiddleware())

    router.get("/") { _, _ in Page.response(collecting: collecting != nil) }
    // The page names its own icon; this answers browsers and tools that ask anyway.
    router.get("/favicon.ico") { _, _ in Response(status: .noContent, headers: [.cacheControl: "max-age=86400"]) }
    router.get("/healthz") { _, _ in Health() }
    router.get("/api/model") { _, _ in ModelFacts(model.classifier) }
    let largeImages = LargeImageGate()
    router.post("/api/predict") { request, context -> Response in
        let classifier = model.classifier
        switch try await readBody(of: request) {
        case .refused(let response):
            return response
        case .complete(let body):
            let png = try ImageBody.image(in: body, contentType: request.headers[.contentType])
            let prediction = try await largeImages.run(pixels: ImageBody.declaredPixels(png)) {
                try classifier.classify(png: png)
            }
            return try prediction.response(from: request, context: context)
        }
    }

    addCollectionRoutes(to: router, collecting: collecting, model: model, largeImages: largeImages)

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
    model: ServedModel,
    collecting: Collecting? = nil,
    configuration: ApplicationConfiguration,
    onRunning: @escaping @Sendable (_ port: Int) -> Void = { _ in }
) -> some ApplicationProtocol {
    Application(
        router: makeRouter(model: model, collecting: collecting),
        server: .http1(configuration: .init(idleTimeout: .seconds(30))),
        configuration: configuration,
        onServerRunning: { channel in onRunning(channel.localAddress?.port ?? 0) })
}

/// The application serving `classifier`, without collection.
func makeApplication(classifier: DigitClassifier, configuration: ApplicationConfiguration) -> some ApplicationProtocol {
    makeApplication(model: ServedModel(classifier), configuration: configuration)
}
