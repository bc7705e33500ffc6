#!/usr/bin/env python3
"""Loads a Lethe checkpoint with Hugging Face transformers itself, the way a user would.

  1. `AutoModelForCausalLM.from_pretrained(CKPT)` builds the architecture config.json names
     (LlamaForCausalLM, Qwen2ForCausalLM, ...) with no missing, unexpected or mismatched tensor;
  2. (with --ids/--logits) its forward pass reproduces the logits Lethe computed, to 1e-4;
  3. (with --tokenizer) `AutoTokenizer.from_pretrained(CKPT)` loads tokenizer.json / tokenizer_config.json
     and its special tokens agree with config.json;
  4. (with --save DIR) `save_pretrained(DIR)` writes the model back in transformers' own layout (the caller
     loads that with Lethe, to close the round trip).

Usage: check_with_transformers.py CKPT [--ids 1,5,9 --logits FILE.json] [--tokenizer] [--save DIR]
Exit status 0 when every check passes.
"""
import json
import sys

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer


def main(argv):
    ckpt = argv[1]
    problems = []
    model, info = AutoModelForCausalLM.from_pretrained(ckpt, output_loading_info=True, dtype=torch.float32)
    for kind in ("missing_keys", "unexpected_keys", "mismatched_keys", "error_msgs"):
        if info.get(kind):
            problems.append(f"{kind}: {sorted(info[kind])}")
    config = json.load(open(f"{ckpt}/config.json"))
    if type(model).__name__ not in config["architectures"]:
        problems.append(f"transformers built {type(model).__name__}, config.json names {config['architectures']}")
    model.eval()
    if "--ids" in argv:
        ids = [int(x) for x in argv[argv.index("--ids") + 1].split(",")]
        lethe = torch.tensor(json.load(open(argv[argv.index("--logits") + 1])), dtype=torch.float32)
        with torch.no_grad():
            logits = model(torch.tensor([ids])).logits[0]
        diff = (logits - lethe.view_as(logits)).abs().max().item()
        print(f"max |logit difference| vs Lethe: {diff:.3e}")
        if not diff < 1e-4:
            problems.append(f"logits differ from Lethe's by {diff}")
    if "--tokenizer" in argv:
        tok = AutoTokenizer.from_pretrained(ckpt)
        for name in ("bos_token_id", "eos_token_id"):
            if config.get(name) is not None and getattr(tok, name) != config[name]:
                problems.append(f"tokenizer {name} {getattr(tok, name)} != config.json's {config[name]}")
        print(f"tokenizer: {type(tok).__name__}, vocabulary {len(tok)}")
    if "--save" in argv:
        model.save_pretrained(argv[argv.index("--save") + 1])
    for p in problems:
        print("PROBLEM:", p)
    print("transformers", __import__("transformers").__version__, "loads", type(model).__name__,
          "OK" if not problems else "FAILED")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
