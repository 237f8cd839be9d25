# Shared helpers of the fixture scripts in scripts/torch/.
#
# These scripts need PyTorch and torchvision as packaged by Debian bookworm
# (apt-get install python3-torch python3-torchvision; torch 1.13.1, torchvision 0.14.1)
# and run with the system interpreter (/usr/bin/python3). They only (re)generate the JSON
# fixtures under test/fixtures/torch/ and examples/; npm test never
# runs them and needs neither Python nor PyTorch. Models are built with weights=None: no
# download happens.
import json
import os

import torch
from torch import nn

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TORCH_DIR = os.path.join(ROOT, "test", "fixtures", "torch")
PENDING_DIR = os.path.join(ROOT, "examples")
GENERATOR = {"torch": torch.__version__.split("+")[0]}
try:
    import torchvision

    GENERATOR["torchvision"] = torchvision.__version__.split("+")[0]
except ImportError:  # the formula fixtures need torch only
    pass


def write_json(path, data, compact_lists=True):
    """Writes JSON with 2-space indent, short numeric lists kept on one line."""
    text = json.dumps(data, indent=2)
    if compact_lists:
        import re

        # [\n  1,\n  2\n] -> [1, 2] for lists of numbers, strings of few chars, null, bools
        pattern = re.compile(r"\[\s*((?:-?[\d.e+-]+|null|true|false|\"[^\"\n]{0,12}\")(?:,\s*(?:-?[\d.e+-]+|null|true|false|\"[^\"\n]{0,12}\"))*)\s*\]")
        text = pattern.sub(lambda m: "[" + ", ".join(s.strip() for s in m.group(1).split(",")) + "]", text)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text + "\n")
    print("wrote", os.path.relpath(path, ROOT))


def channels_last(shape, layout="NCHW"):
    """A torch output shape (with batch dimension 1) in cnncalc's channels-last order."""
    s = list(shape)[1:]
    if layout == "NCHW" and len(s) >= 2:
        s = s[1:] + s[:1]
    return s


def param_counts(module, recurse=True):
    """(trainable, non-trainable) as Keras counts them: parameters with requires_grad are
    trainable; float buffers (BatchNorm's running_mean/var) are non-trainable; integer
    buffers (num_batches_tracked) are excluded."""
    trainable = sum(p.numel() for p in module.parameters(recurse=recurse) if p.requires_grad)
    frozen = sum(p.numel() for p in module.parameters(recurse=recurse) if not p.requires_grad)
    buffers = sum(
        b.numel() for b in module.buffers(recurse=recurse) if b.is_floating_point()
    )
    return trainable, frozen + buffers


def module_args(m):
    """Key constructor arguments of the module types the fixtures meet."""
    if isinstance(m, nn.Conv2d):
        return {
            "in_channels": m.in_channels,
            "out_channels": m.out_channels,
            "kernel_size": list(m.kernel_size),
            "stride": list(m.stride),
            "padding": m.padding if isinstance(m.padding, str) else list(m.padding),
            "dilation": list(m.dilation),
            "groups": m.groups,
            "bias": m.bias is not None,
        }
    if isinstance(m, nn.Linear):
        return {"in_features": m.in_features, "out_features": m.out_features, "bias": m.bias is not None}
    if isinstance(m, nn.modules.batchnorm._BatchNorm):
        return {"num_features": m.num_features, "eps": m.eps, "affine": m.affine,
                "track_running_stats": m.track_running_stats}
    if isinstance(m, nn.LayerNorm):
        return {"normalized_shape": list(m.normalized_shape), "eps": m.eps,
                "elementwise_affine": m.elementwise_affine}
    if isinstance(m, (nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d)):
        return {"output_size": m.output_size}
    if isinstance(m, (nn.MaxPool2d, nn.AvgPool2d)):
        return {"kernel_size": m.kernel_size, "stride": m.stride, "padding": m.padding}
    if isinstance(m, nn.Dropout):
        return {"p": m.p}
    if isinstance(m, nn.Upsample):
        return {"scale_factor": m.scale_factor, "size": m.size, "mode": m.mode,
                "align_corners": m.align_corners}
    if isinstance(m, nn.PixelShuffle):
        return {"upscale_factor": m.upscale_factor}
    if type(m).__name__ == "Permute":
        return {"dims": list(m.dims)}
    if type(m).__name__ == "StochasticDepth":
        return {"p": m.p, "mode": m.mode}
    if isinstance(m, nn.GELU):
        return {"approximate": m.approximate}
    return {}


def macs_of(m, out):
    """Multiply-accumulates of a conv or linear layer: kernel_h*kernel_w*(Cin/groups)*Cout*Hout*Wout
    (the weight's size times the output positions); None for other layers."""
    if isinstance(m, nn.Conv2d):
        return m.weight.numel() * out.shape[2] * out.shape[3]
    if isinstance(m, nn.Linear):
        return m.weight.numel() * (out.numel() // out.shape[-1])
    return None


def trace_rows(model, x):
    """One row per leaf module (and per module owning parameters directly, as ConvNeXt's
    CNBlock owns layer_scale), in execution order, from forward hooks."""
    names = {m: n for n, m in model.named_modules()}
    rows = []
    state = {"layout": "NCHW"}
    hooks = []

    def hook(m, inputs, out):
        name = names[m]
        if type(m).__name__ == "Permute":
            state["layout"] = "NHWC" if list(m.dims) == [0, 2, 3, 1] else "NCHW"
        leaf = len(list(m.children())) == 0
        if leaf:
            t, nt = param_counts(m)
            row = {
                "module": name,
                "class": type(m).__name__,
                "args": module_args(m),
                "torchShape": list(out.shape),
                "outputShape": channels_last(out.shape, state["layout"]),
                "trainable": t,
                "nonTrainable": nt,
            }
            macs = macs_of(m, out)
            if macs is not None:
                row["macs"] = macs
            rows.append(row)
        else:
            # parameters owned by the container itself (ConvNeXt's layer_scale)
            for pname, p in m.named_parameters(recurse=False):
                # ConvNeXt multiplies by layer_scale before its stochastic depth runs: keep that order
                at = len(rows)
                if rows and rows[-1]["module"] == f"{name}.stochastic_depth":
                    at -= 1
                rows.insert(at, {
                    "module": f"{name}.{pname}",
                    "class": "Parameter",
                    "args": {"shape": list(p.shape), "owner": type(m).__name__},
                    "torchShape": list(out.shape),
                    "outputShape": channels_last(out.shape, "NCHW"),
                    "trainable": p.numel() if p.requires_grad else 0,
                    "nonTrainable": 0 if p.requires_grad else p.numel(),
                })

    for m in model.modules():
        if len(list(m.children())) == 0 or len(list(m.parameters(recurse=False))) > 0:
            hooks.append(m.register_forward_hook(hook))
    with torch.no_grad():
        y = model(x)
    for h in hooks:
        h.remove()
    return rows, y


# ---------------------------------------------------------------------------------------------
# cnncalc specs built alongside the torch model.
#
# A spec layer is a dict in cnncalc's JSON; the private key "_torch" lists the torch module
# paths (or parameter paths) it stands for, "_shape" overrides the expected channels-last output
# shape when torch's differs only by a flatten. A repeat with "times" > 1 gives its copies'
# torch paths with "{k}", replaced by "_kbase" + copy index - 1. strip() removes private keys.


def strip(layers):
    out = []
    for layer in layers:
        d = {}
        for k, v in layer.items():
            if k.startswith("_"):
                continue
            if k == "body" or k == "shortcut":
                v = strip(v)
            elif k == "branches":
                v = [strip(b) for b in v]
            d[k] = v
        out.append(d)
    return out


def reference_rows(layers, by_module, prefix="layers", k=None):
    """Leaf layers of a spec in cnncalc's path order (layers[i].body[j]#c.branches[b][n]), each
    with the trainable/non-trainable parameters and output shape of its torch modules."""
    rows = []
    for i, layer in enumerate(layers):
        rows += _walk(layer, f"{prefix}[{i}]", by_module, k)
    return rows


def _walk(layer, path, by_module, k):
    t = layer["type"]
    rows = []
    if t == "repeat":
        for c in range(1, layer["times"] + 1):
            kk = layer["_kbase"] + c - 1 if "_kbase" in layer else k
            for j, child in enumerate(layer["body"]):
                rows += _walk(child, f"{path}.body[{j}]#{c}", by_module, kk)
        return rows
    if t == "residual":
        rows += reference_rows(layer["body"], by_module, f"{path}.body", k)
        rows += reference_rows(layer.get("shortcut", []), by_module, f"{path}.shortcut", k)
        return rows
    if t in ("concat", "add", "multiply"):
        for b, branch in enumerate(layer["branches"]):
            rows += reference_rows(branch, by_module, f"{path}.branches[{b}]", k)
        return rows
    refs = [r.format(k=k) for r in layer.get("_torch", [])]
    tr = sum(by_module[r]["trainable"] for r in refs)
    nt = sum(by_module[r]["nonTrainable"] for r in refs)
    shape = layer.get("_shape") or (by_module[refs[-1]]["outputShape"] if refs else None)
    macs = sum(by_module[r].get("macs", 0) for r in refs)
    row = {"path": path, "type": t, "torch": refs, "trainable": tr, "nonTrainable": nt,
           "outputShape": shape}
    if macs:
        row["macs"] = macs
    return [row]
