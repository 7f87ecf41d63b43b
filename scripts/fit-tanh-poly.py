"""Fits the small-|x| polynomial used by the WASM tanh kernel (asm/kernels.ts).

For |x| < XS the kernel computes tanh(x) = x + x * z * P(z), z = x², with P of degree 4.
The coefficients are a discrete minimax fit (iteratively reweighted least squares on the
relative error) computed in float64 with numpy; run `python3 scripts/fit-tanh-poly.py` to
reproduce them. Beyond XS the kernel uses 1 − 2 / (exp(2|x|) + 1), which is accurate there.
"""
import numpy as np

XS = 0.625
DEG = 4

x = np.cos(np.linspace(0, np.pi, 4001)) * 0.5 * XS + 0.5 * XS  # Chebyshev-spaced in (0, XS]
x = x[x > 1e-4]
z = x * x
target = (np.tanh(x) / x - 1) / z  # P(z) exactly
V = np.vander(z, DEG + 1, increasing=True)
w = np.ones_like(z)
for _ in range(200):  # Lawson's algorithm: converges towards the minimax solution
    c, *_ = np.linalg.lstsq(V * w[:, None], target * w, rcond=None)
    err = np.abs(V @ c - target) * z  # error of tanh(x)/x, i.e. relative error of tanh
    w = w * np.sqrt(err / err.max() + 1e-300)
    w = w / w.max()
c32 = c.astype(np.float32)
xt = np.linspace(1e-4, XS, 200001)
zt = (xt * xt).astype(np.float32)
p = np.zeros_like(zt)
for ci in c32[::-1]:
    p = (p * zt + ci).astype(np.float32)
y = (xt.astype(np.float32) + xt.astype(np.float32) * zt * p).astype(np.float32)
print("coefficients (c0..c4):", ", ".join(repr(float(v)) for v in c32))
print("max rel err (float64 poly):", float(np.max(np.abs(V @ c - target) * z)))
print("max abs err (float32 eval):", float(np.max(np.abs(y.astype(np.float64) - np.tanh(xt)))))
