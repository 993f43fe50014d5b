#!/usr/bin/env python3
"""Reference outputs of Hugging Face transformers for tiny random Qwen2 models.

Builds two tiny Qwen2ForCausalLM models (hidden 64, 2 layers, 4 query heads over 2 key/value heads, q/k/v bias,
vocabulary 300; one with tied embeddings, one without) from a fixed seed, saves each as a model folder
(config.json + model.safetensors), and records, for a fixed input, the float32 logits of every position and a
greedy continuation. Kefu.Model.Tests (Reference/TransformersGoldenTests) loads the folders with Kefu's own
safetensors reader and compares its logits (tolerance 1e-4) and greedy tokens.

Norm weights and biases are randomised too (transformers initialises them to 1 and 0), so a mistake in applying
either cannot hide. Attention is "eager", the plain reference implementation.

Run where transformers, torch and safetensors are installed (the GPU machine has them; a CPU is enough):
    python3 tools/reference/make_qwen2_golden.py --out tools/reference/golden
Outputs are small (~100 KB per model) and meant to be committed.
"""
import argparse
import json
import pathlib

import torch
import transformers
from transformers import Qwen2Config, Qwen2ForCausalLM

SEED = 20240611
INPUT_IDS = [5, 17, 42, 99, 256, 3, 77, 150, 299, 0, 64, 128]
NEW_TOKENS = 10
VARIANTS = {"tiny-untied": False, "tiny-tied": True}


def build(tied: bool) -> Qwen2ForCausalLM:
    torch.manual_seed(SEED)
    config = Qwen2Config(
        vocab_size=300,
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=512,
        rope_theta=10000.0,
        rms_norm_eps=1e-6,
        tie_word_embeddings=tied,
        use_sliding_window=False,
        initializer_range=0.2,
        bos_token_id=None,
        eos_token_id=None,
        pad_token_id=None,
    )
    config._attn_implementation = "eager"
    model = Qwen2ForCausalLM(config).float().eval()
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if name.endswith("norm.weight"):
                parameter.copy_(1 + 0.1 * torch.randn_like(parameter))
            elif name.endswith(".bias"):
                parameter.copy_(0.1 * torch.randn_like(parameter))
    return model


def greedy(model: Qwen2ForCausalLM, ids: list[int], count: int) -> list[int]:
    # A plain loop over full forwards: the reference must not depend on generate()'s defaults (eos, padding).
    tokens = list(ids)
    with torch.no_grad():
        for _ in range(count):
            logits = model(torch.tensor([tokens])).logits[0, -1]
            tokens.append(int(torch.argmax(logits)))
    return tokens[len(ids):]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(pathlib.Path(__file__).parent / "golden"))
    out = pathlib.Path(parser.parse_args().out)
    out.mkdir(parents=True, exist_ok=True)
    for name, tied in VARIANTS.items():
        model = build(tied)
        model.save_pretrained(out / name, safe_serialization=True)
        with torch.no_grad():
            logits = model(torch.tensor([INPUT_IDS])).logits[0]
        record = {
            "description": f"transformers Qwen2ForCausalLM, tie_word_embeddings={tied}, seed {SEED}, float32, eager attention",
            "transformers_version": transformers.__version__,
            "torch_version": torch.__version__,
            "model_dir": name,
            "input_ids": INPUT_IDS,
            "logits": [[round(float(v), 6) for v in row] for row in logits],
            "greedy_new_tokens": greedy(model, INPUT_IDS, NEW_TOKENS),
        }
        (out / f"{name}.json").write_text(json.dumps(record) + "\n", encoding="utf-8")
        print(f"wrote {out / name} and {out / (name + '.json')}")


if __name__ == "__main__":
    main()
