// mnist-serve reloads its model file on SIGHUP: requests sent throughout the switch all get 200,
// GET /api/model names the new file's model afterwards, and a broken file leaves the model served.

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MNIST
import NeuralNet
import Synchronization
import Testing
import TestSupport

/// Tells the clients of a test to stop, and counts the answers they got.
private final class StopFlag: Sendable {
    let raised = Atomic(false)
    let answered = Atomic(0)

    /// Waits until `count` answers have come, for at most 30 s.
    func wait(forAnswers count: Int) async throws {
        for _ in 0..<1500 where answered.load(ordering: .relaxed) < count { try await Task.sleep(for: .milliseconds(20)) }
    }
}

@Suite struct ServeReloadTests {
    /// A running mnist-serve, its output in a file, stopped when released.
    final class RunningServer {
        let process = Process()
        let output: URL
        private(set) var url: URL!

        init(arguments: [String], scratch: ScratchDirectory) throws {
            output = scratch.url.appendingPathComponent("serve-output")
            _ = FileManager.default.createFile(atPath: output.path, contents: nil)
            process.executableURL = try CLI.executable(named: "mnist-serve")
            process.arguments = arguments + ["--port", "0"]
            let handle = try FileHandle(forWritingTo: output)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                if let line = log.split(separator: "\n").first(where: { $0.hasPrefix("open http://") }),
                   let address = line.split(separator: " ").dropFirst().first {
                    url = URL(string: String(address))
                    return
                }
                usleep(20_000)
            }
            process.terminate()
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "mnist-serve did not start: \(log)"])
        }

        var log: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

        deinit {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// The status and body of a request to `url`.
    static func request(_ url: URL, method: String = "GET", body: Data? = nil) async throws -> (Int, Data) {
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.httpBody = body
        if body != nil { request.setValue("image/png", forHTTPHeaderField: "Content-Type") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    /// GET /api/model's metadata entry `key`.
    static func servedMetadata(_ server: RunningServer, _ key: String) async throws -> String? {
        let (_, data) = try await request(server.url.appendingPathComponent("api/model"))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return (object?["metadata"] as? [String: String])?[key]
    }

    @Test func sighupSwitchesTheModelWithoutDroppingARequest() async throws {
        let scratch = try ScratchDirectory(prefix: "ServeReload")
        let path = scratch.path("model.safetensors")
        try Network(layerSizes: [784, 8, 10], seed: 1).save(to: path, metadata: ["which": "first"])
        let server = try RunningServer(arguments: ["--model", path], scratch: scratch)
        #expect(try await Self.servedMetadata(server, "which") == "first")

        var image = GrayImage(width: 60, height: 60, filledWith: 255)
        for y in 12..<48 { for x in 27..<33 { image.pixels[y * 60 + x] = 0 } }
        let png = Data(try image.pngData())
        let predict = server.url.appendingPathComponent("api/predict")
        let stop = StopFlag()
        // Four clients sending predictions back to back until told to stop.
        async let statuses: [Int] = withThrowingTaskGroup(of: [Int].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    var seen: [Int] = []
                    while !stop.raised.load(ordering: .relaxed) {
                        seen.append(try await Self.request(predict, method: "POST", body: png).0)
                        stop.answered.add(1, ordering: .relaxed)
                    }
                    return seen
                }
            }
            return try await group.reduce([], +)
        }

        // Requests before the switch, during it, and (below) after it, however busy the machine.
        try await stop.wait(forAnswers: 8)
        // The new file replaces the old one as a deploy would: written beside it, renamed over it.
        let staged = scratch.path("staged.safetensors")
        try Network(layerSizes: [784, 16, 10], seed: 2).save(to: staged, metadata: ["which": "second"])
        #expect(rename(staged, path) == 0)
        kill(server.process.processIdentifier, SIGHUP)
        var served: String?
        for _ in 0..<200 {
            served = try await Self.servedMetadata(server, "which")
            if served == "second" { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        try await stop.wait(forAnswers: stop.answered.load(ordering: .relaxed) + 8)
        stop.raised.store(true, ordering: .relaxed)
        let all = try await statuses

        #expect(served == "second", "\(server.log)")
        #expect(all.count >= 16, "requests sent around the switch: \(all.count)")
        #expect(all.allSatisfy { $0 == 200 }, "statuses: \(Dictionary(grouping: all, by: { $0 }).mapValues(\.count))")
        #expect(server.log.contains("SIGHUP: reloaded"), "\(server.log)")

        // A file that is not a model: the model served stays, and the server says why.
        try Data("not a model".utf8).write(to: URL(fileURLWithPath: path))
        kill(server.process.processIdentifier, SIGHUP)
        for _ in 0..<100 where !server.log.contains("kept the model served") { try await Task.sleep(for: .milliseconds(25)) }
        #expect(server.log.contains("SIGHUP: kept the model served"), "\(server.log)")
        #expect(try await Self.servedMetadata(server, "which") == "second")
        #expect(try await Self.request(predict, method: "POST", body: png).0 == 200)
    }
}
