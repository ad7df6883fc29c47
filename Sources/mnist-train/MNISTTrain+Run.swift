// mnist-train's run: check the outputs, settle the settings (fresh or from a checkpoint), load the
// data, train with checkpoints and Ctrl-C handling, then save the model and report.

import ArgumentParser
import CLISupport
import Foundation
import MNIST
import NeuralNet
import Reports

extension MNISTTrain {
    func run() throws {
        Terminal.lineBufferStandardOutput()
        // Fail before the work: every path the run will write is checked first.
        try checkFineTuneOptions()
        try checkOutputs()
        let checkpointPath = outputs.checkpoint?.path

        let resumed = try resume.map(loadCheckpoint)
        // A fine-tune is never resumed, so its thread count is the option's.
        let pool = ComputePool(threadCount: resumed?.settings.threads ?? threadOptions.threads)
        let initial = try initialNetwork(pool: pool)
        let settings = try resumed.map { try agreeing(with: $0.settings, checkpoint: resume!) }
            ?? (initModel != nil || imagesDir != nil ? fineTuneSettings(initial: initial?.architecture) : freshSettings())
        try checkOptions(apply: settings)
        let recipe = settings.recipe
        if recipe.patience != nil && recipe.validation == 0 {
            throw ValidationError("--patience needs a validation split to watch: add --validation N")
        }
        let folder = try loadImageFolder(validationPerClass: recipe.validation)
        // A model that cannot take the folder's images is refused before MNIST loads.
        if let initial, let folder { try checkShape(initial.architecture, against: folder.dataset) }

        let loadStart = Date()
        let (allTraining, test) = try loadData(settings)
        guard folder != nil || recipe.validation < allTraining.count else {
            throw ValidationError("\(validationText(recipe)) leaves no training images of the \(allTraining.count) loaded; give a smaller --validation")
        }
        let architecture: Architecture
        if let initial {
            architecture = initial.architecture
        } else {
            do {
                architecture = try recipe.network()
            } catch {
                throw ValidationError(error.description)
            }
        }
        try checkShape(architecture, against: allTraining)
        let training: Dataset, validation: Dataset?
        let fineTuning = folder.map { fineTuneData($0, replay: allTraining, settings: settings) }
        if let fineTuning {
            (training, validation) = (fineTuning.training, fineTuning.heldOut)
        } else {
            (training, validation) = recipe.validation > 0
                ? allTraining.holdingOut(recipe.validation, seed: settings.seed)
                : (allTraining, nil)
        }
        let loadSeconds = Date().timeIntervalSince(loadStart)

        let network = initial ?? Network(architecture: architecture, seed: settings.seed, pool: pool)
        let trainer = try fineTuning?.trainer(network: network, recipe: recipe, test: test, seed: settings.seed)
            ?? Trainer(network: network, training: training, validation: validation, test: test,
                       options: recipe.trainingOptions(seed: settings.seed))
        printHeader(settings, network: network, training: training, validation: validation, test: test, loadSeconds: loadSeconds)
        if let fineTuning { print(mixText(taught: fineTuning.taught, training: training)) }
        if initial != nil { printStartingPoint(network, validation: validation, test: test) }
        if let resumed {
            do {
                try trainer.resume(from: resumed.document)
            } catch {
                throw RunFailure("--resume: \(resume!): \(error)")
            }
            print("resumed from \(resume!) after \(trainer.state.epochsDone) epoch(s) and \(trainer.state.batchesDone) batch(es)")
        }

        let display = ProgressDisplay(epochs: recipe.epochs)
        let checkpointFile = checkpointPath.map { path in
            CheckpointFile(path: path, resumed: path == resume ? (trainer.state.epochsDone, trainer.state.batchesDone) : nil)
        }
        let saveCheckpoint = { () throws in
            guard let checkpointFile else { return }
            let document = trainer.checkpoint(metadata: [RunSettings.metadataKey: settings.json])
            try checkpointFile.save(document, epochs: trainer.state.epochsDone, batches: trainer.state.batchesDone)
        }
        InterruptFlag.install()
        let outcome: Trainer.Outcome
        do {
            outcome = try trainer.run(
                progress: display.update,
                epochEnded: { summary in
                    display.epochEnded(summary)
                    try saveCheckpoint()
                },
                shouldStop: { InterruptFlag.isRaised })
        } catch let error as NeuralNetError {
            display.endLine()
            let kept = checkpointFile.map { "; \($0.keptText)" } ?? ""
            throw RunFailure("\(error)\(kept). No model was written.")
        } catch {
            display.endLine()
            throw error
        }
        if outcome == .interrupted {
            display.endLine()
            // "interrupted at" for Ctrl-C, as before; other requests are named.
            let how = InterruptFlag.requestName.flatMap { $0 == "Ctrl-C" ? nil : " by \($0)" } ?? ""
            let position = "epoch \(trainer.state.epochsDone + 1), batch \(trainer.state.batchesDone)"
            if let checkpointFile {
                try saveCheckpoint()
                print("interrupted\(how) at \(position): checkpoint written to \(checkpointFile.path); continue with --resume \(checkpointFile.path)")
            } else {
                print("interrupted\(how) at \(position): no model was written (--checkpoint PATH keeps a run's progress)")
            }
            throw ExitCode(InterruptFlag.exitStatus)
        }
        try finish(trainer, settings: settings, outcome: outcome, extraMetadata: fineTuneMetadata(fineTuning))
    }

    /// Saves the model, the report if asked for, and prints the final lines.
    private func finish(_ trainer: Trainer, settings: RunSettings, outcome: Trainer.Outcome, extraMetadata: [String: String]) throws {
        let network = trainer.network
        let history = trainer.state.history
        let bestEpoch = trainer.validation == nil ? nil : trainer.state.best?.epoch
        // The saved weights are the best validation epoch's: their test figures, not the last epoch's.
        var final = bestEpoch == nil || bestEpoch == history.count ? history.last!.test : network.evaluate(on: trainer.test)
        if outcome == .stoppedEarly { print("stopped early: no better validation accuracy for \(settings.recipe.patience!) epochs") }
        if let bestEpoch, let best = trainer.state.best {
            print(String(format: "best validation epoch %d: %.2f%%; its weights are the model's", bestEpoch, 100 * best.validation.accuracy))
        }
        var calibration: [String: String] = [:]
        if settings.recipe.labelSmoothing != nil {
            // Label smoothing leaves every answer about 91% sure; a temperature fitted on the
            // training images (as they are, undistorted) gives confidences back their meaning.
            let temperature = network.fittedTemperature(on: trainer.training)
            network.divideLogits(by: temperature)
            final = network.evaluate(on: trainer.test)
            calibration["temperature"] = String(format: "%.4f", temperature)
            print(String(format: "label smoothing: logits divided by %.2f, fitted on the training images (answers unchanged; test loss %.4f)", temperature, final.loss))
        }
        let metadata = ModelMetadata.training(
            dataset: settings.dataset, options: trainer.options, seed: settings.seed, history: history,
            threads: settings.threads, limit: settings.limit, recipe: settings.recipe.metadata, bestEpoch: bestEpoch, finalTest: final
        ).merging(extraMetadata) { _, extra in extra }.merging(calibration) { _, new in new }
        try network.save(to: output, metadata: metadata)
        print("model written to \(output)")
        if let html {
            let report = EvaluationReport(
                network: network, dataset: trainer.test, modelPath: output,
                dataDescription: settings.dataset == "mnist" ? dataOptions.data : "synthetic edge patches", metadata: metadata)
            print("HTML report written to \(try report.writeHTML(toDirectory: html))")
        }
        print(String(format: "test accuracy: %.2f%% (%d/%d)", 100 * final.accuracy, final.correct, final.count))
    }

    private func printHeader(
        _ settings: RunSettings, network: Network, training: Dataset, validation: Dataset?, test: Dataset, loadSeconds: Double
    ) {
        let recipe = settings.recipe
        let held = validation.map { ", validating on \($0.count)" } ?? ""
        print("training [\(network.architecture)] (\(network.parameterCount) parameters) on \(training.count) samples\(held), testing on \(test.count) (loaded in \(String(format: "%.2f", loadSeconds))s)")
        var line = "\(recipe.epochs) epoch\(recipe.epochs == 1 ? "" : "s"), batch \(recipe.batchSize), \(recipe.optimizer.rawValue) with learning rate \(recipe.learningRate)"
        if recipe.schedule != .constant { line += " on a \(recipe.schedule.rawValue) schedule" }
        if recipe.warmupEpochs > 0 { line += " after \(recipe.warmupEpochs) warm-up epoch(s)" }
        if recipe.weightDecay > 0 { line += ", weight decay \(recipe.weightDecay)" }
        if recipe.dropout > 0 { line += ", dropout \(recipe.dropout)" }
        if recipe.augmentation.kind != .none { line += ", \(recipe.augmentation.kind.rawValue) distortions" }
        if let smoothing = recipe.labelSmoothing { line += ", label smoothing \(smoothing)" }
        if let patience = recipe.patience { line += ", patience \(patience)" }
        line += ", seed \(settings.seed), \(settings.threads) thread\(settings.threads == 1 ? "" : "s")"
        if recipe.name != TrainingRecipe.standard.name { line = "recipe \(recipe.name): " + line }
        print(line)
    }

    private func checkShape(_ architecture: Architecture, against training: Dataset) throws {
        let source = initModel.map { "--init \($0): the model" } ?? "--layers"
        guard architecture.input.count == training.featureCount else {
            throw ValidationError("\(source) starts with \(architecture.input) inputs but the data has \(training.featureCount) features per sample")
        }
        guard architecture.classCount == training.classCount else {
            throw ValidationError("\(source) ends with \(architecture.classCount) outputs but the data has \(training.classCount) classes")
        }
    }

    /// The --init model's accuracy before any training, on the test set and the held-out images.
    private func printStartingPoint(_ network: Network, validation: Dataset?, test: Dataset) {
        var line = String(format: "before: test %.2f%%", 100 * network.evaluate(on: test).accuracy)
        if let validation { line += String(format: ", validation %.2f%%", 100 * network.evaluate(on: validation).accuracy) }
        print(line + " (\(initModel!))")
    }

    private func loadData(_ settings: RunSettings) throws -> (Dataset, Dataset) {
        if settings.dataset == DatasetChoice.edges.rawValue {
            return (EdgeDataset.make(count: settings.limit ?? 1000, seed: settings.seed), EdgeDataset.make(count: 200, seed: settings.seed &+ 1))
        }
        let (training, test) = try MNISTDataset.load(directory: dataOptions.data)
        return (settings.limit.map { training.prefix($0) } ?? training, test)
    }

    /// The checkpoint at `path` and the settings it was started with.
    private func loadCheckpoint(_ path: String) throws -> (document: SafeTensors, settings: RunSettings) {
        let bytes: [UInt8]
        do {
            bytes = try readFile(path)
        } catch {
            throw RunFailure("--resume: \(error)")
        }
        let document: SafeTensors
        do {
            document = try SafeTensors(decoding: bytes)
        } catch {
            // A PNG given as --resume fails on its "header length"; say what the file is, as --model does.
            let what = FileSignature.kind(of: bytes).map { "this is \($0), not a checkpoint" } ?? "\(error)"
            throw RunFailure("--resume: \(path): \(what)")
        }
        guard let settings = RunSettings(metadata: document.metadata) else {
            throw RunFailure("--resume: \(path): \(CheckpointError.notACheckpoint)")
        }
        return (document, settings)
    }
}

extension LearningRateSchedule: ExpressibleByArgument {}
extension TrainingRecipe.OptimizerKind: ExpressibleByArgument {}
extension DigitAugmentation.Kind: ExpressibleByArgument {}
