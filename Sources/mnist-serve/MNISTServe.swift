// mnist-serve: the drawing-pad demo. Serves the page, which sends what is drawn to
// POST /api/predict and shows the digit, the ten probabilities, the 28×28 image the network saw
// and the saliency of the predicted class. Listens on loopback unless told otherwise.

import ArgumentParser
import CLISupport
import Foundation
import Hummingbird
import MNIST

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

            With --collect DIR the page also asks, after each answer, which digit it was (one \
            click or key) and saves the drawing under DIR/<digit>/; "Learn from my digits" \
            fine-tunes the served model on them in the background, as mnist-train --init \
            --images-dir does, and serves the new model if it reads the held-out digits better \
            while losing at most 0.3 points on the MNIST test set.

            The page uses a JSON API (POST /api/predict with a PNG body, GET /api/model, \
            GET /healthz; POST /api/samples and /api/learn with --collect), described in \
            docs/serve.md. SIGHUP reloads the model file served. Ctrl-C stops the server.

            Example: mnist-serve --model model.safetensors --port 8080
            """,
        version: ToolVersion.text)

    @OptionGroup var modelOptions: ModelOptions

    @Option(help: ArgumentHelp("The address to listen on; anything but loopback makes the page reachable from other machines.", valueName: "address"))
    var host: String = "127.0.0.1"

    @Option(parsing: .unconditional, help: ArgumentHelp("The TCP port to listen on (0: any free port).", valueName: "port"))
    var port: Int = 8080

    @Option(help: ArgumentHelp("Save the drawings the page's user confirms or corrects under DIR/<digit>/, and offer to learn from them (off by default).", valueName: "dir"))
    var collect: String?

    @Option(help: ArgumentHelp("The most image files --collect keeps; further drawings are refused (507).", valueName: "n"))
    var collectLimit: Int = SampleStore.defaultLimit

    @OptionGroup var dataOptions: DataOptions

    @Option(help: ArgumentHelp("Answers less confident than this (0 to 1) are marked unsure; 0.95 was chosen on the validation split of the --recipe small model.", valueName: "p"))
    var unsureBelow: Float = DigitClassifier.defaultUnsureBelow

    func validate() throws {
        guard (0...1).contains(unsureBelow) else { throw ValidationError("--unsure-below must be between 0 and 1, got \(unsureBelow)") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, got \(port)") }
        guard !host.isEmpty else { throw ValidationError("--host must not be empty") }
        guard collectLimit > 0 else { throw ValidationError("--collect-limit must be positive, got \(collectLimit)") }
        if collect == nil && collectLimit != SampleStore.defaultLimit {
            throw ValidationError("--collect-limit limits the drawings --collect keeps; give --collect DIR")
        }
    }

    func run() async throws {
        Terminal.lineBufferStandardOutput()
        // A missing or broken model is the user's to fix: its message, status 1, no usage text.
        let classifier = try DigitClassifier(modelPath: modelOptions.model, unsureBelow: unsureBelow)
        let model = ServedModel(classifier)
        let collecting = try collect.map { try makeCollecting(in: $0, model: model) }
        let collectionText = collecting.map(collectionLine) ?? ""
        let hangup = reloadOnHangup(model)
        let address = ListeningAddress(host: host, port: port)
        let app = makeApplication(
            model: model, collecting: collecting,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "mnist-serve"),
            onRunning: { boundPort in
                // With --port 0 only the server knows the port the system chose. Written
                // unbuffered: scripts wait for the first URL to learn where the server is.
                var lines = "mnist-serve: \(classifier.summary); \(classifier.copies) networks (one per core)\n"
                lines += collectionText
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
        withExtendedLifetime(hangup) {}
        print("mnist-serve: stopped")
    }

    /// The folder --collect names, opened, and learning from it unless MNIST's data is missing.
    /// - Throws: `RunFailure` when the folder cannot be used.
    private func makeCollecting(in directory: String, model: ServedModel) throws -> Collecting {
        let store: SampleStore
        do {
            store = try SampleStore(directory: directory, limit: collectLimit)
        } catch {
            throw RunFailure("--collect \(error)")
        }
        do {
            try MNISTDataset.checkFiles(directory: dataOptions.data)
        } catch {
            let reason = "learning from your digits needs MNIST's data (replay and the test set), and \(error); give --data DIR"
            return Collecting(store: store, learning: nil, learningOff: reason)
        }
        let job = LearningJob(served: model, collection: directory, dataDirectory: dataOptions.data, basePath: modelOptions.model)
        return Collecting(store: store, learning: LearningRuns(job: job.run), learningOff: nil)
    }

    /// The start-up line about --collect.
    private func collectionLine(_ collecting: Collecting) -> String {
        let total = collecting.store.classCounts.reduce(0, +)
        let learning = collecting.learningOff.map { "learning is off: \($0)" } ?? "learning from them on the page"
        return "collecting digits in \(collecting.store.directory) (\(total) so far, at most \(collecting.store.limit)); \(learning)\n"
    }
}
