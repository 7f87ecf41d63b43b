"""PyTorch side of `npm run bench:nn`: a bidirectional nn.LSTM layer alone, on the batches bench/nn.ts
times, and torch.mm on its gemm shapes, with 1 thread (or --threads N).

Reads one JSON document on stdin:
  {"D": 100, "H": 100, "B": 32, "batches": [[len, ...], ...], "gemm": [[M, N, K], ...], "budget": seconds,
   "passes": P}  (the layer's figures are the fastest of P passes over the batches)
and prints one JSON line: {"torch", "threads", "fwd_tok_s", "fwdbwd_tok_s", "gemm_gflops": [...]}.

Time-major input [T, B, D] (the layout of bilstm-ner's layers), random values; sequences packed
(pack_padded_sequence, enforce_sorted=False), so padding costs nothing. Forward+backward: the input
requires grad (bilstm-ner's layer also returns dx), the gradient of the packed output is random, and
the parameter grads are zeroed every step (bilstm-ner zeroes them too).
"""
import argparse, json, sys, time

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    spec = json.load(sys.stdin)
    D, H, B, batches = spec["D"], spec["H"], spec["B"], spec["batches"]
    budget = spec.get("budget", 0.25)

    lstm = nn.LSTM(D, H, num_layers=1, bidirectional=True)
    t_max = max(max(b) for b in batches)
    x = torch.randn(t_max, B, D)
    dy = torch.randn(t_max * B, 2 * H)
    packs = []
    for lens in batches:
        T = max(lens)
        packs.append((T, torch.tensor(lens), sum(lens)))
    tokens = sum(p[2] for p in packs)

    def fwd(T, lens, n):
        with torch.no_grad():
            lstm(pack_padded_sequence(x[:T, :len(lens)], lens, enforce_sorted=False))

    def fwdbwd(T, lens, n):
        xb = x[:T, :len(lens)].detach().requires_grad_(True)
        out, _ = lstm(pack_padded_sequence(xb, lens, enforce_sorted=False))
        lstm.zero_grad()
        out.data.backward(dy[:n])

    res = {"torch": torch.__version__, "threads": a.threads}
    for name, f in (("fwd_tok_s", fwd), ("fwdbwd_tok_s", fwdbwd)):
        for p in packs[:3]:
            f(*p)
        best = 0.0
        for _ in range(spec.get("passes", 1)):
            t0 = time.perf_counter()
            for p in packs:
                f(*p)
            best = max(best, tokens / (time.perf_counter() - t0))
        res[name] = round(best)

    gf = []
    for M, N, K in spec["gemm"]:
        A, Bm, C = torch.randn(M, K), torch.randn(K, N), torch.empty(M, N)
        torch.mm(A, Bm, out=C)
        reps = 1
        while True:
            t0 = time.perf_counter()
            for _ in range(reps):
                torch.mm(A, Bm, out=C)
            if time.perf_counter() - t0 > budget / 5:
                break
            reps *= 2
        best = float("inf")
        for _ in range(5):
            t0 = time.perf_counter()
            for _ in range(reps):
                torch.mm(A, Bm, out=C)
            best = min(best, (time.perf_counter() - t0) / reps)
        gf.append(round(2 * M * N * K / best / 1e9, 2))
    res["gemm_gflops"] = gf
    print(json.dumps(res))


if __name__ == "__main__":
    main()
