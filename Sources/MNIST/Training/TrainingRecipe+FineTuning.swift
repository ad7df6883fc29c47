// The recipe of a fine-tune: a trained network taught a little more (mnist-train --init).

import NeuralNet

extension TrainingRecipe {
    /// Fine-tuning `layers` (a trained network's): one epoch of the mix (see `ReplayMix`) with
    /// AdamW at 3e-4, no weight decay, batches of 64, constant step size, no distortions.
    ///
    /// A small step size moves the weights only a little, which is what keeps MNIST's accuracy;
    /// the values were compared on a stand-in hand's tuning folder (README, "Teach it your
    /// handwriting").
    public static func fineTuning(_ layers: Architecture) -> TrainingRecipe {
        TrainingRecipe(
            name: "finetune", layers: layers, epochs: 1, batchSize: 64, optimizer: .adamw,
            learningRate: 3e-4, momentum: 0.9, weightDecay: 0, schedule: .constant, warmupEpochs: 0,
            dropout: 0, augmentation: .none, validation: 0, patience: nil)
    }
}
