// Metrics on cases small enough to work out by hand: a confusion matrix, per-class precision,
// recall and F1, the loss, the most frequent confusions, and calibration (ECE 0 for a perfectly
// calibrated toy, the full gap for an overconfident one).

import Foundation
import MNIST
import NeuralNet
import TestSupport
import Testing

@Suite struct MetricsTests {
    // Seven samples of three classes. By hand (rows true, columns predicted):
    //   true 0: predicted 0, 1          → [1, 1, 0]
    //   true 1: predicted 1, 1          → [0, 2, 0]
    //   true 2: predicted 2, 0, 2       → [1, 0, 2]
    static let labels = [0, 0, 1, 1, 2, 2, 2]
    static let predicted = [0, 1, 1, 1, 2, 0, 2]
    static let metrics = ClassificationMetrics(
        probabilities: probabilityRows(predicted: predicted, confidence: [0.6, 0.7, 0.8, 0.9, 0.6, 0.5, 0.9], classes: 3),
        labels: labels)

    @Test func confusionMatrixByHand() {
        #expect(Self.metrics.confusion.counts == [[1, 1, 0], [0, 2, 0], [1, 0, 2]])
        #expect(Self.metrics.predictions == Self.predicted)
        #expect(Self.metrics.correct == 5)
        #expect(Self.metrics.count == 7)
        #expect(abs(Self.metrics.accuracy - 5.0 / 7.0) < 1e-12)
    }

    // precision = TP / predicted as the class, recall = TP / support, F1 their harmonic mean.
    @Test(arguments: [
        (0, 1.0 / 2.0, 1.0 / 2.0, 1.0 / 2.0, 2),
        (1, 2.0 / 3.0, 1.0, 0.8, 2),
        (2, 1.0, 2.0 / 3.0, 0.8, 3),
    ])
    func perClassScores(label: Int, precision: Double, recall: Double, f1: Double, support: Int) {
        let scores = Self.metrics.classes[label]
        #expect(scores.label == label)
        #expect(abs(scores.precision - precision) < 1e-12)
        #expect(abs(scores.recall - recall) < 1e-12)
        #expect(abs(scores.f1 - f1) < 1e-12)
        #expect(scores.support == support)
    }

    @Test func macroF1IsTheMeanOfTheClasses() {
        #expect(abs(Self.metrics.macroF1 - (0.5 + 0.8 + 0.8) / 3) < 1e-12)
    }

    // scikit-learn's f1_score(y, p, average="macro") averages over the labels present in y or p.
    // Ten classes, only sevens: all read as 7 → 1.0 (not 1/10). Three of four read as 7 and one
    // as 1 → classes {1, 7}: F1(7) = 2·1·¾ / (1 + ¾) = 6/7, F1(1) = 0 (predicted, never right),
    // so 3/7 (sklearn: 0.428571…).
    @Test(arguments: [([7, 7, 7, 7], 1.0, 1), ([7, 7, 7, 1], 3.0 / 7.0, 2)])
    func macroF1AveragesOverTheClassesPresent(predicted: [Int], macroF1: Double, present: Int) {
        let metrics = ClassificationMetrics(
            probabilities: probabilityRows(predicted: predicted, confidence: [0.9, 0.9, 0.9, 0.9], classes: 10),
            labels: [7, 7, 7, 7])
        #expect(abs(metrics.macroF1 - macroF1) < 1e-12)
        #expect(metrics.presentClasses.count == present)
        #expect(metrics.classes[7].isPresent && !metrics.classes[3].isPresent)
        #expect(metrics.classes[1].isPresent == (predicted.contains(1)))
    }

    @Test func lossIsTheMeanNegativeLogProbabilityOfTheTrueClass() {
        // The true class got the confidence where the prediction was right, else (1 − c) / 2.
        let p: [Double] = [0.6, 0.15, 0.8, 0.9, 0.6, 0.25, 0.9]
        let expected = p.map { -log($0) }.reduce(0, +) / 7
        #expect(abs(Self.metrics.loss - expected) < 1e-6)
    }

    @Test func aProbabilityOfZeroGivesAFiniteLoss() {
        let metrics = ClassificationMetrics(probabilities: Matrix([[1, 0]]), labels: [1])
        #expect(metrics.loss.isFinite)
        #expect(metrics.loss > 80)
    }

    @Test func topConfusionsAreMostFrequentFirstThenInClassOrder() {
        let confusion = ConfusionMatrix(counts: [[5, 2, 0], [3, 4, 2], [0, 3, 6]])
        let top = confusion.topConfusions(limit: 3)
        #expect(top == [
            .init(actual: 1, predicted: 0, count: 3),
            .init(actual: 2, predicted: 1, count: 3),
            .init(actual: 0, predicted: 1, count: 2),
        ])
        #expect(confusion.topConfusions(limit: 10).count == 4)
        #expect(confusion.largestConfusion == 3)
        #expect(ConfusionMatrix(counts: [[3, 0], [0, 4]]).topConfusions(limit: 5).isEmpty)
    }

    @Test func supportAndPredictedCountsAreRowAndColumnSums() {
        let confusion = ConfusionMatrix(counts: [[5, 2, 0], [3, 4, 2], [0, 3, 6]])
        #expect(confusion.support == [7, 9, 9])
        #expect(confusion.predictedCounts == [8, 9, 8])
        #expect(confusion.total == 25)
        #expect(confusion.correct == 15)
    }

    @Test func aClassNeverPredictedHasPrecisionZeroNotNaN() {
        let scores = ClassScores.all(from: ConfusionMatrix(counts: [[2, 0], [1, 0]]))
        #expect(scores[1].precision == 0)
        #expect(scores[1].f1 == 0)
        #expect(scores[0].precision == 2.0 / 3.0)
    }

    @Test func mostConfidentMistakesComeFirst() {
        let mistakes = Self.metrics.mostConfidentMistakes(limit: 5)
        // Wrong: sample 1 (true 0 → 1, 0.7) and sample 5 (true 2 → 0, 0.5).
        #expect(mistakes.map(\.index) == [1, 5])
        #expect(mistakes[0].actual == 0 && mistakes[0].predicted == 1)
        #expect(abs(mistakes[0].confidence - 0.7) < 1e-6)
        #expect(Self.metrics.mostConfidentMistakes(limit: 1).map(\.index) == [1])
    }

    @Test func anEmptySetGivesZerosNotNaN() {
        let metrics = ClassificationMetrics(probabilities: Matrix(rows: 0, columns: 10), labels: [])
        #expect(metrics.accuracy == 0)
        #expect(metrics.loss == 0)
        #expect(metrics.calibration.expectedCalibrationError == 0)
        #expect(metrics.confusion.total == 0)
    }
}

@Suite struct CalibrationTests {
    @Test func aPerfectlyCalibratedToyHasNoCalibrationError() {
        // 75% sure and right 3 times in 4; 50% sure and right once in 2; 100% sure and always right.
        let confidences: [Float] = [0.75, 0.75, 0.75, 0.75, 0.5, 0.5, 1, 1, 1]
        let correct = [true, true, true, false, true, false, true, true, true]
        let calibration = Calibration(confidences: confidences, correct: correct, binCount: 10)
        #expect(calibration.expectedCalibrationError < 1e-12)
        #expect(calibration.bins.map(\.count) == [0, 0, 0, 0, 0, 2, 0, 3 + 1, 0, 3])
        #expect(abs(calibration.meanConfidence - calibration.accuracy) < 1e-12)
    }

    @Test func aNaNConfidenceCountsAsZeroInsteadOfTrapping() {
        let calibration = Calibration(confidences: [.nan, 0.95], correct: [false, true], binCount: 10)
        #expect(calibration.bins.map(\.count) == [1, 0, 0, 0, 0, 0, 0, 0, 0, 1])
        #expect(calibration.meanConfidence.isFinite)
        #expect(calibration.expectedCalibrationError.isFinite)
    }

    @Test func anOverconfidentModelHasTheWholeGapAsError() {
        // Always 87.5% sure (exact in binary, so it lands in bin 0.8–0.9 without rounding doubts),
        // right half the time: ECE = |0.5 − 0.875| = 0.375.
        let calibration = Calibration(confidences: [0.875, 0.875, 0.875, 0.875], correct: [true, false, true, false], binCount: 10)
        #expect(abs(calibration.expectedCalibrationError - 0.375) < 1e-9)
        #expect(calibration.bins[8].count == 4)
        #expect(calibration.bins[8].meanConfidence == 0.875)
        #expect(calibration.bins[8].accuracy == 0.5)
        #expect(calibration.meanConfidence == 0.875)
    }

    @Test func theErrorWeighsBinsBySize() {
        // Bin 0.2–0.3: 1 sample, 0.25 sure, wrong (gap 0.25); bin 0.9–1: 3 samples, 0.95 sure,
        // all right (gap 0.05). ECE = 1/4 · 0.25 + 3/4 · 0.05 = 0.1.
        let calibration = Calibration(confidences: [0.25, 0.95, 0.95, 0.95], correct: [false, true, true, true], binCount: 10)
        #expect(abs(calibration.expectedCalibrationError - 0.1) < 1e-6)
    }

    @Test(arguments: [1, 5, 10, 20])
    func binsCoverZeroToOne(binCount: Int) {
        let calibration = Calibration(confidences: [0, 0.5, 1], correct: [true, true, true], binCount: binCount)
        #expect(calibration.bins.count == binCount)
        #expect(calibration.bins.first?.lower == 0)
        #expect(calibration.bins.last?.upper == 1)
        #expect(calibration.bins.reduce(0) { $0 + $1.count } == 3)
    }

    @Test func metricsUseTheLargestProbabilityAsConfidence() {
        let metrics = ClassificationMetrics(
            probabilities: Matrix([[0.75, 0.25], [0.75, 0.25], [0.75, 0.25], [0.25, 0.75]]), labels: [0, 0, 1, 1])
        #expect(metrics.confidences == [0.75, 0.75, 0.75, 0.75])
        #expect(metrics.calibration.expectedCalibrationError < 1e-6)
    }
}
