#!/usr/bin/env python3
"""Cross-checks Kefu's LoRA adapters against Hugging Face PEFT (needs torch, transformers, peft; runs on the GPU
machine or any machine with them — not part of the .NET test run, which has no Python).

  # 1. Our adapter in PEFT: logits of base+adapter in PEFT vs. logits Kefu computed (saved by the caller as .npy)
  python tools/reference/peft_roundtrip.py check --model MODEL_DIR --adapter KEFU_ADAPTER_DIR --ids 1,2,3 \
      [--expected-logits kefu_logits.npy]
  # 2. A PEFT-made adapter for Kefu to load (random non-zero B so it is not a no-op), plus its reference logits
  python tools/reference/peft_roundtrip.py make --model MODEL_DIR --out PEFT_ADAPTER_DIR --ids 1,2,3 [--rank 8]

`make` writes PEFT_ADAPTER_DIR/{adapter_config.json, adapter_model.safetensors, reference_logits.npy, ids.txt};
`kefu` loads it with LoraAdapter.Load and must reproduce reference_logits.npy (max abs diff < 1e-4 in float32).
`check` prints the max abs difference and exits 1 when it exceeds --tolerance.
"""
import argparse
import sys

import numpy as np
import torch
from peft import LoraConfig, PeftModel, get_peft_model
from transformers import AutoModelForCausalLM


def logits(model, ids):
    with torch.no_grad():
        return model(torch.tensor([ids])).logits[0].float().cpu().numpy()


def check(args):
    ids = [int(x) for x in args.ids.split(",")]
    base = AutoModelForCausalLM.from_pretrained(args.model, torch_dtype=torch.float32)
    model = PeftModel.from_pretrained(base, args.adapter).eval()
    ours = logits(model, ids)
    print(f"PEFT loaded {args.adapter}: {sum(p.numel() for n, p in model.named_parameters() if 'lora_' in n)} LoRA parameters")
    if args.expected_logits:
        expected = np.load(args.expected_logits)
        diff = float(np.abs(expected - ours).max())
        print(f"max |kefu - peft| = {diff:.3e}")
        if diff > args.tolerance:
            sys.exit(1)
    merged = model.merge_and_unload()
    diff = float(np.abs(logits(merged, ids) - ours).max())
    print(f"max |merged - unmerged| in PEFT = {diff:.3e}")
    np.save(args.adapter.rstrip("/") + "/peft_logits.npy", ours)


def make(args):
    ids = [int(x) for x in args.ids.split(",")]
    torch.manual_seed(args.seed)
    base = AutoModelForCausalLM.from_pretrained(args.model, torch_dtype=torch.float32)
    config = LoraConfig(r=args.rank, lora_alpha=2 * args.rank, lora_dropout=0.0, target_modules=args.targets.split(","),
                        bias="none", task_type="CAUSAL_LM", use_rslora=args.rslora)
    model = get_peft_model(base, config)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "lora_B" in name:
                p.normal_(0, 0.02)
    model.eval()
    model.save_pretrained(args.out)
    np.save(args.out.rstrip("/") + "/reference_logits.npy", logits(model, ids))
    with open(args.out.rstrip("/") + "/ids.txt", "w") as f:
        f.write(args.ids + "\n")
    print(f"wrote {args.out}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check")
    c.add_argument("--model", required=True)
    c.add_argument("--adapter", required=True)
    c.add_argument("--ids", default="151644,872,198,108386,151645,198,151644,77091,198")
    c.add_argument("--expected-logits")
    c.add_argument("--tolerance", type=float, default=1e-4)
    m = sub.add_parser("make")
    m.add_argument("--model", required=True)
    m.add_argument("--out", required=True)
    m.add_argument("--ids", default="151644,872,198,108386,151645,198,151644,77091,198")
    m.add_argument("--rank", type=int, default=8)
    m.add_argument("--targets", default="q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj")
    m.add_argument("--rslora", action="store_true")
    m.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    check(args) if args.command == "check" else make(args)


if __name__ == "__main__":
    main()
