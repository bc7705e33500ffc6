#!/usr/bin/env python3
"""The eager-PyTorch peer of `scripts/lethe bench train`: the same Llama-style model, batch and optimizer step.

Written from the Llama definitions (no Lethe code, no transformers): embedding, N x (RMSNorm, attention with
rotate-half RoPE and a causal mask, RMSNorm, SwiGLU), RMSNorm, untied LM head; next-token cross-entropy over
all positions, AdamW (decay on matrices only), global-norm clipping at 1. Random ids, as the Lethe bench.
Prints one JSON line with tokens_per_s and step_s_median (median over steps after two warm-up steps).

Usage: eager_train_bench.py [--attention sdpa|eager] [--threads 2] [--steps 12] (shape options as the Lethe
bench: --layers 4 --dim 256 --heads 4 --kv-heads 4 --ffn 704 --vocab 2048 --batch 16 --seq 128)
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn.functional as F
from torch import nn


class RMSNorm(nn.Module):
    def __init__(self, d, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


class Block(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.h, self.kv, self.hd = a.heads, a.kv_heads, a.dim // a.heads
        self.input_layernorm = RMSNorm(a.dim)
        self.q_proj = nn.Linear(a.dim, a.heads * self.hd, bias=False)
        self.k_proj = nn.Linear(a.dim, a.kv_heads * self.hd, bias=False)
        self.v_proj = nn.Linear(a.dim, a.kv_heads * self.hd, bias=False)
        self.o_proj = nn.Linear(a.heads * self.hd, a.dim, bias=False)
        self.post_attention_layernorm = RMSNorm(a.dim)
        self.gate_proj = nn.Linear(a.dim, a.ffn, bias=False)
        self.up_proj = nn.Linear(a.dim, a.ffn, bias=False)
        self.down_proj = nn.Linear(a.ffn, a.dim, bias=False)
        self.attention = a.attention

    def forward(self, x, cos, sin, mask):
        b, t, _ = x.shape
        y = self.input_layernorm(x)
        q = self.q_proj(y).view(b, t, self.h, self.hd).transpose(1, 2)
        k = self.k_proj(y).view(b, t, self.kv, self.hd).transpose(1, 2)
        v = self.v_proj(y).view(b, t, self.kv, self.hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        if self.kv != self.h:
            k = k.repeat_interleave(self.h // self.kv, dim=1)
            v = v.repeat_interleave(self.h // self.kv, dim=1)
        if self.attention == "sdpa":
            o = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            s = (q @ k.transpose(-1, -2)) / math.sqrt(self.hd) + mask
            o = s.softmax(-1) @ v
        x = x + self.o_proj(o.transpose(1, 2).reshape(b, t, -1))
        y = self.post_attention_layernorm(x)
        return x + self.down_proj(F.silu(self.gate_proj(y)) * self.up_proj(y))


class Model(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.embed_tokens = nn.Embedding(a.vocab, a.dim)
        self.layers = nn.ModuleList(Block(a) for _ in range(a.layers))
        self.norm = RMSNorm(a.dim)
        self.lm_head = nn.Linear(a.dim, a.vocab, bias=False)
        hd = a.dim // a.heads
        inv = 1.0 / (10000.0 ** (torch.arange(0, hd, 2).float() / hd))
        f = torch.outer(torch.arange(a.seq).float(), inv)
        emb = torch.cat((f, f), dim=-1)
        self.register_buffer("cos", emb.cos(), persistent=False)
        self.register_buffer("sin", emb.sin(), persistent=False)
        self.register_buffer("mask", torch.full((a.seq, a.seq), float("-inf")).triu(1), persistent=False)

    def forward(self, ids):
        x = self.embed_tokens(ids)
        for layer in self.layers:
            x = layer(x, self.cos, self.sin, self.mask)
        return self.lm_head(self.norm(x))


def main():
    p = argparse.ArgumentParser()
    for name, default in [("layers", 4), ("dim", 256), ("heads", 4), ("kv-heads", 4), ("ffn", 704),
                          ("vocab", 2048), ("batch", 16), ("seq", 128), ("steps", 12), ("threads", 2), ("seed", 0)]:
        p.add_argument("--" + name, type=int, default=default)
    p.add_argument("--attention", choices=["sdpa", "eager"], default="sdpa")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    model = Model(a)
    decay = [q for q in model.parameters() if q.dim() >= 2]
    rest = [q for q in model.parameters() if q.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": rest, "weight_decay": 0.0}],
                            lr=3e-4)
    times, losses = [], []
    for step in range(a.steps):
        ids = torch.randint(0, a.vocab, (a.batch, a.seq))
        t0 = time.perf_counter()
        logits = model(ids)  # as transformers: logits at every position, the last one unused
        loss = F.cross_entropy(logits[:, :-1].reshape(-1, a.vocab), ids[:, 1:].reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        losses.append(loss.item())
        times.append(time.perf_counter() - t0)
    med = statistics.median(times[2:])
    print(json.dumps({"bench": "eager_pytorch_train", "torch": torch.__version__, "attention": a.attention,
                      "threads": torch.get_num_threads(), "step_s_median": round(med, 4),
                      "tokens_per_s": round(a.batch * a.seq / med), "first_loss": round(losses[0], 4),
                      "last_loss": round(losses[-1], 4)}))


if __name__ == "__main__":
    main()
