// The classifier behind the API: one network per copy asked for, answers that do not depend on
// which copy gives them or how many requests run at once, one pixel limit shared with
// mnist-predict that takes a 12-megapixel photograph, and the unsure mark.

import Foundation
import MNIST
import NeuralNet
import NIOCore
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
        // A 4000×3000 picture of a dark bar on white paper reads in the server.
        let (classifier, _) = try ServeFixtures.classifier()
        var photo = GrayImage(width: 4000, height: 3000, filledWith: 240)
        for y in 800..<2200 { for x in 1900..<2050 { photo.pixels[y * 4000 + x] = 30 } }
        let prediction = try classifier.classify(png: try photo.pngData())
        #expect(prediction.side == 28)
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
}
