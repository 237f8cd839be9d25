#!/usr/bin/python3
# ONNX fixtures for cnncalc's ONNX reader (test/fixtures/onnx/), exported by PyTorch's own
# exporter, each with PyTorch's counts beside it in <name>.json.
#
# Needs Debian bookworm's python3-torch, python3-torchvision and python3-onnx, run with
# /usr/bin/python3 from anywhere:
#   /usr/bin/python3 scripts/onnx/export.py
# Not needed by npm test: the outputs are committed. Models are built with weights=None (random
# initial values; only sizes matter). Exports are weightless (export_params=False: the weights
# are graph inputs with declared shapes, a few kilobytes) and keep BatchNorm
# (training=TrainingMode.PRESERVE of an eval-mode model), except tiny-resnet-weights.onnx, which
# carries its weights as initializers.
import json
import os
import sys

sys.dont_write_bytecode = True

import numpy  # noqa: E402
import onnx  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
import torchvision  # noqa: E402
from onnx import TensorProto, helper  # noqa: E402
from torch import nn  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "test", "fixtures", "onnx")
OPSET = 17
torch.manual_seed(0)


def counts(model, shape):
    """PyTorch's own counts: trainable parameters, buffers (running statistics; without
    BatchNorm's num_batches_tracked counter, which cnncalc does not count) and the output shape
    without the batch."""
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    frozen = sum(p.numel() for p in model.parameters() if not p.requires_grad)
    buffers = sum(
        b.numel() for n, b in model.named_buffers() if not n.endswith("num_batches_tracked")
    )
    with torch.no_grad():
        out = model(torch.zeros(*shape))
    return {
        "trainable": trainable,
        "nonTrainable": frozen + buffers,
        "output": list(out.shape[1:]),
    }


def export(name, model, shape, weights=False, note="", fold=False, dynamic_batch=False):
    model.eval()
    path = os.path.join(OUT, f"{name}.onnx")
    torch.onnx.export(
        model,
        torch.zeros(*shape),
        path,
        opset_version=OPSET,
        export_params=weights,
        do_constant_folding=True,
        # PRESERVE keeps BatchNorm; EVAL (torch's default) folds it into the convolutions
        training=torch.onnx.TrainingMode.EVAL if fold else torch.onnx.TrainingMode.PRESERVE,
        input_names=["input"],
        output_names=["output"],
        # a dynamic batch makes view(x.size(0), -1) a Shape, Gather, Unsqueeze, Concat chain
        **({"dynamic_axes": {"input": {0: "N"}, "output": {0: "N"}}} if dynamic_batch else {}),
    )
    proto = onnx.load(path)
    onnx.checker.check_model(proto)
    ops = sorted({n.op_type for n in proto.graph.node})
    record = {
        "generator": "scripts/onnx/export.py",
        "torch": torch.__version__,
        "onnx": onnx.__version__,
        "opset": OPSET,
        "input": list(shape),
        "weights": weights,
        **counts(model, shape),
        "ops": ops,
    }
    if note:
        record["note"] = note
    if fold:
        # the folded graph's own counts: each BatchNorm's scale and shift become the bias of the
        # conv before it (a conv without one gains it), and the running statistics are gone
        # counted per use: the exporter shares equal tensors (zero biases) through Identity nodes
        dims = {i.name: [d.dim_value for d in i.type.tensor_type.shape.dim] for i in proto.graph.input}
        for n in proto.graph.node:
            if n.op_type == "Identity" and n.input[0] in dims:
                dims[n.output[0]] = dims[n.input[0]]
        folded = sum(
            int(numpy.prod(dims[w]))
            for n in proto.graph.node
            if n.op_type in ("Conv", "Gemm")
            for w in n.input[1:]
        )
        record["graphTrainable"] = folded
        record["graphNonTrainable"] = 0
    with open(os.path.join(OUT, f"{name}.json"), "w") as f:
        json.dump(record, f, indent=2)
        f.write("\n")
    print(name, os.path.getsize(path), "bytes", record["trainable"], record["nonTrainable"], ops)


class SmallCnn(nn.Module):
    """Conv, BatchNorm, pools (ceil_mode), a dilated grouped conv, ReLU6, view() as flatten,
    Linear, Dropout, Softmax."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 5, stride=1, padding=2)
        self.bn1 = nn.BatchNorm2d(16)
        self.pool1 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=2, dilation=2, groups=2, bias=False)
        self.pool2 = nn.AvgPool2d(2)
        self.fc1 = nn.Linear(32 * 8 * 8, 64)
        self.drop = nn.Dropout(0.5)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x):
        x = self.pool1(F.relu(self.bn1(self.conv1(x))))
        x = self.pool2(F.relu6(self.conv2(x)))
        x = x.view(x.size(0), -1)
        x = self.drop(F.relu(self.fc1(x)))
        return F.softmax(self.fc2(x), dim=1)


class Branches(nn.Module):
    """Concat of two branches, a residual Add, a squeeze-and-excitation Mul, SiLU (x·σ(x)),
    and the other activations."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, stride=2, padding=1)
        self.a = nn.Conv2d(16, 8, 1)
        self.b = nn.Sequential(nn.Conv2d(16, 8, 3, padding=1), nn.LeakyReLU(0.1))
        self.res = nn.Sequential(nn.Conv2d(16, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ELU())
        self.se1 = nn.Conv2d(16, 4, 1)
        self.se2 = nn.Conv2d(4, 16, 1)
        self.dw = nn.Conv2d(16, 16, 3, padding=1, groups=16)
        self.prelu = nn.PReLU(16)
        self.head = nn.Linear(16, 5)

    def forward(self, x):
        x = self.stem(x)
        x = torch.cat([self.a(x), self.b(x)], dim=1)
        x = x + self.res(x)
        s = torch.sigmoid(self.se2(F.relu(self.se1(F.adaptive_avg_pool2d(x, 1)))))
        x = x * s
        x = F.silu(x)
        x = F.hardswish(self.dw(x))
        x = F.hardsigmoid(x)
        x = torch.tanh(self.prelu(x))
        x = F.adaptive_max_pool2d(x, 1)
        x = torch.flatten(x, 1)
        return self.head(x)


class Ops(nn.Module):
    """Resize, DepthToSpace, Pad, ConvTranspose, InstanceNorm, LayerNorm, channel Slice and
    Split, Gemm."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1)
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.shuffle = nn.PixelShuffle(2)
        self.pad = nn.ZeroPad2d((1, 2, 0, 1))
        self.convt = nn.ConvTranspose2d(8, 12, 3, stride=2, padding=1, output_padding=1)
        self.inorm = nn.InstanceNorm2d(12, affine=True)
        self.conv3 = nn.Conv2d(12, 8, 3, padding=1)
        self.lnorm = nn.LayerNorm([8, 66, 70])
        self.up2 = nn.Upsample(scale_factor=0.5, mode="bilinear")
        self.conv4 = nn.Conv2d(4, 8, 3, stride=2)
        self.fc = nn.Linear(8, 6)
        self.lnorm2 = nn.LayerNorm(6)
        self.fc2 = nn.Linear(6, 3)

    def forward(self, x):
        x = self.up(F.relu(self.conv1(x)))
        x = self.shuffle(self.conv2(x))
        x = self.convt(self.pad(x))
        x = torch.sigmoid(self.inorm(x))
        x = self.lnorm(self.conv3(x))
        a, b = torch.split(x, [4, 4], dim=1)
        x = torch.cat([b, a], dim=1)[:, 2:6]
        x = self.conv4(self.up2(x))
        x = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)
        return self.fc2(self.lnorm2(self.fc(x)))


class Shuffle(nn.Module):
    """ShuffleNet v2's patterns: x.chunk(2, dim=1) (a Slice of computed bounds), torchvision's
    channel_shuffle (Reshape, Transpose, Reshape), and x.mean([2, 3]) (ReduceMean)."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, stride=2, padding=1)
        self.branch = nn.Sequential(nn.Conv2d(8, 8, 1), nn.BatchNorm2d(8), nn.ReLU(),
                                    nn.Conv2d(8, 8, 3, padding=1, groups=8), nn.BatchNorm2d(8))
        self.fc = nn.Linear(16, 4)

    def forward(self, x):
        x = self.stem(x)
        a, b = x.chunk(2, dim=1)
        x = torch.cat((a, self.branch(b)), dim=1)
        x = torchvision.models.shufflenetv2.channel_shuffle(x, 2)
        return self.fc(x.mean([2, 3]))


class ConvNextBlock(nn.Module):
    """torchvision's ConvNeXt block (CNBlock: a depthwise conv, permute to channels-last,
    LayerNorm, Linear, GELU as PyTorch 1.13 writes it (Div, Erf, Add, Mul, Mul), Linear, permute
    back, layer scale, residual) after a patchify stem with LayerNorm2d."""

    def __init__(self):
        super().__init__()
        from torchvision.models.convnext import CNBlock, LayerNorm2d
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 4, stride=4), LayerNorm2d(16, eps=1e-6))
        self.block = CNBlock(16, 1e-6, 0.0)
        self.fc = nn.Linear(16, 5)

    def forward(self, x):
        x = self.block(self.stem(x))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


class Conv1dNet(nn.Module):
    """A 1-D network: Conv1d, BatchNorm1d, MaxPool1d, global pooling, Gemm."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv1d(2, 8, 5, padding=2),
            nn.BatchNorm1d(8),
            nn.ReLU(),
            nn.MaxPool1d(2),
            nn.Conv1d(8, 16, 3, stride=2),
            nn.ReLU(),
            nn.AdaptiveAvgPool1d(1),
            nn.Flatten(),
            nn.Linear(16, 4),
        )

    def forward(self, x):
        return self.body(x)


class TinyResnet(nn.Module):
    """A small residual network, exported with its weights."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU())
        self.block = nn.Sequential(nn.Conv2d(8, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU(), nn.Conv2d(8, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8))
        self.down = nn.Sequential(nn.Conv2d(8, 16, 1, stride=2, bias=False), nn.BatchNorm2d(16))
        self.block2 = nn.Sequential(nn.Conv2d(8, 16, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(16))
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = self.stem(x)
        x = F.relu(x + self.block(x))
        x = F.relu(self.down(x) + self.block2(x))
        x = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)
        return self.fc(x)


def unmapped():
    """A hand-made graph: Conv, then an operator cnncalc has no mapping for (Hardmax)."""
    w = helper.make_tensor_value_info("w", TensorProto.FLOAT, [4, 3, 3, 3])
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4, 6, 6])
    graph = helper.make_graph(
        [
            helper.make_node("Conv", ["x", "w"], ["c"], name="conv0"),
            helper.make_node("Relu", ["c"], ["r"], name="relu0"),
            helper.make_node("Hardmax", ["r"], ["y"], name="hardmax0", axis=1),
        ],
        "unmapped",
        [x, w],
        [y],
    )
    model = helper.make_model(graph, producer_name="scripts/onnx/export.py",
                              opset_imports=[helper.make_opsetid("", OPSET)])
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(OUT, "unmapped-op.onnx"))
    print("unmapped-op", os.path.getsize(os.path.join(OUT, "unmapped-op.onnx")))


def hand_made(name, nodes, inputs, outputs, initializers=()):
    """A graph built with onnx.helper, for what PyTorch does not export (or exports differently)."""
    graph = helper.make_graph(nodes, name, inputs, outputs, list(initializers))
    model = helper.make_model(graph, producer_name="scripts/onnx/export.py",
                              opset_imports=[helper.make_opsetid("", OPSET)])
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(OUT, f"{name}.onnx"))
    print(name, os.path.getsize(os.path.join(OUT, f"{name}.onnx")))


def info(name, dims):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, dims)


def const(name, values, dtype=TensorProto.INT64):
    return helper.make_node("Constant", [], [name], name=name,
                            value=helper.make_tensor(name, dtype, [len(values)], values))


def hand_made_fixtures():
    # asymmetric Conv pads (a zeropad before the conv), auto_pad SAME_UPPER, reflect padding,
    # MatMul + Add (a dense layer with bias), a per-channel Mul by a weight (LayerScale)
    hand_made(
        "hand-ops",
        [
            helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], name="asym", pads=[0, 1, 1, 2]),
            helper.make_node("Conv", ["c1", "w2"], ["c2"], name="same", auto_pad="SAME_UPPER",
                             strides=[2, 2]),
            const("pads", [0, 0, 1, 1, 0, 0, 1, 1]),
            helper.make_node("Pad", ["c2", "pads"], ["p"], name="reflect", mode="reflect"),
            helper.make_node("Mul", ["p", "gamma"], ["s"], name="scale"),
            helper.make_node("GlobalAveragePool", ["s"], ["g"], name="gap"),
            helper.make_node("Flatten", ["g"], ["f"], name="flat"),
            helper.make_node("MatMul", ["f", "wd"], ["m"], name="mm"),
            helper.make_node("Add", ["m", "bd"], ["y"], name="bias"),
        ],
        [info("x", [1, 3, 9, 10]), info("w1", [4, 3, 3, 3]), info("b1", [4]),
         info("w2", [6, 4, 3, 3]), info("gamma", [1, 6, 1, 1]), info("wd", [6, 5]),
         info("bd", [5])],
        [info("y", [1, 5])],
    )
    # a dynamic input: needs --input
    hand_made(
        "dynamic-input",
        [helper.make_node("Conv", ["x", "w"], ["y"], name="conv", pads=[1, 1, 1, 1])],
        [info("x", ["N", 3, "H", "W"]), info("w", [8, 3, 3, 3])],
        [info("y", ["N", 8, "H", "W"])],
    )
    # not series-parallel: b reads a's output and the input, and c reads both
    hand_made(
        "not-series-parallel",
        [
            helper.make_node("Relu", ["x"], ["a"], name="a"),
            helper.make_node("Add", ["x", "a"], ["b"], name="b"),
            helper.make_node("Add", ["a", "b"], ["y"], name="c"),
        ],
        [info("x", [1, 4, 8, 8])],
        [info("y", [1, 4, 8, 8])],
    )
    # a weight whose declared shape disagrees with the layer cnncalc maps (16 inputs, not 17)
    hand_made(
        "param-mismatch",
        [
            helper.make_node("Flatten", ["x"], ["f"], name="flat"),
            helper.make_node("Gemm", ["f", "w", "b"], ["y"], name="fc", transB=1),
        ],
        [info("x", [1, 4, 2, 2]), info("w", [10, 17]), info("b", [10])],
        [info("y", [1, 10])],
    )


def resnet50_with_weights(path):
    """The bench's file: torchvision's ResNet-50 with its (randomly initialised) weights, ~100 MB."""
    model = torchvision.models.resnet50(weights=None).eval()
    torch.onnx.export(model, torch.zeros(1, 3, 224, 224), path, opset_version=OPSET,
                      export_params=True, training=torch.onnx.TrainingMode.PRESERVE,
                      input_names=["input"], output_names=["output"])


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--resnet50-weights":
        resnet50_with_weights(sys.argv[2])
        sys.exit(0)
    os.makedirs(OUT, exist_ok=True)
    export("resnet18", torchvision.models.resnet18(weights=None), (1, 3, 224, 224))
    export("resnet18-folded", torchvision.models.resnet18(weights=None), (1, 3, 224, 224),
           note="exported in eval mode: BatchNorm folded into the convolutions", fold=True)
    # also the weightless base of the bench's 100 MB file when torch is not installed
    export("resnet50", torchvision.models.resnet50(weights=None), (1, 3, 224, 224))
    export("mobilenet-v2", torchvision.models.mobilenet_v2(weights=None), (1, 3, 224, 224))
    export("small-cnn", SmallCnn(), (1, 3, 32, 32))
    export("small-cnn-dynamic-batch", SmallCnn(), (1, 3, 32, 32), dynamic_batch=True)
    export("branches", Branches(), (1, 3, 32, 32))
    export("ops", Ops(), (1, 3, 8, 8))
    export("conv1d", Conv1dNet(), (1, 2, 64))
    export("shuffle", Shuffle(), (1, 3, 16, 16))
    export("convnext-block", ConvNextBlock(), (1, 3, 32, 32))
    torch.manual_seed(0)  # the same weights whatever was exported before
    export("tiny-resnet-weights", TinyResnet(), (1, 3, 16, 16), weights=True)
    unmapped()
    hand_made_fixtures()
