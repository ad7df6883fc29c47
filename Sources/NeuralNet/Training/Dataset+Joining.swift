// Building one training set from several: the pieces of a fine-tuning mix, and a hold-out that
// takes the same number of samples from every class.

extension Dataset {
    /// The samples of `parts`, one part after another; every part must have the same feature
    /// count, class count and kind of features (bytes with one scale, or floats).
    public static func joining(_ parts: [Dataset]) -> Dataset {
        precondition(!parts.isEmpty, "nothing to join")
        let first = parts[0]
        precondition(parts.allSatisfy { $0.featureCount == first.featureCount && $0.classCount == first.classCount },
                     "joined datasets differ in feature or class count")
        let features: Features
        switch first.features {
        case .bytes(_, let scale):
            features = .bytes(parts.flatMap { part -> [UInt8] in
                guard case .bytes(let bytes, let partScale) = part.features, partScale == scale else {
                    preconditionFailure("joined datasets differ in kind of features")
                }
                return bytes
            }, scale: scale)
        case .floats:
            features = .floats(parts.flatMap { part -> [Float] in
                guard case .floats(let floats) = part.features else { preconditionFailure("joined datasets differ in kind of features") }
                return floats
            })
        }
        return Dataset(features: features, labels: parts.flatMap(\.labels), featureCount: first.featureCount, classCount: first.classCount)
    }

    /// Splits off `perClass` samples of every class, chosen at random with `seed`: the rest and
    /// the held-out samples, each in their original order. A class with `perClass` samples or
    /// fewer is held out whole; callers that need some of every class left check the counts first.
    public func holdingOut(perClass: Int, seed: UInt64) -> (rest: Dataset, heldOut: Dataset) {
        var generator = SeededGenerator(seed: seed)
        var order = Array(0..<count)
        order.fisherYatesShuffle(using: &generator)
        var taken = [Int](repeating: 0, count: classCount)
        var heldOut = Set<Int>()
        for sample in order where taken[labels[sample]] < perClass {
            taken[labels[sample]] += 1
            heldOut.insert(sample)
        }
        return (subset((0..<count).filter { !heldOut.contains($0) }), subset((0..<count).filter { heldOut.contains($0) }))
    }

    /// How many samples each class has.
    public var classCounts: [Int] {
        var counts = [Int](repeating: 0, count: classCount)
        for label in labels { counts[label] += 1 }
        return counts
    }
}
