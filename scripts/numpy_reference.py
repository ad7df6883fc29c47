#!/usr/bin/env python3
"""The tutorial's MNIST MLP in plain NumPy float32: the reference that scripts/bench compares with.

The algorithm is the straightforward one: He-initialised weights, X @ W + b, ReLU with boolean
masks, a numerically stable softmax with cross-entropy, gradient (p - y) / batch, plain SGD
(lr 0.1), a fresh shuffle every epoch, the last partial batch kept (938 steps per epoch at 64).

Prints one JSON line per measurement on standard output, keys as mnist-bench's
(median_seconds, min_seconds, max_seconds, runs, items_per_second, other_cores), plus the BLAS that
threadpoolctl reports; a human summary goes to standard error.

Example:
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 scripts/numpy_reference.py --threads 2
"""

import argparse
import gzip
import json
import os
import statistics
import struct
import sys
import time


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default="data/mnist", help="directory with the four gzip IDX files (default: %(default)s)")
    parser.add_argument("--threads", type=int, default=2, help="BLAS threads, set as OPENBLAS_NUM_THREADS before NumPy loads (default: %(default)s)")
    parser.add_argument("--layers", default="784,128,64,10", help="layer sizes, comma-separated (default: %(default)s)")
    parser.add_argument("--batch-size", type=int, default=64, help="samples per SGD step (default: %(default)s)")
    parser.add_argument("--epochs", type=int, default=5, help="timed epochs; the median is reported (default: %(default)s)")
    parser.add_argument("--learning-rate", type=float, default=0.1, help="SGD step size (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=42, help="seed for weights and shuffles (default: %(default)s)")
    parser.add_argument("--accuracy", action="store_true", help="also evaluate the test accuracy after training")
    parser.add_argument("--load", action="store_true", help="also time loading the gzip files into float32 arrays")
    parser.add_argument("--inference", action="store_true", help="also time the forward pass over the test set")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs for --load and --inference (default: %(default)s)")
    return parser.parse_args()


def read_idx(path):
    """The array in a gzip IDX file, after checking its magic number and size."""
    import numpy as np

    with gzip.open(path, "rb") as file:
        raw = file.read()
    zero, dtype_code, rank = struct.unpack(">HBB", raw[:4])
    if zero != 0 or dtype_code != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    shape = struct.unpack(">" + "I" * rank, raw[4:4 + 4 * rank])
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank)
    if data.size != int(np.prod(shape)):
        raise ValueError(f"{path}: header says {shape}, found {data.size} bytes")
    return data.reshape(shape)


def load_mnist(directory):
    """(x_train, y_train, x_test, y_test): images as float32 rows scaled to 0..1, labels as int64."""
    import numpy as np

    def images(name):
        array = read_idx(os.path.join(directory, name))
        return array.reshape(array.shape[0], -1).astype(np.float32) / np.float32(255)

    def labels(name):
        return read_idx(os.path.join(directory, name)).astype(np.int64)

    return (images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz"),
            images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz"))


class MLP:
    """Linear, ReLU, ..., Linear with softmax cross-entropy, weights stored (in x out)."""

    def __init__(self, sizes, rng):
        import numpy as np

        self.weights = [(rng.standard_normal((m, n)) * np.sqrt(2.0 / m)).astype(np.float32)
                        for m, n in zip(sizes[:-1], sizes[1:])]
        self.biases = [np.zeros(n, dtype=np.float32) for n in sizes[1:]]

    def forward(self, x):
        """The logits, and the inputs of every Linear layer (kept for backward)."""
        import numpy as np

        inputs = []
        for index, (w, b) in enumerate(zip(self.weights, self.biases)):
            inputs.append(x)
            x = x @ w + b
            if index < len(self.weights) - 1:
                x = np.maximum(x, 0)
        return x, inputs

    def train_step(self, x, y, learning_rate):
        """One SGD step on a minibatch; returns its mean cross-entropy before the update."""
        import numpy as np

        logits, inputs = self.forward(x)
        batch = x.shape[0]
        shifted = logits - logits.max(axis=1, keepdims=True)
        exp = np.exp(shifted)
        p = exp / exp.sum(axis=1, keepdims=True)
        loss = -np.log(p[np.arange(batch), y] + np.float32(1e-12)).mean()

        grad = p
        grad[np.arange(batch), y] -= 1
        grad /= np.float32(batch)
        for index in reversed(range(len(self.weights))):
            a = inputs[index]
            grad_w = a.T @ grad
            grad_b = grad.sum(axis=0)
            if index > 0:
                # The layer's input came out of a ReLU: pass the gradient where it was positive.
                grad = (grad @ self.weights[index].T) * (a > 0)
            self.weights[index] -= learning_rate * grad_w
            self.biases[index] -= learning_rate * grad_b
        return float(loss)

    def accuracy(self, x, y, chunk=1000):
        correct = 0
        for start in range(0, x.shape[0], chunk):
            logits, _ = self.forward(x[start:start + chunk])
            correct += int((logits.argmax(axis=1) == y[start:start + chunk]).sum())
        return correct / x.shape[0]


def train_epoch(model, x, y, batch_size, learning_rate, rng, steps=None):
    """One epoch of shuffled minibatch SGD (or only its first `steps` steps)."""
    order = rng.permutation(x.shape[0])
    starts = range(0, x.shape[0], batch_size)
    for start in list(starts)[:steps]:
        index = order[start:start + batch_size]
        model.train_step(x[index], y[index], learning_rate)


def summary(name, measured, items, **config):
    durations, other_cores = measured
    median = statistics.median(durations)
    return dict(name=name, median_seconds=median, min_seconds=min(durations), max_seconds=max(durations),
                runs=durations, items=items, items_per_second=items / median, other_cores=other_cores, **config)


def cpu_seconds():
    """(busy seconds of the whole machine from /proc/stat, CPU seconds of this process), or None."""
    import resource

    try:
        with open("/proc/stat") as file:
            ticks = [float(t) for t in file.readline().split()[1:]]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = ticks[:8]
    own = resource.getrusage(resource.RUSAGE_SELF)
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK"), own.ru_utime + own.ru_stime


def timed_runs(repeats, body):
    """The durations of `repeats` calls of `body`, and the cores other processes kept busy meanwhile
    (as mnist-bench's other_cores: 0 on an idle machine)."""
    durations = []
    before, start = cpu_seconds(), time.perf_counter()
    for _ in range(repeats):
        run_start = time.perf_counter()
        body()
        durations.append(time.perf_counter() - run_start)
    after, wall = cpu_seconds(), time.perf_counter() - start
    other_cores = None
    if before and after:
        other_cores = max(0.0, ((after[0] - before[0]) - (after[1] - before[1])) / wall)
    return durations, other_cores


def blas_info():
    """What threadpoolctl sees: library, kernel (architecture), threads, version, per pool."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return [{"error": "threadpoolctl not installed (pip install threadpoolctl)"}]
    keys = ("internal_api", "architecture", "num_threads", "version", "threading_layer", "filepath")
    return [{key: pool.get(key) for key in keys} for pool in threadpool_info()]


def main():
    args = parse_args()
    # Must happen before NumPy (and so OpenBLAS) is loaded.
    os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)
    import numpy as np

    environment = {key: os.environ.get(key) for key in ("OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    config = dict(layers=[int(s) for s in args.layers.split(",")], batch_size=args.batch_size, threads=args.threads,
                  numpy=np.__version__, blas=blas_info(), environment=environment)
    print(f"numpy {np.__version__}, BLAS {json.dumps(config['blas'])}, environment {json.dumps(environment)}", file=sys.stderr)

    def emit(result):
        print(json.dumps(result), flush=True)
        print(f"{result['name']} {result['layers']} b{result.get('batch_size')} t{args.threads}: "
              f"median {result['median_seconds']:.4f} s (min {result['min_seconds']:.4f}, max {result['max_seconds']:.4f}), "
              f"other processes {result['other_cores'] if result['other_cores'] is None else round(result['other_cores'], 2)} cores",
              file=sys.stderr)

    if args.load:
        emit(summary("load_mnist", timed_runs(args.repeats, lambda: load_mnist(args.data)), 70000, **config))
    x_train, y_train, x_test, y_test = load_mnist(args.data)

    rng = np.random.default_rng(args.seed)
    model = MLP(config["layers"], rng)
    learning_rate = np.float32(args.learning_rate)
    # Warm-up, as mnist-bench does: a few steps to touch the memory and start the BLAS threads.
    train_epoch(model, x_train, y_train, args.batch_size, learning_rate, rng, steps=20)
    durations = timed_runs(args.epochs, lambda: train_epoch(model, x_train, y_train, args.batch_size, learning_rate, rng))
    result = summary("train_epoch", durations, x_train.shape[0], **config)
    if args.accuracy:
        result["test_accuracy"] = model.accuracy(x_test, y_test)
    emit(result)

    if args.inference:
        model.accuracy(x_test, y_test)
        emit(summary("inference", timed_runs(args.repeats, lambda: model.accuracy(x_test, y_test)),
                     x_test.shape[0], **dict(config, batch_size=1000)))


if __name__ == "__main__":
    main()
