// mnist-serve: the drawing-pad demo. Serves the page, which sends what is drawn to
// POST /api/predict and shows the digit, the ten probabilities, the 28×28 image the network saw
// and the saliency of the predicted class. Listens on loopback unless told otherwise.

import ArgumentParser
import CLISupport
import Foundation
import Hummingbird

@main
struct MNISTServe: AsyncToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "mnist-serve",
        abstract: "Serve a page to draw a digit on and watch the model read it.",
        discussion: """
            Open the printed URL in a browser, draw a digit with the mouse, a finger or a pen, \
            or drop a PNG onto the pad. The page shows the predicted digit, the ten \
            probabilities, the 28×28 image the network received (the same preprocessing as \
            mnist-predict) and a heat map of the pixels that pushed the prediction up or down.

            The page uses a JSON API (POST /api/predict with a PNG body, GET /api/model, \
            GET /healthz), described in docs/serve.md. Ctrl-C stops the server.

            Example: mnist-serve --model model.safetensors --port 8080
            """,
        version: ToolVersion.text)

    @OptionGroup var modelOptions: ModelOptions

    @Option(help: ArgumentHelp("The address to listen on; anything but loopback makes the page reachable from other machines.", valueName: "address"))
    var host: String = "127.0.0.1"

    @Option(parsing: .unconditional, help: ArgumentHelp("The TCP port to listen on (0: any free port).", valueName: "port"))
    var port: Int = 8080

    @Option(help: ArgumentHelp("Answers less confident than this (0 to 1) are marked unsure; 0.95 was chosen on the validation split of the --recipe small model.", valueName: "p"))
    var unsureBelow: Float = DigitClassifier.defaultUnsureBelow

    func validate() throws {
        guard (0...1).contains(unsureBelow) else { throw ValidationError("--unsure-below must be between 0 and 1, got \(unsureBelow)") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, got \(port)") }
        guard !host.isEmpty else { throw ValidationError("--host must not be empty") }
    }

    func run() async throws {
        Terminal.lineBufferStandardOutput()
        // A missing or broken model is the user's to fix: its message, status 1, no usage text.
        let classifier = try DigitClassifier(modelPath: modelOptions.model, unsureBelow: unsureBelow)
        let address = ListeningAddress(host: host, port: port)
        let app = makeApplication(
            classifier: classifier,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "mnist-serve"),
            onRunning: { boundPort in
                // With --port 0 only the server knows the port the system chose. Written
                // unbuffered: scripts wait for the first URL to learn where the server is.
                var lines = "mnist-serve: \(classifier.summary); \(classifier.copies) networks (one per core)\n"
                lines += "open \(address.localURL(port: boundPort)) (Ctrl-C stops the server)\n"
                let others = address.networkURLs(port: boundPort)
                if !others.isEmpty {
                    lines += "from a phone or another computer on the same network: \(others.joined(separator: " or "))\n"
                }
                FileHandle.standardOutput.write(Data(lines.utf8))
            })
        do {
            try await app.runService()
        } catch {
            guard let sentence = address.explain(error) else { throw error }
            throw RunFailure(sentence)
        }
        print("mnist-serve: stopped")
    }
}
