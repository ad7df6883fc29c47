// mnist-serve --collect through the in-process client: drawings stored under DIR/<digit>/ with
// names the server makes, every refusal (400, 404, 413, 422, 507, 409, 503) with a JSON error and
// nothing written, and the page's controls only when collecting.

import Foundation
import Hummingbird
import HummingbirdTesting
import MNIST
import NeuralNet
import Synchronization
import Testing
import TestSupport
@testable import mnist_serve

@Suite struct CollectionRouteTests {
    let classifier: DigitClassifier
    let scratch: ScratchDirectory
    let folder: String

    init() throws {
        (classifier, _) = try ServeFixtures.classifier()
        scratch = try ScratchDirectory(prefix: "CollectionRoutes")
        folder = scratch.path("digits")
    }

    /// Runs `body` against a server collecting into `folder` (with `learning`), or not collecting.
    private func withClient(
        collecting: Bool = true, limit: Int = SampleStore.defaultLimit, learning: LearningRuns? = nil,
        _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let collection = try collecting ? Collecting(
            store: SampleStore(directory: folder, limit: limit), learning: learning,
            learningOff: learning == nil ? "no MNIST data here" : nil) : nil
        let app = makeApplication(model: ServedModel(classifier), collecting: collection,
                                  configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.router, body)
    }

    /// Every file below `directory`, relative to it.
    private func files(below directory: String) -> [String] {
        let walker = FileManager.default.enumerator(atPath: directory)
        var found: [String] = []
        while let name = walker?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: directory + "/" + name, isDirectory: &isDirectory), !isDirectory.boolValue {
                found.append(name)
            }
        }
        return found.sorted()
    }

    private func post(_ client: any TestClientProtocol, digit query: String, _ body: [UInt8]) async throws -> (HTTPResponse.Status, ByteBuffer) {
        try await client.execute(uri: "/api/samples?\(query)", method: .post, headers: [.contentType: "image/png"],
                                 body: ByteBuffer(bytes: body)) { ($0.status, $0.body) }
    }

    @Test func aDrawingIsStoredUnderItsDigitAsSent() async throws {
        let png = try ServeFixtures.digitPNG()
        let folder = self.folder
        try await withClient { client in
            let (status, body) = try await post(client, digit: "digit=7", png)
            #expect(status == .created)
            let answer = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
            let path = try #require(answer?["path"] as? String)
            #expect(path.hasPrefix("7/") && path.hasSuffix(".png"))
            #expect(answer?["counts"] as? [Int] == [0, 0, 0, 0, 0, 0, 0, 1, 0, 0])
            // The bytes classified, not the 28×28.
            #expect(try readFile(folder + "/" + path) == png)
            try await client.execute(uri: "/api/samples", method: .get) { response in
                let counts = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                #expect(counts?["counts"] as? [Int] == [0, 0, 0, 0, 0, 0, 0, 1, 0, 0])
                #expect(counts?["total"] as? Int == 1)
            }
        }
    }

    @Test func namesNeverCollide() async throws {
        let png = try ServeFixtures.digitPNG()
        try await withClient { client in
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<16 { group.addTask { try await post(client, digit: "digit=3", png).0 } }
                for try await status in group { #expect(status == .created) }
            }
        }
        let stored = files(below: folder)
        #expect(stored.count == 16 && Set(stored).count == 16 && stored.allSatisfy { $0.hasPrefix("3/") })
        #expect(try SampleStore(directory: folder).classCounts[3] == 16)
    }

    @Test(arguments: [
        "", "digit=", "digit=10", "digit=-1", "digit=../x", "digit=7/../../x", "digit=..%2F..%2Fx", "digit=%2E%2E",
        "digit=7&digit=8", "digit=a", "digit=%D9%A7", "digit=7.0", "digit=+7", "digit=%207", "digit=7%00",
    ])
    func aBadDigitIsRefusedAndNothingIsWritten(query: String) async throws {
        let png = try ServeFixtures.digitPNG()
        try await withClient { client in
            let (status, body) = try await post(client, digit: query, png)
            #expect(status == .badRequest, "\(query)")
            #expect(ServeFixtures.errorMessage(body)?.contains("digit") == true, "\(query)")
        }
        #expect(files(below: folder).isEmpty)
        #expect(files(below: scratch.path).isEmpty)
    }

    @Test(arguments: [
        ("text", Array("hello".utf8), HTTPResponse.Status.badRequest),
        ("a truncated PNG", Array(try! ServeFixtures.digitPNG().prefix(40)), .badRequest),
        ("a JPEG", [0xFF, 0xD8, 0xFF, 0xE0] + [UInt8](repeating: 0, count: 60), .badRequest),
        ("a blank PNG", try! ServeFixtures.blankPNG(), .unprocessableContent),
        ("a body over the limit", [UInt8](repeating: 7, count: Routes.maxBodyBytes + 1), .contentTooLarge),
    ])
    func aBadBodyIsRefusedAndNothingIsWritten(what: String, body: [UInt8], expected: HTTPResponse.Status) async throws {
        try await withClient { client in
            let (status, answer) = try await post(client, digit: "digit=4", body)
            #expect(status == expected, "\(what)")
            #expect(ServeFixtures.errorMessage(answer) != nil, "\(what)")
        }
        #expect(files(below: folder).isEmpty, "\(what)")
    }

    @Test func theLimitAnswers507() async throws {
        let png = try ServeFixtures.digitPNG()
        try await withClient(limit: 2) { client in
            #expect(try await post(client, digit: "digit=1", png).0 == .created)
            #expect(try await post(client, digit: "digit=2", png).0 == .created)
            let (status, body) = try await post(client, digit: "digit=3", png)
            #expect(status.code == 507)
            #expect(ServeFixtures.errorMessage(body)?.contains("--collect-limit 2") == true)
        }
        #expect(files(below: folder).count == 2)
    }

    @Test func withoutCollectNothingIsStoredAndThePageHasNoControls() async throws {
        let png = try ServeFixtures.digitPNG()
        try await withClient(collecting: false) { client in
            for (uri, method) in [("/api/samples?digit=1", HTTPRequest.Method.post), ("/api/samples", .get),
                                  ("/api/learn", .post), ("/api/learn", .get)] {
                try await client.execute(uri: uri, method: method, body: ByteBuffer(bytes: png)) { response in
                    #expect(response.status == .notFound, "\(method) \(uri)")
                    #expect(ServeFixtures.errorMessage(response.body)?.contains("--collect DIR") == true)
                }
            }
            try await client.execute(uri: "/", method: .get) { response in
                let page = String(buffer: response.body)
                #expect(!page.contains("label-row") && !page.contains("Learn from my digits") && !page.contains("api/samples"))
            }
        }
        #expect(!FileManager.default.fileExists(atPath: folder))
    }

    @Test func thePageHasTheControlsWhenCollecting() async throws {
        try await withClient { client in
            try await client.execute(uri: "/", method: .get) { response in
                let page = String(buffer: response.body)
                #expect(page.contains(#"id="label-row""#) && page.contains("Learn from my digits") && page.contains(#"data-collect="on""#))
            }
        }
    }

    @Test func learningWithoutMNISTIsRefusedWithTheReason() async throws {
        try await withClient(learning: nil) { client in
            try await client.execute(uri: "/api/learn", method: .post) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(ServeFixtures.errorMessage(response.body) == "no MNIST data here")
            }
            try await client.execute(uri: "/api/samples", method: .get) { response in
                let answer = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                #expect(answer?["learning"] as? Bool == false)
                #expect(answer?["learning_off"] as? String == "no MNIST data here")
            }
        }
    }

    @Test func aSecondLearningRunWhileOneGoesGets409() async throws {
        let release = Mutex(false)
        let learning = LearningRuns { report in
            report("learning", 0.5)
            while !release.withLock({ $0 }) { usleep(1000) }
            return LearningResult(taught: 2, heldOut: 2, before: .init(heldOut: 0.5, test: 0.9), after: .init(heldOut: 1, test: 0.9),
                                  switched: true, reason: nil, model: "m.safetensors", seconds: 0)
        }
        let png = try ServeFixtures.digitPNG()
        try await withClient(learning: learning) { client in
            // One drawing of a digit cannot be both learnt from and scored on: 422.
            #expect(try await post(client, digit: "digit=1", png).0 == .created)
            try await client.execute(uri: "/api/learn", method: .post) { response in
                #expect(response.status == .unprocessableContent)
                #expect(ServeFixtures.errorMessage(response.body)?.contains("at least two") == true)
            }
            #expect(try await post(client, digit: "digit=1", png).0 == .created)
            try await client.execute(uri: "/api/learn", method: .post) { response in
                #expect(response.status == .accepted)
                #expect(String(buffer: response.body).contains(#""state":"running""#))
            }
            try await client.execute(uri: "/api/learn", method: .post) { response in
                #expect(response.status == .conflict)
                #expect(ServeFixtures.errorMessage(response.body)?.contains("already going") == true)
            }
            release.withLock { $0 = true }
            var state = ""
            for _ in 0..<500 where state != "finished" {
                state = try await client.execute(uri: "/api/learn", method: .get) { response in
                    let answer = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                    return answer?["state"] as? String ?? ""
                }
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(state == "finished")
        }
    }
}
