// The classifier behind the API: one network per copy asked for, answers that do not depend on
// which copy gives them or how many requests run at once, one pixel limit shared with
// mnist-predict that takes a 12-megapixel photograph, and the unsure mark.

import Foundation
import MNIST
import NeuralNet
import NIOCore
import Synchronization
import Testing
@testable import mnist_serve

@Suite struct ClassifierTests {
    @Test func copiesAnswerAlikeUnderConcurrentLoad() async throws {
        let path = try ServeFixtures.modelFile()
        let classifier = try DigitClassifier(modelPath: path, copies: 3)
        #expect(classifier.copies == 3)
        let pngs = try [60, 100, 140].map { try ServeFixtures.digitPNG(side: $0) }
        let expected = try pngs.map { try classifier.classify(png: $0) }
        let answers = try await withThrowingTaskGroup(of: (Int, Prediction).self) { group in
            for request in 0..<48 {
                group.addTask { (request % 3, try classifier.classify(png: pngs[request % 3])) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers.count == 48)
        for (index, answer) in answers { #expect(answer == expected[index]) }
    }

    @Test func aTwelveMegapixelPhotoIsWithinTheLimitAndTheLimitIsShared() throws {
        #expect(4000 * 3000 <= GrayImage.defaultPixelLimit)
        #expect(5000 * 4000 > GrayImage.defaultPixelLimit)
        // The server takes a 4000×3000 header past the limit to libpng (which then finds no
        // data: 400), and refuses 5000×4000 from the header alone (422). Decoding a real photograph
        // takes seconds in a debug build; docs/limits.md gives its time and memory.
        let (classifier, _) = try ServeFixtures.classifier()
        #expect(throws: APIError.self) { try classifier.classify(png: ServeFixtures.headerOnlyPNG(width: 4000, height: 3000)) }
        do {
            _ = try classifier.classify(png: ServeFixtures.headerOnlyPNG(width: 4000, height: 3000))
        } catch {
            #expect(error.status == .badRequest && !error.message.contains("limit"), "\(error.message)")
        }
        do {
            _ = try classifier.classify(png: ServeFixtures.headerOnlyPNG(width: 5000, height: 4000))
        } catch {
            #expect(error.status == .unprocessableContent && error.message.contains("16777216"), "\(error.message)")
        }
    }

    @Test(arguments: [Float(0), 0.5, 1.01])
    func anAnswerBelowTheThresholdIsUnsure(threshold: Float) throws {
        let path = try ServeFixtures.modelFile()
        let classifier = try DigitClassifier(modelPath: path, copies: 1, unsureBelow: threshold)
        let prediction = try classifier.classify(png: try ServeFixtures.digitPNG())
        #expect(prediction.unsure == (prediction.confidence < threshold))
        if threshold == 0 { #expect(!prediction.unsure) }
        if threshold > 1 { #expect(prediction.unsure) }
    }

    @Test func aWildcardHostPrintsThisMachinesAddresses() {
        let address = ListeningAddress(host: "0.0.0.0", port: 8080)
        #expect(address.localURL(port: 8080) == "http://127.0.0.1:8080/")
        for url in address.networkURLs(port: 8080) {
            #expect(!url.contains("0.0.0.0") && !url.contains("127.0.0.1") && url.hasSuffix(":8080/"), "\(url)")
        }
        #expect(ListeningAddress(host: "127.0.0.1", port: 1).networkURLs(port: 1).isEmpty)
        #expect(ListeningAddress(host: "::1", port: 9).localURL(port: 9) == "http://[::1]:9/")
    }

    @Test func startupFailuresReadAsSentences() {
        let address = ListeningAddress(host: "127.0.0.1", port: 8080)
        let inUse = address.explain(IOError(errnoCode: EADDRINUSE, reason: "bind(descriptor:ptr:bytes:)"))
        #expect(inUse?.contains("port 8080") == true && inUse?.contains("--port 0") == true, "\(inUse ?? "nil")")
        let notHere = ListeningAddress(host: "10.255.255.1", port: 80).explain(IOError(errnoCode: EADDRNOTAVAIL, reason: "bind"))
        #expect(notHere?.contains("10.255.255.1 is not an address of this machine") == true)
        #expect(address.explain(CancellationError()) == nil)
    }

    @Test func largeImagesAreReadOneAtATimeAndDrawingsDoNotWait() async throws {
        let gate = LargeImageGate()
        let counts = Counts()
        // Each large image stays inside the gate until the drawing has been answered (or 10 s have
        // passed), so the order does not depend on how busy the machine or the test run is: a gate
        // that made the drawing wait would see all three finish first.
        let drawingAnswered = DispatchSemaphore(value: 0)
        let large = { @Sendable () -> Int in
            let now = counts.inside.add(1, ordering: .relaxed).newValue
            counts.most.max(now, ordering: .relaxed)
            if drawingAnswered.wait(timeout: .now() + 10) == .success { drawingAnswered.signal() }
            counts.inside.subtract(1, ordering: .relaxed)
            counts.finished.add(1, ordering: .relaxed)
            return 1
        }
        let (larges, largesFinishedBeforeTheDrawing) = try await withThrowingTaskGroup(of: (Int, Int?).self) { group in
            for _ in 0..<3 { group.addTask { (try await gate.run(pixels: 4000 * 3000, large), nil) } }
            group.addTask {
                // The drawing arrives while a large image is being read.
                while counts.inside.load(ordering: .relaxed) == 0 { try await Task.sleep(for: .milliseconds(5)) }
                _ = try await gate.run(pixels: 400 * 400) { 0 }
                let finished = counts.finished.load(ordering: .relaxed)
                drawingAnswered.signal()
                return (0, finished)
            }
            var larges = 0
            var before: Int?
            for try await (count, finishedBefore) in group {
                larges += count
                if let finishedBefore { before = finishedBefore }
            }
            return (larges, before)
        }
        #expect(larges == 3)
        #expect(counts.most.load(ordering: .relaxed) == 1)
        // The drawing is answered while the photographs still wait their turn.
        #expect(try #require(largesFinishedBeforeTheDrawing) == 0)
        #expect(ImageBody.declaredPixels(ServeFixtures.headerOnlyPNG(width: 4000, height: 3000)) == 12_000_000)
        #expect(ImageBody.declaredPixels(ServeFixtures.headerOnlyPNG(width: .max, height: .max)) == Int(Int32.max) * Int(Int32.max))
        #expect(ImageBody.declaredPixels([1, 2, 3]) == 0)
    }
}

/// How many large images are being read, the most at once, and how many are done.
private final class Counts: Sendable {
    let inside = Atomic<Int>(0), most = Atomic<Int>(0), finished = Atomic<Int>(0)
}
