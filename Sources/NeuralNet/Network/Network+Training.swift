// Training a network in one call.

extension Network {
    /// Trains on `training` with `options`, evaluating on `test` after every epoch (and choosing
    /// the best epoch on `validation`, if given). See `Trainer`.
    /// - Returns: one summary per epoch.
    /// - Throws: `NeuralNetError.diverged` when the loss runs away or stops being finite.
    @discardableResult
    public func train(
        on training: Dataset, validation: Dataset? = nil, testingOn test: Dataset, options: TrainingOptions,
        progress: (TrainingProgress) -> Void = { _ in },
        epochEnded: (EpochSummary) -> Void = { _ in }
    ) throws(NeuralNetError) -> [EpochSummary] {
        let trainer = Trainer(network: self, training: training, validation: validation, test: test, options: options)
        do {
            try trainer.run(progress: progress, epochEnded: epochEnded)
        } catch let error as NeuralNetError {
            throw error
        } catch {
            preconditionFailure("epochEnded does not throw: \(error)")
        }
        return trainer.state.history
    }
}
