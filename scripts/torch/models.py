#!/usr/bin/python3
# Reference fixtures for whole networks: torchvision's efficientnet_b0 and convnext_tiny, and a
# small U-Net defined here, each traced with forward hooks at a 224x224 input.
#
# Needs PyTorch and torchvision from Debian bookworm (apt-get install python3-torch
# python3-torchvision), run with /usr/bin/python3 from anywhere:
#   /usr/bin/python3 scripts/torch/models.py
# Not needed by npm test: the outputs are committed. Models are built with weights=None.
#
# Writes, per network:
#   examples/<name>.json  the cnncalc spec
#   test/fixtures/torch/<name>.json             torch's per-module rows in execution order
#                                               ("modules") and the spec's leaf layers in cnncalc's
#                                               path order with the parameters and output shape of
#                                               the torch modules each stands for ("specLayers")
import os
import sys
from collections import OrderedDict

sys.dont_write_bytecode = True  # no __pycache__ in the worktree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torchvision  # noqa: E402
from torch import nn  # noqa: E402

from _common import (  # noqa: E402
    GENERATOR,
    PENDING_DIR,
    TORCH_DIR,
    param_counts,
    reference_rows,
    strip,
    trace_rows,
    write_json,
)

torch.manual_seed(0)


def conv(filters, kernel, torch_refs, **kw):
    d = {"type": "conv", "filters": filters, "kernel": kernel}
    d.update(kw)
    d["_torch"] = torch_refs
    return d


def bn(ref):
    return {"type": "batchnorm", "_torch": [ref]}


def act(fn, ref):
    return {"type": "activation", "function": fn, "_torch": [ref]}


# --------------------------------------------------------------------------------- EfficientNet-B0

# torchvision's table for B0: expand ratio, kernel, stride, in, out, layers
B0_STAGES = [
    (1, 3, 1, 32, 16, 1),
    (6, 3, 2, 16, 24, 2),
    (6, 5, 2, 24, 40, 2),
    (6, 3, 2, 40, 80, 3),
    (6, 5, 1, 80, 112, 3),
    (6, 5, 2, 112, 192, 4),
    (6, 3, 1, 192, 320, 1),
]


def mbconv(expand, k, stride, cin, cout, p):
    """torchvision's MBConv as cnncalc layers; p is the block's torch path (may hold {k})."""
    hidden = cin * expand
    squeeze = max(1, cin // 4)
    layers = []
    i = 0
    if hidden != cin:
        layers += [
            conv(hidden, 1, [f"{p}.block.0.0"], bias=False),
            bn(f"{p}.block.0.1"),
            act("silu", f"{p}.block.0.2"),
        ]
        i = 1
    layers += [
        conv(hidden, k, [f"{p}.block.{i}.0"], **({"stride": stride} if stride != 1 else {}),
             padding=(k - 1) // 2, groups=hidden, bias=False),
        bn(f"{p}.block.{i}.1"),
        act("silu", f"{p}.block.{i}.2"),
        {
            "type": "multiply",
            "branches": [
                [],
                [
                    {"type": "globalavgpool", "keepdims": True, "_torch": [f"{p}.block.{i + 1}.avgpool"]},
                    conv(squeeze, 1, [f"{p}.block.{i + 1}.fc1", f"{p}.block.{i + 1}.activation"],
                         activation="silu"),
                    conv(hidden, 1, [f"{p}.block.{i + 1}.fc2", f"{p}.block.{i + 1}.scale_activation"],
                         activation="sigmoid"),
                ],
            ],
        },
        conv(cout, 1, [f"{p}.block.{i + 2}.0"], bias=False),
        bn(f"{p}.block.{i + 2}.1"),
    ]
    if stride == 1 and cin == cout:
        # torchvision: stochastic_depth(block(x)) + x; stochastic depth is the identity at inference
        return [{"type": "residual", "body": layers}]
    return layers


def efficientnet_b0_spec():
    layers = [
        conv(32, 3, ["features.0.0"], stride=2, padding=1, bias=False),
        bn("features.0.1"),
        act("silu", "features.0.2"),
    ]
    for s, (e, k, stride, cin, cout, n) in enumerate(B0_STAGES, start=1):
        body = mbconv(e, k, stride, cin, cout, f"features.{s}.0")
        if n > 1:
            body.append({
                "type": "repeat",
                "times": n - 1,
                "_kbase": 1,
                "body": mbconv(e, k, 1, cout, cout, f"features.{s}.{{k}}"),
            })
        layers.append({"type": "repeat", "name": f"stage{s}", "times": 1, "body": body})
    layers += [
        conv(1280, 1, ["features.8.0"], bias=False),
        bn("features.8.1"),
        act("silu", "features.8.2"),
        # torch: avgpool gives 1x1x1280, then torch.flatten in forward
        {"type": "globalavgpool", "_torch": ["avgpool"], "_shape": [1280]},
        {"type": "dropout", "rate": 0.2, "_torch": ["classifier.0"]},
        {"type": "dense", "units": 1000, "_torch": ["classifier.1"]},
    ]
    return {
        "name": "EfficientNet-B0 (Tan and Le, 2019; torchvision layout)",
        "input": [224, 224, 3],
        "layers": layers,
    }


# ------------------------------------------------------------------------------------ ConvNeXt-T

def ln(ref, over="channels"):
    return {"type": "layernorm", "over": over, "_torch": [ref]}


def cnblock(dim, p):
    return {
        "type": "residual",
        "body": [
            conv(dim, 7, [f"{p}.block.0"], padding=3, groups=dim),
            # torch permutes to NHWC (block.1) and applies LayerNorm and Linear over channels
            ln(f"{p}.block.2"),
            conv(4 * dim, 1, [f"{p}.block.3"]),
            act("gelu", f"{p}.block.4"),
            conv(dim, 1, [f"{p}.block.5"]),
            {"type": "layerscale", "_torch": [f"{p}.layer_scale"]},
        ],
    }


def convnext_tiny_spec():
    depths = [3, 3, 9, 3]
    dims = [96, 192, 384, 768]
    layers = [
        conv(96, 4, ["features.0.0"], stride=4),
        ln("features.0.1"),
    ]
    for s in range(4):
        stage = 1 + 2 * s
        layers.append({
            "type": "repeat",
            "name": f"stage{s + 1}",
            "times": depths[s],
            "_kbase": 0,
            "body": [cnblock(dims[s], f"features.{stage}.{{k}}")],
        })
        if s < 3:
            layers.append({
                "type": "repeat",
                "name": f"downsample{s + 1}",
                "times": 1,
                "body": [
                    ln(f"features.{stage + 1}.0"),
                    conv(dims[s + 1], 2, [f"features.{stage + 1}.1"], stride=2),
                ],
            })
    layers += [
        {"type": "globalavgpool", "keepdims": True, "_torch": ["avgpool"]},
        ln("classifier.0"),
        {"type": "flatten", "_torch": ["classifier.1"]},
        {"type": "dense", "units": 1000, "_torch": ["classifier.2"]},
    ]
    return {
        "name": "ConvNeXt-T (Liu et al., 2022; torchvision layout)",
        "input": [224, 224, 3],
        "layers": layers,
    }


# ------------------------------------------------------------------------------------ small U-Net

def double_conv(cin, cout):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, padding=1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )


class SkipConcat(nn.Module):
    """cat([x, inner(x)], channels): the encoder map joined to the decoder path below it."""

    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, x):
        return torch.cat([x, self.inner(x)], dim=1)


def unet_small_model(classes=2):
    c1, c2, c3, c4 = 16, 32, 64, 128
    level3 = nn.Sequential(OrderedDict([
        ("pool", nn.MaxPool2d(2)),
        ("bottleneck", double_conv(c3, c4)),
        ("reduce", nn.Conv2d(c4, 4 * c3, 1)),
        ("shuffle", nn.PixelShuffle(2)),
    ]))
    level2 = nn.Sequential(OrderedDict([
        ("pool", nn.MaxPool2d(2)),
        ("enc", double_conv(c2, c3)),
        ("skip", SkipConcat(level3)),
        ("dec", double_conv(2 * c3, c3)),
        ("up", nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False)),
        ("reduce", nn.Conv2d(c3, c2, 1)),
    ]))
    level1 = nn.Sequential(OrderedDict([
        ("pool", nn.MaxPool2d(2)),
        ("enc", double_conv(c1, c2)),
        ("skip", SkipConcat(level2)),
        ("dec", double_conv(2 * c2, c2)),
        ("up", nn.Upsample(scale_factor=2, mode="nearest")),
        ("reduce", nn.Conv2d(c2, c1, 1)),
    ]))
    return nn.Sequential(OrderedDict([
        ("enc", double_conv(3, c1)),
        ("skip", SkipConcat(level1)),
        ("dec", double_conv(2 * c1, c1)),
        ("head", nn.Conv2d(c1, classes, 1)),
    ]))


def double_conv_spec(cout, p):
    return [
        conv(cout, 3, [f"{p}.0"], padding=1, bias=False),
        bn(f"{p}.1"),
        act("relu", f"{p}.2"),
        conv(cout, 3, [f"{p}.3"], padding=1, bias=False),
        bn(f"{p}.4"),
        act("relu", f"{p}.5"),
    ]


def unet_small_spec(classes=2):
    c1, c2, c3, c4 = 16, 32, 64, 128
    p3 = "skip.inner.skip.inner.skip.inner"
    p2 = "skip.inner.skip.inner"
    p1 = "skip.inner"
    level3 = [
        {"type": "maxpool", "kernel": 2, "_torch": [f"{p3}.pool"]},
        *double_conv_spec(c4, f"{p3}.bottleneck"),
        conv(4 * c3, 1, [f"{p3}.reduce"]),
        {"type": "pixelshuffle", "factor": 2, "_torch": [f"{p3}.shuffle"]},
    ]
    level2 = [
        {"type": "maxpool", "kernel": 2, "_torch": [f"{p2}.pool"]},
        *double_conv_spec(c3, f"{p2}.enc"),
        {"type": "concat", "name": "skip3", "branches": [[], level3]},
        *double_conv_spec(c3, f"{p2}.dec"),
        {"type": "upsample", "scale": 2, "mode": "linear", "_torch": [f"{p2}.up"]},
        conv(c2, 1, [f"{p2}.reduce"]),
    ]
    level1 = [
        {"type": "maxpool", "kernel": 2, "_torch": [f"{p1}.pool"]},
        *double_conv_spec(c2, f"{p1}.enc"),
        {"type": "concat", "name": "skip2", "branches": [[], level2]},
        *double_conv_spec(c2, f"{p1}.dec"),
        {"type": "upsample", "scale": 2, "mode": "nearest", "_torch": [f"{p1}.up"]},
        conv(c1, 1, [f"{p1}.reduce"]),
    ]
    return {
        "name": "small U-Net (nested skip concats; scripts/torch/models.py)",
        "input": [224, 224, 3],
        "layers": [
            *double_conv_spec(c1, "enc"),
            {"type": "concat", "name": "skip1", "branches": [[], level1]},
            *double_conv_spec(c1, "dec"),
            conv(classes, 1, ["head"]),
        ],
    }


# ------------------------------------------------------------------------------------------ run

def check_coverage(modules, spec_rows):
    """Every torch row with parameters or buffers is used by exactly one spec layer."""
    used = {}
    for r in spec_rows:
        for ref in r["torch"]:
            used[ref] = used.get(ref, 0) + 1
    twice = [m for m, n in used.items() if n > 1]
    assert not twice, f"torch modules used twice: {twice[:5]}"
    missing = [m["module"] for m in modules if (m["trainable"] or m["nonTrainable"]) and m["module"] not in used]
    assert not missing, f"torch modules with parameters the spec leaves out: {missing[:5]}"


def run(name, torch_name, model, spec, expect_trainable, expect_output, notes):
    model.eval()
    x = torch.zeros(1, 3, 224, 224)
    modules, y = trace_rows(model, x)
    trainable, non_trainable = param_counts(model)
    # num_batches_tracked (int64 buffers) are excluded by param_counts; count them for the record
    nbt = sum(b.numel() for n, b in model.named_buffers() if n.endswith("num_batches_tracked"))
    assert sum(m["trainable"] for m in modules) == trainable
    assert sum(m["nonTrainable"] for m in modules) == non_trainable
    if expect_trainable is not None:
        assert trainable == expect_trainable, (name, trainable, expect_trainable)
    by_module = {m["module"]: m for m in modules}
    spec_rows = reference_rows(spec["layers"], by_module)
    check_coverage(modules, spec_rows)
    assert sum(r["trainable"] for r in spec_rows) == trainable
    assert sum(r["nonTrainable"] for r in spec_rows) == non_trainable
    out_shape = list(y.shape[1:]) if y.dim() == 2 else list(y.shape[2:]) + [y.shape[1]]
    assert out_shape == expect_output, (name, out_shape)
    assert spec_rows[-1]["outputShape"] == expect_output
    macs = sum(m.get("macs", 0) for m in modules)
    spec_out = {"$schema": "../../../schema/cnncalc.schema.json", **spec, "layers": strip(spec["layers"])}
    write_json(os.path.join(PENDING_DIR, f"{name}.json"), spec_out)
    write_json(os.path.join(TORCH_DIR, f"{name}.json"), {
        "generator": GENERATOR,
        "model": torch_name,
        "spec": f"examples/{name}.json",
        "input": [224, 224, 3],
        "torchInput": [1, 3, 224, 224],
        "outputShape": out_shape,
        "totals": {
            "parameters": trainable + non_trainable,
            "trainable": trainable,
            "nonTrainable": non_trainable,
            "numBatchesTrackedExcluded": nbt,
            "macs": macs,
        },
        "notes": notes,
        "specLayers": spec_rows,
        "modules": modules,
    })
    print(f"{name}: trainable {trainable:,}, non-trainable {non_trainable:,}, MACs {macs:,}, output {out_shape}")


COMMON_NOTES = [
    "trainable = parameters with requires_grad; nonTrainable = floating-point buffers "
    "(BatchNorm running_mean and running_var, 2C per layer, as Keras and cnncalc count them); "
    "num_batches_tracked is excluded (its count is numBatchesTrackedExcluded)",
    "outputShape is channels-last without the batch dimension; torchShape is torch's own "
    "(NCHW, or NHWC between ConvNeXt's Permute modules)",
    "macs: conv kernel_h*kernel_w*(Cin/groups)*Cout*Hout*Wout; linear in*out per position",
    "specLayers: the spec's leaf layers in cnncalc's path order (a repeat's copies as #1, #2, ...), "
    "each with the torch modules it stands for; blocks (residual, concat, multiply, repeat) have "
    "no parameters of their own and are not listed",
]


def main():
    run(
        "efficientnet-b0", "torchvision.models.efficientnet_b0(weights=None)",
        torchvision.models.efficientnet_b0(weights=None), efficientnet_b0_spec(), 5_288_548, [1000],
        COMMON_NOTES + [
            "StochasticDepth is the identity at inference and is left out of the spec",
            "the spec's globalavgpool gives [1280]; torch's avgpool gives 1x1x1280 and forward() "
            "flattens it (specLayers gives [1280])",
            "SE: squeeze channels = max(1, block input channels // 4); fc1/fc2 are 1x1 convs with bias",
        ],
    )
    run(
        "convnext-tiny", "torchvision.models.convnext_tiny(weights=None)",
        torchvision.models.convnext_tiny(weights=None), convnext_tiny_spec(), 28_589_128, [1000],
        COMMON_NOTES + [
            "CNBlock's two nn.Linear layers act on the NHWC tensor (per position); the spec writes "
            "them as 1x1 convs, same parameters and MACs (cnncalc's dense would flatten a spatial input)",
            "layer_scale is a parameter of CNBlock (dim values), listed as <block>.layer_scale",
            "StochasticDepth is the identity at inference and is left out of the spec; Permute "
            "modules only change torch's layout and have no spec layer",
            "LayerNorm2d / LayerNorm(dim) normalize over channels only: 2C parameters",
        ],
    )
    run(
        "unet-small", "scripts/torch/models.py unet_small_model(classes=2)",
        unet_small_model(), unet_small_spec(), None, [224, 224, 2],
        COMMON_NOTES + [
            "skip connections are nested concats: concat(x, inner(x)) where inner goes down "
            "(maxpool), through the next level and back up (pixelshuffle, bilinear or nearest "
            "upsample, then a 1x1 conv)",
            "Upsample(scale_factor=2, mode='bilinear', align_corners=False) is the spec's mode 'linear'",
        ],
    )


if __name__ == "__main__":
    main()
