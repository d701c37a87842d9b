#!/usr/bin/python3
"""Trains the digits classifier of models/digits.blob (docs/model-format.md).

The data are the 8x8 handwritten digits shipped with scikit-learn
(sklearn.datasets.load_digits: 1797 samples of 64 values 0..16, no download).
Only the first 1000 samples are used for training and calibration; samples
1000..1796 are held out and only reported on.

Network: conv2d 16 filters 3x3, padding 1 -> relu -> maxpool 2x2 -> dense 256->32
-> relu -> dense 32->10 -> argmax head with softmax. Trained in float64 with
numpy (Adam, a fixed seed, shifted copies of the images as augmentation),
then quantised after training: int8 weights with one scale per output channel,
int32 biases, int8 activations with a zero point, and every rescaling as an
integer multiplier and shift. The held-out accuracy is reported as the integer
network computes it, with the arithmetic of docs/model-format.md §3 written
again here in numpy.

Run with Debian's python3 and its python3-numpy and python3-sklearn. The
output is the same bytes on every run (fixed seeds, one thread, float64).

    scripts/train_digits.py [--out models/digits.blob] [--data-out tests/data/digits]
"""
import os

# One thread in the linear algebra, so the sums are always added in the same order.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import argparse  # noqa: E402
import hashlib  # noqa: E402
import struct  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TRAIN = 1000
SEED = 20240807
EPOCHS = 100
BATCH = 25
LR = 0.003
WEIGHT_DECAY = 1e-4
C1, H1, CLASSES = 16, 32, 10

# docs/model-format.md: include/npu/model.h's constants, restated.
MODEL_MAGIC, MODEL_VERSION, HEADER_SIZE = 0x4D55504E, 1, 64
DENSE, CONV2D, RELU, MAXPOOL, ARGMAX = 1, 2, 3, 4, 5
HEAD_SOFTMAX = 1
INPUT_U8 = 1

# ---- float network and training ----


def im2col(x):
    """(N, 8, 8) -> (N, 64, 9): the 3x3 neighbourhood (padding 1) of every pixel."""
    n = x.shape[0]
    p = np.zeros((n, 10, 10), dtype=x.dtype)
    p[:, 1:9, 1:9] = x
    cols = np.empty((n, 8, 8, 9), dtype=x.dtype)
    for ky in range(3):
        for kx in range(3):
            cols[:, :, :, ky * 3 + kx] = p[:, ky:ky + 8, kx:kx + 8]
    return cols.reshape(n, 64, 9)


def forward(params, x):
    wc, bc, w1, b1, w2, b2 = params
    cols = im2col(x.reshape(-1, 8, 8))
    z = cols @ wc.T + bc  # (N, 64, C1)
    a = np.maximum(z, 0).reshape(-1, 8, 8, C1).transpose(0, 3, 1, 2)  # (N, C1, 8, 8)
    pooled = a.reshape(-1, C1, 4, 2, 4, 2).max(axis=(3, 5))  # (N, C1, 4, 4)
    f = pooled.reshape(-1, C1 * 16)
    h = f @ w1.T + b1
    ha = np.maximum(h, 0)
    o = ha @ w2.T + b2
    return {"cols": cols, "z": z, "a": a, "pooled": pooled, "f": f, "h": h, "ha": ha, "o": o}


def backward(params, t, y):
    wc, _, w1, _, w2, _ = params
    n = y.shape[0]
    o = t["o"] - t["o"].max(axis=1, keepdims=True)
    p = np.exp(o)
    p /= p.sum(axis=1, keepdims=True)
    do = p
    do[np.arange(n), y] -= 1
    do /= n
    gw2 = do.T @ t["ha"] + WEIGHT_DECAY * w2
    dh = (do @ w2) * (t["h"] > 0)
    gw1 = dh.T @ t["f"] + WEIGHT_DECAY * w1
    dpool = (dh @ w1).reshape(-1, C1, 4, 4)
    # The gradient goes to the first maximum of each 2x2 window.
    win = t["a"].reshape(-1, C1, 4, 2, 4, 2).transpose(0, 1, 2, 4, 3, 5).reshape(-1, C1, 4, 4, 4)
    first = np.zeros_like(win)
    np.put_along_axis(first, win.argmax(axis=-1)[..., None], 1.0, axis=-1)
    da = (first * dpool[..., None]).reshape(-1, C1, 4, 4, 2, 2)
    da = da.transpose(0, 1, 2, 4, 3, 5).reshape(-1, C1, 8, 8)
    dz = da.transpose(0, 2, 3, 1).reshape(-1, 64, C1) * (t["z"] > 0)
    gwc = np.einsum("npc,npk->ck", dz, t["cols"]) + WEIGHT_DECAY * wc
    return [gwc, dz.sum(axis=(0, 1)), gw1, dh.sum(axis=0), gw2, do.sum(axis=0)]


def shifted(x, rng):
    """Each image moved by -1, 0 or +1 pixel in each direction (zeros come in)."""
    n = x.shape[0]
    s = rng.integers(-1, 2, size=(n, 2))
    p = np.zeros((n, 10, 10))
    p[:, 1:9, 1:9] = x.reshape(n, 8, 8)
    out = np.empty((n, 8, 8))
    for i in range(n):
        out[i] = p[i, 1 + s[i, 0]:9 + s[i, 0], 1 + s[i, 1]:9 + s[i, 1]]
    return out.reshape(n, 64)


def train(x, y, rng):
    params = [
        rng.normal(0, np.sqrt(2 / 9), (C1, 9)), np.zeros(C1),
        rng.normal(0, np.sqrt(2 / (C1 * 16)), (H1, C1 * 16)), np.zeros(H1),
        rng.normal(0, np.sqrt(2 / H1), (CLASSES, H1)), np.zeros(CLASSES),
    ]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    step = 0
    for epoch in range(EPOCHS):
        lr = LR * 0.5 * (1 + np.cos(np.pi * epoch / EPOCHS))
        order = rng.permutation(x.shape[0])
        for i in range(0, x.shape[0], BATCH):
            idx = order[i:i + BATCH]
            grads = backward(params, forward(params, shifted(x[idx], rng)), y[idx])
            step += 1
            for k, g in enumerate(grads):
                m[k] = 0.9 * m[k] + 0.1 * g
                v[k] = 0.999 * v[k] + 0.001 * g * g
                mh = m[k] / (1 - 0.9**step)
                vh = v[k] / (1 - 0.999**step)
                params[k] -= lr * mh / (np.sqrt(vh) + 1e-8)
    return params


# ---- quantisation (docs/model-format.md §3) ----


def multiplier(real):
    """real > 0 as (M, S): M in [2^30, 2^31), real ~= M / 2^S."""
    mant, exp = np.frexp(real)
    m = int(round(mant * (1 << 31)))
    s = 31 - int(exp)
    if m == 1 << 31:
        m, s = m // 2, s - 1
    if not (0 <= s <= 62):
        raise SystemExit(f"train_digits: rescale {real} out of the format's range")
    return m, s


def act_range(values):
    """Scale and zero point of an int8 tensor covering the values and 0."""
    lo, hi = min(float(values.min()), 0.0), max(float(values.max()), 0.0)
    scale = (hi - lo) / 255.0
    zp = int(np.clip(round(-128 - lo / scale), -128, 127))
    return scale, zp


def quant_weights(w, b, s_in, s_out):
    """Per output channel: int8 weights, int32 bias, multiplier and shift."""
    sw = np.abs(w).max(axis=1) / 127.0
    wq = np.clip(np.round(w / sw[:, None]), -127, 127).astype(np.int64)
    bq = np.round(b / (s_in * sw)).astype(np.int64)
    if np.abs(bq).max() > 1 << 30:
        raise SystemExit("train_digits: a bias does not fit the format")
    ms = [multiplier(s_in * sw[o] / s_out) for o in range(w.shape[0])]
    return wq, bq, np.array([m for m, _ in ms]), np.array([s for _, s in ms])


def quantise(params, x_train):
    wc, bc, w1, b1, w2, b2 = params
    t = forward(params, x_train / 16.0)
    s0, zp0 = 1 / 240.0, -128  # q = 15x - 128: real x/16 (input_mult 15, shift 0)
    s1, zp1 = act_range(t["z"])
    s2, zp2 = act_range(t["h"])
    s3, zp3 = act_range(t["o"])
    q = {"zp": (zp0, zp1, zp2, zp3)}
    q["conv"] = quant_weights(wc, bc, s0, s1)
    q["d1"] = quant_weights(w1, b1, s1, s2)
    q["d2"] = quant_weights(w2, b2, s2, s3)
    d = np.arange(256)
    q["exp"] = np.round(65535.0 * np.exp(-d * s3)).astype(np.int64)
    return q


# ---- the integer network, as the device computes it ----


def rq(acc, mult, shift, zp):
    """sat8(rq(acc, M, S) + zp), rounding half away from zero (§3), exact in int64."""
    p = acc.astype(np.int64) * mult
    shift = np.broadcast_to(shift, p.shape).astype(np.int64)
    half = np.where(shift > 0, np.left_shift(np.int64(1), np.maximum(shift - 1, 0)), 0)
    r = np.where(shift > 0, (np.abs(p) + half) >> shift, np.abs(p))
    return np.clip(np.where(p < 0, -r, r) + zp, -128, 127)


def dense_int(x, zp_in, layer, zp_out):
    wq, bq, m, s = layer
    acc = (x - zp_in) @ wq.T + bq
    return rq(acc, m, s, zp_out)


def run_int(q, samples):
    """Records of the integer network: (classes, int8 logits, uint16 probabilities)."""
    zp0, zp1, zp2, zp3 = q["zp"]
    x = rq(samples.astype(np.int64), 15, 0, zp0)  # (N, 64)
    wq, bq, m, s = q["conv"]
    acc = im2col((x - zp0).reshape(-1, 8, 8)) @ wq.T + bq  # padding adds 0 (real zero)
    z = rq(acc, m, s, zp1)  # (N, 64, C1)
    a = np.maximum(z, zp1).reshape(-1, 8, 8, C1).transpose(0, 3, 1, 2)
    f = a.reshape(-1, C1, 4, 2, 4, 2).max(axis=(3, 5)).reshape(-1, C1 * 16)
    h = np.maximum(dense_int(f, zp1, q["d1"], zp2), zp2)
    logits = dense_int(h, zp2, q["d2"], zp3)
    classes = logits.argmax(axis=1)  # the first maximum, as the head takes it
    e = q["exp"][logits.max(axis=1, keepdims=True) - logits]
    total = e.sum(axis=1, keepdims=True)
    probs = np.minimum((e * 65536 + total // 2) // total, 65535)
    return classes, logits, probs


# ---- the blob (docs/model-format.md §2, §5) ----


def layer_hdr(ltype, size, shape_in, shape_out, zps, kernel=(0, 0), stride=(0, 0), pad=(0, 0),
              flags=0, w_zp=0):
    return struct.pack("<HHI3I3I6H3i8x", ltype, flags, size, *shape_in, *shape_out, *kernel,
                       *stride, *pad, zps[0], zps[1], w_zp)


def weights_payload(layer):
    wq, bq, m, s = layer
    body = struct.pack(f"<{len(bq)}i", *bq.tolist())
    body += struct.pack(f"<{len(m)}i", *m.tolist()) + struct.pack(f"<{len(s)}i", *s.tolist())
    w = wq.astype(np.int8).tobytes()
    return body + w + bytes(-len(w) % 4)


def blob_bytes(q):
    zp0, zp1, zp2, zp3 = q["zp"]
    layers = []

    def add(ltype, shape_in, shape_out, zps, payload=b"", **kw):
        layers.append(layer_hdr(ltype, 64 + len(payload), shape_in, shape_out, zps, **kw) +
                      payload)

    add(CONV2D, (1, 8, 8), (C1, 8, 8), (zp0, zp1), weights_payload(q["conv"]),
        kernel=(3, 3), stride=(1, 1), pad=(1, 1))
    add(RELU, (C1, 8, 8), (C1, 8, 8), (zp1, zp1))
    add(MAXPOOL, (C1, 8, 8), (C1, 4, 4), (zp1, zp1), kernel=(2, 2), stride=(2, 2))
    add(DENSE, (C1, 4, 4), (H1, 1, 1), (zp1, zp2), weights_payload(q["d1"]))
    add(RELU, (H1, 1, 1), (H1, 1, 1), (zp2, zp2))
    add(DENSE, (H1, 1, 1), (CLASSES, 1, 1), (zp2, zp3), weights_payload(q["d2"]))
    add(ARGMAX, (CLASSES, 1, 1), (CLASSES, 1, 1), (zp3, zp3),
        struct.pack("<256H", *q["exp"].tolist()), flags=HEAD_SOFTMAX)
    body = b"".join(layers)
    record = 4 + (CLASSES + 3) // 4 * 4 + (2 * CLASSES + 3) // 4 * 4
    header = struct.pack("<6I3IiIi4I", MODEL_MAGIC, MODEL_VERSION, HEADER_SIZE,
                         HEADER_SIZE + len(body), len(layers), INPUT_U8, 1, 8, 8, 15, 0, zp0,
                         CLASSES, record, 0, 0)
    return header + body


def write(path, data):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "models", "digits.blob"))
    ap.add_argument("--data-out", metavar="DIR",
                    help="also write samples.u8 (1797 x 64 bytes) and labels.u8 there")
    args = ap.parse_args()

    digits = load_digits()
    samples = digits.data.astype(np.uint8)
    labels = digits.target.astype(np.uint8)
    if samples.shape != (1797, 64) or samples.max() > 16:
        raise SystemExit("train_digits: load_digits is not the 1797 8x8 images expected")
    rng = np.random.default_rng(SEED)
    x, y = samples[:TRAIN].astype(np.float64), labels[:TRAIN].astype(np.int64)
    params = train(x / 16.0, y, rng)
    q = quantise(params, x)
    blob = blob_bytes(q)

    held = slice(TRAIN, None)
    float_acc = (forward(params, samples[held] / 16.0)["o"].argmax(axis=1) == labels[held]).mean()
    classes, _, _ = run_int(q, samples)
    int_acc = (classes[held] == labels[held]).mean()
    train_acc = (classes[:TRAIN] == labels[:TRAIN]).mean()
    write(args.out, blob)
    if args.data_out:
        write(os.path.join(args.data_out, "samples.u8"), samples.tobytes())
        write(os.path.join(args.data_out, "labels.u8"), labels.tobytes())
    print(f"train_digits: {args.out}: {len(blob)} bytes, sha256 {hashlib.sha256(blob).hexdigest()}")
    print(f"train_digits: samples 0..{TRAIN - 1} (training): integer accuracy {train_acc:.4f}")
    print(f"train_digits: samples {TRAIN}..1796 (held out): float accuracy {float_acc:.4f}, "
          f"integer accuracy {int_acc:.4f} ({int((classes[held] == labels[held]).sum())}/"
          f"{1797 - TRAIN})")
    if int_acc < 0.93:
        print("train_digits: held-out integer accuracy below 93%", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
