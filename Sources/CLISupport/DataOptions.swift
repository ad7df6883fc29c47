// `--data`: the directory of MNIST-style IDX files a tool reads.

import ArgumentParser
import MNIST

/// The `--data` option of the tools that read MNIST's IDX files.
public struct DataOptions: ParsableArguments {
    // No check here: the loader names the missing or malformed file far better, and a tool may
    // not read --data at all (mnist-train --dataset edges, mnist-eval --images).
    @Option(help: ArgumentHelp("Directory holding MNIST's IDX files, gzip or raw (the train pair and the t10k test pair).", valueName: "dir"))
    public var data: String = MNISTDataset.bundledDataDirectory

    public init() {}
}
