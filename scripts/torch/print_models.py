#!/usr/bin/python3
# Fixtures of PyTorch's print(model) text, for cnncalc's reader of it (src/parse/torchprint/).
#
# Needs PyTorch and torchvision from Debian bookworm (apt-get install python3-torch
# python3-torchvision), run with /usr/bin/python3 from anywhere:
#   /usr/bin/python3 scripts/torch/print_models.py
# Not needed by npm test: the outputs are committed. Models are built with weights=None.
#
# Writes, per model, into test/fixtures/torchprint/ (torchvision's models are built with
# weights=None, their default):
#   <name>.txt   exactly what print(model) prints
#   <name>.json  torch's own counts: "trainable" (sum of numel of the parameters requiring grad),
#                "nonTrainable" (sum of numel of the floating-point buffers: BatchNorm's
#                running_mean and running_var; num_batches_tracked is left out), "input" (the
#                input of the forward pass, channels last, no batch dimension) and "output" (the
#                forward pass's output shape, channels last, no batch dimension)
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the worktree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torchvision  # noqa: E402
from torch import nn  # noqa: E402
from torchvision.models.resnet import BasicBlock  # noqa: E402

from _common import GENERATOR, ROOT, channels_last, param_counts, write_json  # noqa: E402

OUT_DIR = os.path.join(ROOT, "test", "fixtures", "torchprint")
torch.manual_seed(0)


class SmallNet(nn.Module):
    """A user-defined model whose forward runs its children in the printed order."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding="same", bias=False)
        self.gn = nn.GroupNorm(2, 8)
        self.act = nn.LeakyReLU(0.1)
        self.conv2 = nn.Conv2d(8, 16, 3, stride=2, padding=2, dilation=2, groups=2)
        self.bn = nn.BatchNorm2d(16)
        self.pool = nn.MaxPool2d(2, ceil_mode=True)
        self.up = nn.ConvTranspose2d(16, 8, 2, stride=2)
        self.resize = nn.Upsample(scale_factor=0.5, mode="nearest")
        self.adapt = nn.AdaptiveAvgPool2d((3, 3))
        self.flat = nn.Flatten()
        self.drop = nn.Dropout(0.25)
        self.fc1 = nn.Linear(72, 32)
        self.ln = nn.LayerNorm(32)
        self.gelu = nn.GELU()
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x):
        for m in self.children():
            x = m(x)
        return x


class Stack(nn.Module):
    """A stem, a ModuleList of repeated torchvision BasicBlocks, and a head."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, padding=1)
        self.blocks = nn.ModuleList([BasicBlock(16, 16) for _ in range(3)])
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10))

    def forward(self, x):
        x = self.stem(x)
        for b in self.blocks:
            x = b(x)
        return self.head(x)


def module_list_repr_2x(self):
    """nn.ModuleList.__repr__ of PyTorch 2.x (copied from torch/nn/modules/container.py): runs
    of identical consecutive modules collapse to `(0-2): 3 x Block(`. Torch 1.13 prints each."""
    from torch.nn.modules.module import _addindent

    list_of_reprs = [repr(item) for item in self]
    if len(list_of_reprs) == 0:
        return self._get_name() + "()"
    start_end_indices = [[0, 0]]
    repeated_blocks = [list_of_reprs[0]]
    for i, r in enumerate(list_of_reprs[1:], 1):
        if r == repeated_blocks[-1]:
            start_end_indices[-1][1] += 1
            continue
        start_end_indices.append([i, i])
        repeated_blocks.append(r)
    lines = []
    main_str = self._get_name() + "("
    for (start_id, end_id), b in zip(start_end_indices, repeated_blocks):
        local_repr = f"({start_id}): {b}"
        if start_id != end_id:
            n = end_id - start_id + 1
            local_repr = f"({start_id}-{end_id}): {n} x {b}"
        local_repr = _addindent(local_repr, 2)
        lines.append(local_repr)
    main_str += "\n  " + "\n  ".join(lines) + "\n"
    main_str += ")"
    return main_str


tv = torchvision.models
MODELS = [
    # name, constructor, input (channels last), collapse ModuleList runs as torch 2.x prints them
    ("resnet18", lambda: tv.resnet18(), [224, 224, 3], False),
    ("resnet50", lambda: tv.resnet50(), [224, 224, 3], False),
    ("mobilenet_v2", lambda: tv.mobilenet_v2(), [224, 224, 3], False),
    ("efficientnet_b0", lambda: tv.efficientnet_b0(), [224, 224, 3], False),
    ("convnext_tiny", lambda: tv.convnext_tiny(), [224, 224, 3], False),
    ("squeezenet1_0", lambda: tv.squeezenet1_0(), [224, 224, 3], False),
    (
        "googlenet",
        lambda: tv.googlenet(aux_logits=False, init_weights=False),
        [224, 224, 3],
        False,
    ),
    ("vgg16", lambda: tv.vgg16(), [224, 224, 3], False),
    ("mobilenet_v3_small", lambda: tv.mobilenet_v3_small(), [224, 224, 3], False),
    ("densenet121", lambda: tv.densenet121(), [224, 224, 3], False),
    ("smallnet", SmallNet, [28, 28, 1], False),
    (
        "nested_sequential",
        lambda: nn.Sequential(
            nn.Sequential(nn.Conv1d(4, 8, 5), nn.ReLU()),
            nn.Sequential(nn.Conv1d(8, 8, 3, padding=1), nn.BatchNorm1d(8), nn.Tanh()),
            nn.MaxPool1d(2),
            nn.Upsample(scale_factor=2),
            nn.Sequential(nn.Sequential(nn.Flatten(), nn.Linear(480, 16)), nn.Sigmoid()),
        ),
        [64, 4],
        False,
    ),
    (
        "conv3d",
        lambda: nn.Sequential(
            nn.Conv3d(1, 4, 3),
            nn.ReLU6(),
            nn.MaxPool3d(2),
            nn.AdaptiveAvgPool3d(1),
            nn.Flatten(),
            nn.Linear(4, 2),
        ),
        [8, 16, 16, 1],
        False,
    ),
    ("stack_collapsed", Stack, [32, 32, 3], True),
]


def to_nchw(shape):
    """cnncalc's channels-last input shape as torch's batch-of-one NCHW."""
    return [1, shape[-1], *shape[:-1]]


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    plain_repr = nn.ModuleList.__repr__
    for name, build, shape, collapse in MODELS:
        model = build().eval()
        nn.ModuleList.__repr__ = module_list_repr_2x if collapse else plain_repr
        text = repr(model)
        nn.ModuleList.__repr__ = plain_repr
        with torch.no_grad():
            out = model(torch.zeros(to_nchw(shape)))
        trainable, non_trainable = param_counts(model)
        with open(os.path.join(OUT_DIR, f"{name}.txt"), "w") as f:
            f.write(text + "\n")
        write_json(
            os.path.join(OUT_DIR, f"{name}.json"),
            {
                "generator": GENERATOR,
                "input": shape,
                "trainable": trainable,
                "nonTrainable": non_trainable,
                "output": channels_last(out.shape),
            },
        )


if __name__ == "__main__":
    main()
