#!/usr/bin/env python3
"""Write the PyTorch fixture of a small convolutional network with batch norm, for the Swift tests.

The network, in mnist-swift's grammar, is 1x8x8,4C3,BN,MP2,6C3S2,8,BN,3: every kind of layer the
library has (convolution without and with bias, stride 2, 2-D and 1-D batch norm, pooling, flatten,
dense), small enough that the tests run in milliseconds. PyTorch builds it as the nn.Sequential
that `mnist-model pytorch` prints, seeded, with non-trivial running statistics, and writes:

- cnn-bn.safetensors: its state dict, with the grammar as "layers" metadata (what a PyTorch user
  saves for mnist-swift to load);
- cnn-bn.expected.safetensors: a batch of inputs and labels; the logits in eval mode (running
  statistics); the logits, mean cross-entropy and every parameter's gradient in training mode
  (batch statistics); and the running statistics after that one training forward.

CI needs no torch: the files are committed.

    pip install torch safetensors
    scripts/make_cnn_fixture.py [--output Tests/NeuralNetTests/Fixtures]
"""

import argparse
from pathlib import Path

import torch
from torch import nn
from safetensors.torch import save_file

REPOSITORY = Path(__file__).resolve().parent.parent
LAYERS = "1x8x8,4C3,BN,MP2,6C3S2,8,BN,3"


def network() -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(1, 4, kernel_size=3, stride=1, padding=1, bias=False),  # 0
        nn.BatchNorm2d(4),  # 1
        nn.ReLU(),  # 2
        nn.MaxPool2d(2),  # 3
        nn.Conv2d(4, 6, kernel_size=3, stride=2, padding=1, bias=True),  # 4
        nn.ReLU(),  # 5
        nn.Flatten(),  # 6
        nn.Linear(24, 8, bias=False),  # 7
        nn.BatchNorm1d(8),  # 8
        nn.ReLU(),  # 9
        nn.Linear(8, 3),  # 10
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=REPOSITORY / "Tests/NeuralNetTests/Fixtures")
    arguments = parser.parse_args()
    torch.manual_seed(7)
    model = network()
    with torch.no_grad():
        for module in model:
            if isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d)):
                module.weight.uniform_(0.5, 1.5)
                module.bias.uniform_(-0.5, 0.5)
                module.running_mean.uniform_(-0.2, 0.2)
                module.running_var.uniform_(0.5, 2.0)
    state = {name: tensor.detach().clone().contiguous() for name, tensor in model.state_dict().items()}
    save_file(state, str(arguments.output / "cnn-bn.safetensors"), metadata={"layers": LAYERS})

    x = torch.rand(6, 1, 8, 8)
    labels = torch.tensor([0, 2, 1, 2, 0, 1])
    model.eval()
    with torch.no_grad():
        eval_logits = model(x)
    model.train()
    logits = model(x)
    loss = nn.functional.cross_entropy(logits, labels)
    loss.backward()
    expected = {
        "input": x.reshape(6, 64),
        "labels": labels.float(),
        "eval_logits": eval_logits,
        "train_logits": logits.detach(),
        "train_loss": loss.detach().reshape(1),
    }
    for name, parameter in model.named_parameters():
        expected["grad." + name] = parameter.grad
    for name, buffer in model.named_buffers():
        if "running" in name:
            expected["after." + name] = buffer
    save_file({k: v.contiguous() for k, v in expected.items()}, str(arguments.output / "cnn-bn.expected.safetensors"))
    print(f"wrote cnn-bn.safetensors and cnn-bn.expected.safetensors to {arguments.output} (loss {loss.item():.6f})")


if __name__ == "__main__":
    main()
