#!/usr/bin/python3
# Formula fixtures for the layer types being added to cnncalc, each computed by running PyTorch
# (not by re-deriving the formula): shapes, bins, parameter and buffer counts.
#
# Needs PyTorch from Debian bookworm (apt-get install python3-torch; torch 1.13.1), run with
# /usr/bin/python3 from anywhere:
#   /usr/bin/python3 scripts/torch/formulas.py
# Not needed by npm test: the outputs are committed under test/fixtures/torch/formulas/.
#
# Shapes are cnncalc's channels-last order without the batch dimension ([H, W, C], [L, C],
# [D, H, W, C]); "torch" records the call as made on the NCHW tensor. A case torch refuses has
# "error" (torch's message, first line) instead of an output.
import math
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the worktree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

from _common import GENERATOR, TORCH_DIR, channels_last, param_counts, write_json  # noqa: E402

OUT = os.path.join(TORCH_DIR, "formulas")
torch.manual_seed(0)


def to_torch(shape_cl):
    """A channels-last shape without batch -> the NCHW (N=1) shape torch uses."""
    *sizes, c = shape_cl
    return [1, c, *sizes]


def run_or_error(fn):
    try:
        return fn(), None
    except Exception as e:  # torch's RuntimeError / ValueError
        return None, str(e).strip().splitlines()[0]


def save(name, description, cases, **extra):
    write_json(os.path.join(OUT, f"{name}.json"), {
        "generator": GENERATOR,
        "description": description,
        **extra,
        "cases": cases,
    })


# ----------------------------------------------------------------------------- adaptive pooling

def adaptive_bins(n_in, n_out):
    return [
        {"start": (i * n_in) // n_out, "end": -((-(i + 1) * n_in) // n_out)}
        for i in range(n_out)
    ]


def adaptive_pooling():
    cases = []
    # (input spatial size, output_size as given to torch); None keeps the input's size
    table = [
        ([7, 7], 3), ([5, 5], 3), ([10, 10], 4), ([13, 13], 5), ([1, 1], 3),
        ([224, 224], 7), ([7, 7], 7), ([7, 7], 1), ([6, 6], 4), ([8, 8], 1), ([3, 3], 5),
        ([9, 9], 2), ([14, 14], 6), ([7, 5], [3, 2]), ([10, 13], [4, 5]), ([12, 12], [None, 5]),
        ([6, 6], [2, 2]),
    ]
    for size, output in table:
        shape = [*size, 4]
        x = torch.randn(to_torch(shape), dtype=torch.float64)
        out_list = output if isinstance(output, list) else [output, output]
        resolved = [size[d] if out_list[d] is None else out_list[d] for d in range(2)]
        bins = [adaptive_bins(size[d], resolved[d]) for d in range(2)]
        for kind, module, reduce in (
            ("adaptiveavgpool", nn.AdaptiveAvgPool2d, lambda t: t.mean(dim=(-1, -2))),
            ("adaptivemaxpool", nn.AdaptiveMaxPool2d, lambda t: t.amax(dim=(-1, -2))),
        ):
            y = module(tuple(output) if isinstance(output, list) else output)(x)
            # the bins are checked against torch's values, not just asserted
            for i, bi in enumerate(bins[0]):
                for j, bj in enumerate(bins[1]):
                    ref = reduce(x[0, :, bi["start"]:bi["end"], bj["start"]:bj["end"]])
                    assert torch.allclose(y[0, :, i, j], ref), (kind, size, output, i, j)
            cases.append({
                "type": kind,
                "input": shape,
                "output_size": output,
                "torch": f"nn.{module.__name__}({output!r})",
                "expected": {
                    "outputShape": channels_last(y.shape),
                    "bins": {"height": bins[0], "width": bins[1]},
                    "windowSizes": {
                        "height": [b["end"] - b["start"] for b in bins[0]],
                        "width": [b["end"] - b["start"] for b in bins[1]],
                    },
                },
            })
    # 1-D
    for n_in, n_out in ((7, 3), (10, 4), (1, 3), (13, 5)):
        x = torch.randn(1, 4, n_in, dtype=torch.float64)
        y = nn.AdaptiveAvgPool1d(n_out)(x)
        bins = adaptive_bins(n_in, n_out)
        for i, b in enumerate(bins):
            assert torch.allclose(y[0, :, i], x[0, :, b["start"]:b["end"]].mean(-1))
        cases.append({
            "type": "adaptiveavgpool",
            "input": [n_in, 4],
            "output_size": n_out,
            "torch": f"nn.AdaptiveAvgPool1d({n_out})",
            "expected": {"outputShape": channels_last(y.shape), "bins": {"length": bins}},
        })
    save(
        "adaptive-pooling",
        "AdaptiveAvgPool/AdaptiveMaxPool: output i of N reads input indices [start, end) with "
        "start = floor(i*J/N) and end = ceil((i+1)*J/N) (PyTorch); bins may overlap (7->3: "
        "[0,3) [2,5) [4,7)) and N > J repeats inputs (1->3). Bins are checked against torch's values. "
        "Parameters: 0.",
        cases,
    )


# -------------------------------------------------------------------------------------- upsample

def upsample():
    cases = []
    rank_modes = {1: ("nearest", "linear"), 2: ("nearest", "bilinear"), 3: ("nearest", "trilinear")}
    inputs = {1: [[7, 3], [10, 2]], 2: [[7, 7, 3], [5, 9, 2], [13, 13, 4], [1, 1, 8]],
              3: [[4, 5, 6, 2]]}
    scales = [2, 1.5, 0.5, 3, 0.3, 2.5]
    for rank, shapes in inputs.items():
        for shape in shapes:
            for mode in rank_modes[rank]:
                spec_mode = "nearest" if mode == "nearest" else "linear"
                variants = [{"scale": s} for s in scales]
                if rank == 2:
                    variants += [{"scale": [2, 3]}, {"scale": [1.5, 0.5]},
                                 {"size": [14, 21]}, {"size": [3, 3]}, {"size": 10}]
                elif rank == 1:
                    variants += [{"size": 16}]
                else:
                    variants += [{"scale": [1, 2, 2]}, {"size": [8, 10, 12]}]
                for v in variants:
                    kw = {"mode": mode}
                    if "scale" in v:
                        s = v["scale"]
                        kw["scale_factor"] = tuple(s) if isinstance(s, list) else s
                    else:
                        s = v["size"]
                        kw["size"] = tuple(s) if isinstance(s, list) else s
                    if mode != "nearest":
                        kw["align_corners"] = False
                    x = torch.zeros(to_torch(shape))
                    y, err = run_or_error(lambda: nn.Upsample(**kw)(x))
                    case = {
                        "type": "upsample",
                        "input": shape,
                        **v,
                        "mode": spec_mode,
                        "torch": "nn.Upsample(" + ", ".join(f"{k}={val!r}" for k, val in kw.items()) + ")",
                    }
                    if err:
                        case["error"] = err
                    else:
                        case["expected"] = {"outputShape": channels_last(y.shape)}
                        if "scale" in v:
                            sc = v["scale"] if isinstance(v["scale"], list) else [v["scale"]] * rank
                            assert case["expected"]["outputShape"][:-1] == [
                                math.floor(shape[d] * sc[d]) for d in range(rank)
                            ]
                    cases.append(case)
    save(
        "upsample",
        "nn.Upsample output sizes: with scale_factor s the output is floor(J*s) per dimension "
        "(7*1.5 = 10.5 -> 10, 7*0.5 -> 3, 5*0.3 -> 1); with size it is the size. The size does not "
        "depend on mode (the spec's 'linear' is torch's linear/bilinear/trilinear by rank, "
        "align_corners=False). Parameters: 0.",
        cases,
    )


# ----------------------------------------------------------------------- pixel shuffle, channels

def pixel_shuffle():
    cases = []
    for shape, r in (([7, 7, 16], 2), ([7, 7, 12], 2), ([4, 5, 27], 3), ([1, 1, 4], 2),
                     ([7, 7, 6], 2), ([8, 8, 8], 1)):
        x = torch.zeros(to_torch(shape))
        y, err = run_or_error(lambda: nn.PixelShuffle(r)(x))
        case = {"type": "pixelshuffle", "input": shape, "factor": r, "torch": f"nn.PixelShuffle({r})"}
        case.update({"error": err} if err else {"expected": {"outputShape": channels_last(y.shape)}})
        cases.append(case)
    for shape, r in (([14, 14, 4], 2), ([12, 9, 2], 3), ([7, 7, 4], 2), ([8, 8, 3], 4)):
        x = torch.zeros(to_torch(shape))
        y, err = run_or_error(lambda: nn.PixelUnshuffle(r)(x))
        case = {"type": "pixelunshuffle", "input": shape, "factor": r,
                "torch": f"nn.PixelUnshuffle({r})"}
        case.update({"error": err} if err else {"expected": {"outputShape": channels_last(y.shape)}})
        cases.append(case)
    save(
        "pixel-shuffle",
        "PixelShuffle(r): [H, W, C*r*r] -> [H*r, W*r, C], C*r*r must divide; PixelUnshuffle(r): "
        "[H, W, C] -> [H/r, W/r, C*r*r], H and W must divide by r. (Keras' depth_to_space gives "
        "the same shapes with another channel order.) Parameters: 0.",
        cases,
    )


def channel_shuffle():
    cases = []
    for shape, g in (([7, 7, 12], 3), ([7, 7, 8], 2), ([4, 4, 6], 6), ([4, 4, 6], 1), ([4, 4, 10], 4)):
        c = shape[-1]
        x = torch.arange(c, dtype=torch.float32).reshape(1, c, 1, 1).expand(to_torch(shape)).contiguous()
        y, err = run_or_error(lambda: nn.ChannelShuffle(g)(x))
        case = {"type": "channelshuffle", "input": shape, "groups": g, "torch": f"nn.ChannelShuffle({g})"}
        if err:
            case["error"] = err
        else:
            order = [int(v) for v in y[0, :, 0, 0].tolist()]
            assert order == [(j % g) * (c // g) + j // g for j in range(c)]
            case["expected"] = {"outputShape": channels_last(y.shape), "inputChannelOfOutput": order}
        cases.append(case)
    save(
        "channel-shuffle",
        "ChannelShuffle(g) (ShuffleNet): shape unchanged, C must divide by g; output channel j is "
        "input channel (j mod g)*(C/g) + floor(j/g). Parameters: 0.",
        cases,
    )


# ------------------------------------------------------------------------------- normalizations

def norm_params():
    cases = []

    def add(kind, args, module, shape, spec):
        t, nt = param_counts(module)
        nbt = sum(b.numel() for n, b in module.named_buffers() if n.endswith("num_batches_tracked"))
        x = torch.randn(to_torch(shape))
        module.eval()
        y, err = run_or_error(lambda: module(x))
        case = {
            "type": kind,
            "spec": spec,
            "input": shape,
            "torch": f"nn.{type(module).__name__}({args})",
            "parameters": {n: list(p.shape) for n, p in module.named_parameters()},
            "buffers": {n: list(b.shape) for n, b in module.named_buffers()},
        }
        if err:
            case["error"] = err
        else:
            case["expected"] = {
                "outputShape": channels_last(y.shape),
                "trainable": t,
                "nonTrainable": nt,
                "numBatchesTrackedExcluded": nbt,
            }
        cases.append(case)

    shape = [7, 7, 32]
    add("batchnorm", "32", nn.BatchNorm2d(32), shape, {"type": "batchnorm"})
    for g in (1, 4, 8, 32, 5):
        try:
            m = nn.GroupNorm(g, 32)
        except ValueError as e:
            cases.append({"type": "groupnorm", "spec": {"type": "groupnorm", "groups": g},
                          "input": shape, "torch": f"nn.GroupNorm({g}, 32)",
                          "error": str(e).splitlines()[0]})
            continue
        add("groupnorm", f"{g}, 32", m, shape, {"type": "groupnorm", "groups": g})
    add("groupnorm", "4, 32, affine=False", nn.GroupNorm(4, 32, affine=False), shape,
        {"type": "groupnorm", "groups": 4, "affine": False})
    for affine in (False, True):
        for track in (False, True):
            add("instancenorm", f"32, affine={affine}, track_running_stats={track}",
                nn.InstanceNorm2d(32, affine=affine, track_running_stats=track), shape,
                {"type": "instancenorm", **({"affine": True} if affine else {})})
            cases[-1]["trackRunningStats"] = track
    add("layernorm", "[32]", nn.LayerNorm([32]), shape,
        {"type": "layernorm", "over": "channels"})
    add("layernorm", "[32], elementwise_affine=False", nn.LayerNorm([32], elementwise_affine=False),
        shape, {"type": "layernorm", "over": "channels", "affine": False})
    add("layernorm", "[32, 7, 7]", nn.LayerNorm([32, 7, 7]), shape,
        {"type": "layernorm", "over": "all"})
    add("layernorm", "[32, 7, 7], elementwise_affine=False",
        nn.LayerNorm([32, 7, 7], elementwise_affine=False), shape,
        {"type": "layernorm", "over": "all", "affine": False})
    # LayerNorm([C]) needs channels last: on the NCHW tensor torch refuses it; recorded by hand
    for c in cases:
        if c["type"] == "layernorm" and c["spec"]["over"] == "channels" and "error" in c:
            x = torch.randn(1, 7, 7, 32)  # NHWC, as ConvNeXt permutes before its LayerNorm
            m = nn.LayerNorm([32], elementwise_affine=c["spec"].get("affine", True))
            t, nt = param_counts(m)
            y = m(x)
            c.pop("error")
            c["torch"] += " on the NHWC tensor [1, 7, 7, 32] (as ConvNeXt's CNBlock; on NCHW torch refuses it)"
            c["expected"] = {"outputShape": list(y.shape[1:]), "trainable": t, "nonTrainable": nt,
                             "numBatchesTrackedExcluded": 0}
    save(
        "normalization-parameters",
        "Parameters (trainable) and float buffers (non-trainable, as Keras counts BatchNorm's moving "
        "mean and variance) of normalization layers on a 7x7x32 input; num_batches_tracked (int64) "
        "is excluded. GroupNorm: 2C if affine, C must divide by groups. InstanceNorm2d: 2C if "
        "affine, plus 2C buffers with track_running_stats. LayerNorm([C]) normalizes over channels "
        "(2C), LayerNorm([C,H,W]) over everything (2*C*H*W, depends on the input size). "
        "torch 1.13 LayerNorm has no bias=False option (elementwise_affine=False drops weight and "
        "bias; Keras' LayerNormalization(center=False) keeps C). InstanceNorm2d defaults to "
        "affine=False, track_running_stats=False (0 parameters); trackRunningStats says which torch "
        "variant a case is. Each case's 'spec' is a suggested cnncalc layer, not an agreed syntax "
        "beyond the issue's fields (groups, over, affine).",
        cases,
    )


def prelu():
    cases = []
    for shape, n in (([7, 7, 32], 32), ([7, 7, 32], 1), ([10, 8], 8), ([64], 64), ([7, 7, 32], 16)):
        m = nn.PReLU(num_parameters=n)
        x = torch.randn(to_torch(shape)) if len(shape) > 1 else torch.randn(1, shape[0])
        y, err = run_or_error(lambda: m(x))
        t, nt = param_counts(m)
        case = {"type": "prelu", "input": shape, "torch": f"nn.PReLU(num_parameters={n})",
                "spec": {"type": "prelu", **({"shared": True} if n == 1 else {})}}
        if err:
            case["error"] = err
        else:
            case["expected"] = {"outputShape": channels_last(y.shape) if len(shape) > 1 else [shape[0]],
                                "trainable": t, "nonTrainable": nt}
        cases.append(case)
    save(
        "prelu",
        "PReLU: one slope per channel (num_parameters=C, C trainable) or one shared slope "
        "(num_parameters=1); num_parameters must be 1 or the channels (dimension 1 in torch). "
        "Keras' PReLU defaults to one slope per element (H*W*C) unless shared_axes=[1, 2]. "
        "The 'spec' key 'shared' is a suggestion, not an agreed field.",
        cases,
    )


# --------------------------------------------------------------------------------- pad and crop

def pad_crop():
    cases = []
    shape = [7, 9, 3]
    # cnncalc's padding/cropping as Keras writes them: int, [h, w], or [[top, bottom], [left, right]]
    table = [1, [1, 2], [[1, 2], [3, 0]], [[0, 1], [0, 1]], 0]
    for p in table:
        if isinstance(p, int):
            tb, lr = [p, p], [p, p]
        elif isinstance(p[0], int):
            tb, lr = [p[0], p[0]], [p[1], p[1]]
        else:
            tb, lr = p
        x = torch.zeros(to_torch(shape))
        pad = (lr[0], lr[1], tb[0], tb[1])  # torch's order: last dimension first
        y = F.pad(x, pad)
        y2 = nn.ZeroPad2d(pad)(x)
        assert y.shape == y2.shape
        cases.append({"type": "zeropad", "input": shape, "padding": p,
                      "torch": f"F.pad(x, {pad}) == nn.ZeroPad2d({pad})",
                      "expected": {"outputShape": channels_last(y.shape)}})
        crop = (-lr[0], -lr[1], -tb[0], -tb[1])
        y, err = run_or_error(lambda: F.pad(x, crop))
        sl = x[:, :, tb[0]:shape[0] - tb[1], lr[0]:shape[1] - lr[1]]
        case = {"type": "crop", "input": shape, "cropping": p,
                "torch": f"F.pad(x, {crop}) == x[:, :, {tb[0]}:{shape[0]}-{tb[1]}, {lr[0]}:{shape[1]}-{lr[1]}]"}
        if err:
            case["error"] = err
        else:
            assert list(y.shape) == list(sl.shape)
            case["expected"] = {"outputShape": channels_last(y.shape)}
        cases.append(case)
    # crops that leave nothing
    for p in ([[4, 3], [0, 0]], [[0, 0], [5, 5]]):
        tb, lr = p
        x = torch.zeros(to_torch(shape))
        crop = (-lr[0], -lr[1], -tb[0], -tb[1])
        y, err = run_or_error(lambda: F.pad(x, crop))
        case = {"type": "crop", "input": shape, "cropping": p, "torch": f"F.pad(x, {crop})"}
        if err:
            case["error"] = err
        else:
            case["expected"] = {"outputShape": channels_last(y.shape)}
        cases.append(case)
    # 1-D
    x = torch.zeros(1, 3, 10)
    y = F.pad(x, (2, 1))
    cases.append({"type": "zeropad", "input": [10, 3], "padding": [[2, 1]],
                  "torch": "F.pad(x, (2, 1))", "expected": {"outputShape": channels_last(y.shape)}})
    y = F.pad(x, (-2, -1))
    cases.append({"type": "crop", "input": [10, 3], "cropping": [[2, 1]],
                  "torch": "F.pad(x, (-2, -1))", "expected": {"outputShape": channels_last(y.shape)}})
    save(
        "pad-crop",
        "Zero padding and cropping: padding/cropping is an int (all sides), [h, w] (symmetric per "
        "dimension) or [[top, bottom], [left, right]] (Keras' ZeroPadding2D/Cropping2D); torch's "
        "F.pad takes (left, right, top, bottom), last dimension first, and crops with negative "
        "values. A crop that leaves 0 or fewer positions is recorded as torch reports it.",
        cases,
    )


# ---------------------------------------------------------------------------------- broadcasting

def broadcast():
    cases = []
    table = [
        ([7, 7, 32], [7, 7, 32]),
        ([7, 7, 32], [1, 1, 32]),   # SE gate: keepdims global pool times the map
        ([7, 7, 32], [32]),         # a per-channel vector
        ([7, 7, 32], [7, 7, 1]),    # a spatial attention map
        ([7, 7, 32], [1]),
        ([7, 7, 32], []),
        ([1, 7, 32], [7, 1, 32]),
        ([7, 7, 32], [7, 32]),
        ([7, 7, 32], [7, 7, 16]),
        ([7, 7, 32], [5, 7, 32]),
        ([7, 7, 32], [14, 14, 32]),
        ([7, 7, 32], [1, 1, 1, 32]),
        ([10, 8], [1, 8]),
        ([10, 8], [10, 1]),
        ([7, 7, 32], [1, 1, 32], [7, 7, 1]),
        ([7, 7, 32], [32], [7, 7, 16]),
    ]
    for shapes in table:
        out, err = run_or_error(lambda: list(torch.broadcast_shapes(*[tuple(s) for s in shapes])))
        case = {"shapes": [list(s) for s in shapes], "torch": "torch.broadcast_shapes"}
        if err:
            case["error"] = err
        else:
            for op in (torch.add, torch.mul):
                r = torch.zeros(shapes[0])
                for s in shapes[1:]:
                    r = op(r, torch.zeros(s))
                assert list(r.shape) == out
            case["expected"] = {"outputShape": out}
        cases.append(case)
    save(
        "broadcast",
        "Elementwise add/multiply of channels-last shapes (no batch dimension) under NumPy "
        "broadcasting, as torch.broadcast_shapes (checked with torch.add and torch.mul): shapes "
        "are aligned at the right (channels), a size 1 stretches, otherwise sizes must be equal. "
        "Note [7,7,32] with [1,1,1,32] gives a rank-4 result.",
        cases,
    )


def main():
    adaptive_pooling()
    upsample()
    pixel_shuffle()
    channel_shuffle()
    norm_params()
    prelu()
    pad_crop()
    broadcast()


if __name__ == "__main__":
    main()
