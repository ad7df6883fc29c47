// Options that the settled run would ignore or cannot honour, refused before the data loads with
// where the conflicting value came from: an option given, the --recipe preset, or the checkpoint.

import ArgumentParser
import MNIST

extension MNISTTrain {
    /// Refuses options that `settings` would silently ignore, and a validation split that leaves
    /// nothing of a --limit to train on.
    /// - Throws: `ValidationError` naming the option and a way out.
    func checkOptions(apply settings: RunSettings) throws {
        let recipe = settings.recipe
        let usesMomentum = recipe.optimizer == .momentum || recipe.optimizer == .nesterov
        if momentum != nil && !usesMomentum {
            throw ValidationError("--momentum applies to --optimizer momentum or nesterov, and this run uses \(recipe.optimizer.rawValue)\(origin(given: optimizer != nil)); PyTorch's SGD(momentum=0.9) is --optimizer momentum --momentum 0.9")
        }
        if weightDecay != nil && recipe.optimizer == .adam {
            throw ValidationError("--weight-decay does nothing with adam\(origin(given: optimizer != nil)); use --optimizer adamw for decoupled weight decay (PyTorch's AdamW)")
        }
        if imagesDir == nil, let limit = settings.limit, recipe.validation >= limit {
            throw ValidationError("\(validationText(recipe)) leaves no training images of the \(limit) that --limit \(limit) keeps; give a smaller --validation or a larger --limit")
        }
    }

    /// `--validation 5000`, saying where the value came from when it was not given.
    func validationText(_ recipe: TrainingRecipe) -> String {
        "--validation \(recipe.validation)\(origin(given: validation != nil))"
    }

    /// Where a recipe value came from, when the option was not given: ` (from --recipe small)`,
    /// ` (from the checkpoint)` or ` (the default)`.
    private func origin(given: Bool) -> String {
        if given { return "" }
        if let resume { return " (from the checkpoint \(resume))" }
        if let recipe { return " (from --recipe \(recipe))" }
        return " (the default)"
    }
}
