#!/usr/bin/env python3
"""Independent check that a Lethe checkpoint directory is a Hugging Face LlamaForCausalLM checkpoint.

Uses only the standard library, numpy and PyTorch (Debian's python3-torch): no transformers, no safetensors
package. It checks
  1. config.json has the keys LlamaConfig reads, with consistent values;
  2. model.safetensors parses as the reference format describes (8-byte header length, JSON header with
     __metadata__.format == "pt", contiguous offsets) and holds exactly the tensors LlamaForCausalLM's
     state_dict has, with their shapes, in float32;
  3. (with --ids/--logits) a forward pass written here from transformers' modeling_llama definitions
     (rotate_half RoPE, repeat_kv GQA, RMSNorm in float32, SwiGLU) reproduces the logits Lethe computed.

Usage: check_hf_llama.py CHECKPOINT_DIR [--ids 1,5,9 --logits FILE.npy-like-json]
Exit status 0 when every check passes.
"""
import json
import math
import struct
import sys

import numpy as np
import torch

DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64, "BF16": None}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    assert n % 8 == 0, f"header length {n} is not a multiple of 8"
    header = json.loads(data[8:8 + n])
    meta = header.pop("__metadata__", {})
    base = 8 + n
    tensors, end = {}, 0
    for name, info in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0]):
        b, e = info["data_offsets"]
        assert b == end, f"{name}: offsets not contiguous ({b} != {end})"
        end = e
        dt = DTYPES[info["dtype"]]
        arr = np.frombuffer(data[base + b:base + e], dtype=dt).reshape(info["shape"])
        tensors[name] = (info["dtype"], torch.from_numpy(arr.copy()))
    assert base + end == len(data), "trailing bytes after the last tensor"
    return meta, tensors


def expected_shapes(c):
    d, f, v = c["hidden_size"], c["intermediate_size"], c["vocab_size"]
    h, kv = c["num_attention_heads"], c.get("num_key_value_heads", c["num_attention_heads"])
    hd = c.get("head_dim", d // h)
    s = {"model.embed_tokens.weight": (v, d), "model.norm.weight": (d,)}
    for i in range(c["num_hidden_layers"]):
        p = f"model.layers.{i}."
        s[p + "input_layernorm.weight"] = (d,)
        s[p + "post_attention_layernorm.weight"] = (d,)
        s[p + "self_attn.q_proj.weight"] = (h * hd, d)
        s[p + "self_attn.k_proj.weight"] = (kv * hd, d)
        s[p + "self_attn.v_proj.weight"] = (kv * hd, d)
        s[p + "self_attn.o_proj.weight"] = (d, h * hd)
        if c.get("attention_bias", False):
            s[p + "self_attn.q_proj.bias"] = (h * hd,)
            s[p + "self_attn.k_proj.bias"] = (kv * hd,)
            s[p + "self_attn.v_proj.bias"] = (kv * hd,)
        s[p + "mlp.gate_proj.weight"] = (f, d)
        s[p + "mlp.up_proj.weight"] = (f, d)
        s[p + "mlp.down_proj.weight"] = (d, f)
    if not c.get("tie_word_embeddings", False):
        s["lm_head.weight"] = (v, d)
    return s


def rotate_half(x):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def forward(c, w, ids):
    d, h = c["hidden_size"], c["num_attention_heads"]
    kv = c.get("num_key_value_heads", h)
    hd = c.get("head_dim", d // h)
    eps = c["rms_norm_eps"]
    t = len(ids)

    def rms(x, g):
        var = x.pow(2).mean(-1, keepdim=True)
        return g * (x * torch.rsqrt(var + eps))

    inv_freq = 1.0 / (c["rope_theta"] ** (torch.arange(0, hd, 2, dtype=torch.int64).float() / hd))
    freqs = torch.outer(torch.arange(t).float(), inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos(), emb.sin()
    x = w["model.embed_tokens.weight"][torch.tensor(ids)]
    mask = torch.full((t, t), float("-inf")).triu(1)
    for i in range(c["num_hidden_layers"]):
        p = f"model.layers.{i}."
        r = rms(x, w[p + "input_layernorm.weight"])
        lin = lambda n, z: z @ w[p + n + ".weight"].T + (w[p + n + ".bias"] if p + n + ".bias" in w else 0)
        q = lin("self_attn.q_proj", r).view(t, h, hd).transpose(0, 1)
        k = lin("self_attn.k_proj", r).view(t, kv, hd).transpose(0, 1)
        v = lin("self_attn.v_proj", r).view(t, kv, hd).transpose(0, 1)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = k.repeat_interleave(h // kv, dim=0)  # repeat_kv
        v = v.repeat_interleave(h // kv, dim=0)
        a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(hd) + mask, dim=-1) @ v
        x = x + lin("self_attn.o_proj", a.transpose(0, 1).reshape(t, h * hd))
        r = rms(x, w[p + "post_attention_layernorm.weight"])
        g = lin("mlp.gate_proj", r)
        x = x + lin("mlp.down_proj", torch.nn.functional.silu(g) * lin("mlp.up_proj", r))
    x = rms(x, w["model.norm.weight"])
    head = w["model.embed_tokens.weight"] if c.get("tie_word_embeddings", False) else w["lm_head.weight"]
    return x @ head.T


def main(argv):
    ckpt = argv[1]
    c = json.load(open(f"{ckpt}/config.json"))
    problems = []
    for key in ("architectures", "hidden_size", "intermediate_size", "num_attention_heads", "num_hidden_layers",
                "num_key_value_heads", "rms_norm_eps", "rope_theta", "vocab_size", "max_position_embeddings",
                "tie_word_embeddings", "bos_token_id", "eos_token_id", "model_type", "hidden_act"):
        if key not in c:
            problems.append(f"config.json lacks {key}")
    if c.get("architectures") != ["LlamaForCausalLM"] or c.get("model_type") != "llama":
        problems.append(f"not a llama config: {c.get('architectures')} / {c.get('model_type')}")
    if c.get("hidden_act") != "silu":
        problems.append("hidden_act must be silu")
    meta, tensors = read_safetensors(f"{ckpt}/model.safetensors")
    if meta.get("format") != "pt":
        problems.append(f"__metadata__.format is {meta.get('format')!r}, transformers wants 'pt'")
    want = expected_shapes(c)
    for name in sorted(set(want) - set(tensors)):
        problems.append(f"missing {name}")
    for name in sorted(set(tensors) - set(want)):
        problems.append(f"unexpected {name}")
    for name in sorted(set(want) & set(tensors)):
        dt, t = tensors[name]
        if tuple(t.shape) != tuple(want[name]):
            problems.append(f"{name}: shape {tuple(t.shape)}, LlamaForCausalLM needs {want[name]}")
        if dt != "F32":
            problems.append(f"{name}: dtype {dt}, config says float32")
    report = {"tensors": len(tensors), "problems": problems}
    if "--ids" in argv:
        ids = [int(x) for x in argv[argv.index("--ids") + 1].split(",")]
        lethe = torch.tensor(json.load(open(argv[argv.index("--logits") + 1])), dtype=torch.float32)
        w = {k: v for k, (_, v) in tensors.items()}
        ref = forward(c, w, ids)
        diff = (ref - lethe.view_as(ref)).abs().max().item()
        report["max_abs_logit_diff"] = diff
        if not diff < 1e-4:
            problems.append(f"logits differ from the reference forward by {diff}")
    print(json.dumps(report))
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
