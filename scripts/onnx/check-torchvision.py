#!/usr/bin/python3
# Checks cnncalc's ONNX reader against PyTorch on torchvision's networks (not committed as
# fixtures: 20-220 kB each): each is built with weights=None, exported weightless with BatchNorm
# kept (opset 17), read by the built CLI (node bin/cnncalc.js --json), and its trainable and
# non-trainable counts and output compared with PyTorch's own. Run from anywhere, after
# `npm run build`:
#   /usr/bin/python3 scripts/onnx/check-torchvision.py [name ...]
# docs/onnx.md lists what it reported.
import json
import os
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True

import torch  # noqa: E402
import torchvision  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NAMES = [
    "alexnet", "vgg11", "resnet18", "resnet50", "resnext50_32x4d", "wide_resnet50_2",
    "googlenet", "mobilenet_v2", "mobilenet_v3_small", "mnasnet0_5", "efficientnet_b0",
    "shufflenet_v2_x0_5", "squeezenet1_0", "regnet_x_400mf", "convnext_tiny", "densenet121",
]


def main(names):
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            kw = {"aux_logits": False, "init_weights": False} if name == "googlenet" else {}
            model = getattr(torchvision.models, name)(weights=None, **kw).eval()
            path = os.path.join(tmp, f"{name}.onnx")
            torch.onnx.export(model, torch.zeros(1, 3, 224, 224), path, opset_version=17,
                              export_params=False, training=torch.onnx.TrainingMode.PRESERVE)
            trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
            buffers = sum(b.numel() for n, b in model.named_buffers()
                          if not n.endswith("num_batches_tracked"))
            r = subprocess.run(["node", os.path.join(ROOT, "bin", "cnncalc.js"), path, "--json"],
                               capture_output=True, text=True)
            if r.returncode != 0:
                print(f"{name}: cnncalc refused it: {r.stderr.strip()}")
                continue
            totals = json.loads(r.stdout)["totals"]
            got = (totals["trainableParameters"], totals["nonTrainableParameters"])
            ok = got == (trainable, buffers)
            failures += 0 if ok else 1
            print(f"{name}: PyTorch {trainable:,} + {buffers:,}, cnncalc {got[0]:,} + {got[1]:,}"
                  f" {'same' if ok else 'DIFFERENT'}")
    return failures


if __name__ == "__main__":
    sys.exit(1 if main(sys.argv[1:] or NAMES) else 0)
