// Every route and every refusal, through Hummingbird's in-process test client: the statuses of
// docs/serve.md, a JSON error body on each refusal, and predictions equal to the library's own.

import Foundation
import Hummingbird
import HummingbirdTesting
import MNIST
import NeuralNet
import Testing
@testable import mnist_serve

@Suite struct RouteTests {
    let classifier: DigitClassifier
    let modelPath: String

    init() throws {
        (classifier, modelPath) = try ServeFixtures.classifier()
    }

    private func withClient(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = makeApplication(classifier: classifier, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.router, body)
    }

    @Test func thePageIsSelfContained() async throws {
        try await withClient { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                let page = String(buffer: response.body)
                #expect(page.contains(#"id="prediction""#))
                #expect(page.contains("<canvas id=\"pad\""))
                // Nothing is fetched from elsewhere: no absolute URL in a src, href or fetch (the
                // inline icon's SVG namespace is a name, not a request).
                let outside = page.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
                #expect(!outside.contains("http://") && !outside.contains("https://") && !outside.contains("//cdn"))
            }
        }
    }

    @Test func healthAndModel() async throws {
        try await withClient { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("ok"))
            }
            try await client.execute(uri: "/api/model", method: .get) { response in
                #expect(response.status == .ok)
                let object = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                #expect(object?["layers"] as? [Int] == [784, 16, 10])
                #expect(object?["parameters"] as? Int == 784 * 16 + 16 + 16 * 10 + 10)
                #expect(object?["test_accuracy"] as? Double == 0.5)
            }
        }
    }

    @Test func aPredictionEqualsTheLibrarysOwn() async throws {
        let png = try ServeFixtures.digitPNG()
        // What mnist-predict computes: decode, preprocess, probabilities, for the same file.
        let network = try Network.load(from: modelPath).network
        let input = try DigitPreprocessor().preprocess(GrayImage(pngData: png, path: "x"), path: "x")
        let expected = network.probabilities(Matrix([input.normalizedPixels])).row(0)
        let expectedDigit = expected.indices.max { expected[$0] < expected[$1] }!
        let expectedSaliency = network.saliency(of: input.normalizedPixels, classIndex: expectedDigit)

        try await withClient { client in
            try await client.execute(
                uri: "/api/predict", method: .post, headers: [.contentType: "image/png"], body: ByteBuffer(bytes: png)
            ) { response in
                #expect(response.status == .ok)
                // The hand-written JSON read back by the synthesized decoder.
                let answer = try JSONDecoder().decode(Prediction.self, from: Data(response.body.readableBytesView))
                #expect(answer.digit == expectedDigit)
                #expect(answer.probabilities == expected)
                #expect(answer.confidence == expected[expectedDigit])
                #expect(answer.side == 28)
                #expect(answer.input == input.pixels)
                #expect(answer.saliency == expectedSaliency)
                #expect(answer.unsure == (expected[expectedDigit] < DigitClassifier.defaultUnsureBelow))
            }
        }
    }

    /// Requests the API refuses, and the status each gets.
    static let refusals: [(name: String, method: HTTPRequest.Method, uri: String, contentType: String?, body: @Sendable () throws -> [UInt8], status: HTTPResponse.Status)] = [
        ("garbage", .post, "/api/predict", "image/png", { Array("hello, this is not an image".utf8) }, .badRequest),
        ("empty body", .post, "/api/predict", "image/png", { [] }, .badRequest),
        ("truncated PNG", .post, "/api/predict", "image/png", { Array(try ServeFixtures.digitPNG().prefix(60)) }, .badRequest),
        ("no ink", .post, "/api/predict", "image/png", { try ServeFixtures.blankPNG() }, .unprocessableContent),
        ("100000×100000 header", .post, "/api/predict", "image/png",
         { ServeFixtures.headerOnlyPNG(width: 100_000, height: 100_000) }, .unprocessableContent),
        ("body over 2 MiB", .post, "/api/predict", "image/png",
         { [UInt8](repeating: 7, count: Routes.maxBodyBytes + 1) }, .contentTooLarge),
        ("a form without a file", .post, "/api/predict", "multipart/form-data; boundary=XyZ",
         { Array("--XyZ\r\nContent-Disposition: form-data; name=\"digit\"\r\n\r\n7\r\n--XyZ--\r\n".utf8) }, .badRequest),
        ("a broken form", .post, "/api/predict", "multipart/form-data; boundary=XyZ", { Array("--XyZ\r\nno end".utf8) }, .badRequest),
        ("a form whose file is not a PNG", .post, "/api/predict", "multipart/form-data; boundary=XyZ",
         { Array("--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nhello\r\n--XyZ--\r\n".utf8) }, .badRequest),
        ("5000×4000 header, over the pixel limit", .post, "/api/predict", "image/png",
         { ServeFixtures.headerOnlyPNG(width: 5000, height: 4000) }, .unprocessableContent),
        ("GET on predict", .get, "/api/predict", nil, { [] }, .methodNotAllowed),
        ("POST on the page", .post, "/", nil, { [] }, .methodNotAllowed),
        ("DELETE on model", .delete, "/api/model", nil, { [] }, .methodNotAllowed),
        ("PUT on healthz", .put, "/healthz", nil, { [] }, .methodNotAllowed),
        ("unknown route", .get, "/api/nothing", nil, { [] }, .notFound),
        ("unknown file", .get, "/robots.txt", nil, { [] }, .notFound),
    ]

    @Test(arguments: refusals.indices)
    func refusalsGetTheirStatusAndAJSONError(index: Int) async throws {
        let refusal = Self.refusals[index]
        let headers: HTTPFields = refusal.contentType.map { [.contentType: $0] } ?? [:]
        let body = try refusal.body()
        try await withClient { client in
            try await client.execute(
                uri: refusal.uri, method: refusal.method, headers: headers, body: body.isEmpty ? nil : ByteBuffer(bytes: body)
            ) { response in
                #expect(response.status == refusal.status, "\(refusal.name)")
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true, "\(refusal.name)")
                let message = ServeFixtures.errorMessage(response.body)
                #expect(message?.isEmpty == false, "\(refusal.name): \(String(buffer: response.body))")
                if refusal.status == .methodNotAllowed {
                    #expect(response.headers[.allow] != nil, "\(refusal.name)")
                }
            }
        }
    }

    @Test func everyRouteAnswersItsOwnMethods() async throws {
        let png = try ServeFixtures.digitPNG()
        try await withClient { client in
            for (path, methods) in Routes.methods {
                for method in methods {
                    let body = method == .post ? ByteBuffer(bytes: png) : nil
                    // Without --collect the collection's paths answer 404 (CollectionRouteTests).
                    let expected: HTTPResponse.Status = path == "/favicon.ico" ? .noContent
                        : Routes.collectionPaths.contains(path) ? .notFound : .ok
                    try await client.execute(uri: path, method: method, body: body) { response in
                        #expect(response.status == expected, "\(method) \(path)")
                    }
                }
            }
        }
    }
}
