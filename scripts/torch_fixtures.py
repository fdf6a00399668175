#!/usr/bin/python3
"""PyTorch golden fixtures for arkit's LSTM engine (numerical parity).

What it does
------------
Builds the reference model ``ArkitLSTM`` (embedding / input projection /
seq-first multi-layer ``nn.LSTM`` / linear head, exactly the architecture the
Go engine in ``core/`` mirrors), runs it in float64 from seeded random
parameters, and writes, per case, ``core/testdata/torch_<case>.safetensors``
with the parameters, inputs, initial state, targets, mask, outputs, the masked
mean negative log-likelihood and its gradients w.r.t. every parameter and
w.r.t. ``h0``/``c0`` -- all stored as F32 so CI needs no PyTorch.

It also writes ``core/testdata/torch_saved_model.safetensors`` (a plain
``state_dict`` checkpoint of a char model, as a PyTorch user would save it
for arkit, with ``arkit.*`` metadata) plus the sidecar
``core/testdata/torch_saved_model_io.safetensors`` (``x.tokens`` [T,1] and the
expected ``out.head`` [T,1,5] from the zero state).

safetensors is read and written by this script itself (the ``safetensors``
package is not needed).  After writing, every file is read back and compared
with what was meant to be written, the LSTM gate layout is checked against a
hand-written cell, the likelihoods against ``torch.distributions``, and the
``--check-arkit`` mode is exercised on the saved-model fixture and on
temporary checkpoints of every case configuration.

How to run (from the repository root; needs Debian's python3-torch 1.13)
-----------------------------------------------------------------------
    /usr/bin/python3 scripts/torch_fixtures.py
        Regenerate all fixtures deterministically (same bytes on every run)
        and run the self-checks.

    /usr/bin/python3 scripts/torch_fixtures.py --check-arkit FILE IO_FILE
        Load an arkit-written checkpoint FILE (state_dict tensor names; the
        configuration is inferred from tensor shapes, ``__metadata__`` is
        printed and ``arkit.vocab`` checked against the embedding size),
        ``load_state_dict(strict=True)``, run IO_FILE's ``x.tokens`` and/or
        ``x.features`` from the zero state (or from IO_FILE's ``h0``/``c0`` if
        it has them) and compare with IO_FILE's ``out.head``: PASS when every
        element satisfies |got - want| <= tol * max(1, |want|) (tol 1e-5,
        ``--tol`` to change).  Prints PASS/FAIL; exit status 1 on FAIL, 2 on
        an unusable file.

Fixture layout (per case file; names are the state_dict names)
--------------------------------------------------------------
    embedding.weight [V,E]            (if vocab > 0)
    input.weight [P,F], input.bias [P] (if features > 0 and proj > 0)
    lstm.weight_ih_l{k} [4H,in_k]  lstm.weight_hh_l{k} [4H,H]
    lstm.bias_ih_l{k} [4H]         lstm.bias_hh_l{k} [4H]
    head.weight [O,H], head.bias [O]
    x.tokens [T,B] (if vocab), x.features [T,B,F] (if features), h0, c0 [L,B,H]
    y [T,B], mask [T,B], out.head [T,B,O], out.hn, out.cn [L,B,H], out.loss [1]
    grad.<param name> (same shape as the parameter), grad.h0, grad.c0
"""

import argparse
import hashlib
import json
import math
import os
import struct
import sys
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTDATA = os.path.join(REPO, "core", "testdata")

# --------------------------------------------------------------------------
# safetensors, by hand
# --------------------------------------------------------------------------

# dtype name -> numpy little-endian dtype (BF16 is handled separately).
_DTYPES = {
    "F64": "<f8", "F32": "<f4", "F16": "<f2",
    "I64": "<i8", "I32": "<i4", "I16": "<i2", "I8": "i1",
    "U64": "<u8", "U32": "<u4", "U16": "<u2", "U8": "u1", "BOOL": "?",
}


def write_safetensors(path, tensors, metadata=None):
    """Write ``tensors`` (name -> array-like) as F32, sorted by name.

    Header: 8-byte LE length N, N bytes of JSON padded with spaces so that N
    is a multiple of 8, then the concatenated little-endian tensor bytes.
    Metadata values must be strings.
    """
    header = {}
    if metadata:
        for k, v in metadata.items():
            if not isinstance(k, str) or not isinstance(v, str):
                raise TypeError("metadata must map str -> str: %r=%r" % (k, v))
        header["__metadata__"] = dict(metadata)
    blobs = []
    off = 0
    for name in sorted(tensors):
        if name == "__metadata__":
            raise ValueError("reserved tensor name")
        a = tensors[name]
        if isinstance(a, torch.Tensor):
            a = a.detach().cpu().numpy()
        a = np.ascontiguousarray(np.asarray(a, dtype="<f4"))
        b = a.tobytes(order="C")
        header[name] = {"dtype": "F32", "shape": list(a.shape),
                        "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    """Read a safetensors file -> (dict name -> numpy array, metadata dict).

    Validates the header length, that offsets tile the data buffer exactly
    and that each byte range matches dtype x shape.
    """
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 8:
        raise ValueError("%s: too short" % path)
    (n,) = struct.unpack("<Q", raw[:8])
    if 8 + n > len(raw):
        raise ValueError("%s: header length %d beyond end of file" % (path, n))
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    if not isinstance(header, dict):
        raise ValueError("%s: header is not a JSON object" % path)
    buf = raw[8 + n:]
    meta = header.pop("__metadata__", None) or {}
    for k, v in meta.items():
        if not isinstance(v, str):
            raise ValueError("%s: metadata %r is not a string" % (path, k))
    out = {}
    spans = []
    for name, info in header.items():
        dt, shape, (b, e) = info["dtype"], list(info["shape"]), info["data_offsets"]
        count = int(np.prod(shape, dtype=np.int64)) if shape else 1
        if not (0 <= b <= e <= len(buf)):
            raise ValueError("%s: %s: bad offsets %r" % (path, name, [b, e]))
        chunk = buf[b:e]
        if dt == "BF16":
            if len(chunk) != 2 * count:
                raise ValueError("%s: %s: size mismatch" % (path, name))
            u = np.frombuffer(chunk, dtype="<u2").astype(np.uint32) << 16
            arr = u.view(np.float32)
        elif dt in _DTYPES:
            npdt = np.dtype(_DTYPES[dt])
            if len(chunk) != npdt.itemsize * count:
                raise ValueError("%s: %s: %d bytes for %s%r" % (path, name, len(chunk), dt, shape))
            arr = np.frombuffer(chunk, dtype=npdt)
        else:
            raise ValueError("%s: %s: unsupported dtype %s" % (path, name, dt))
        out[name] = arr.reshape(shape).copy()
        spans.append((b, e))
    spans.sort()
    pos = 0
    for b, e in spans:
        if b != pos:
            raise ValueError("%s: data buffer has a gap or overlap at %d" % (path, pos))
        pos = e
    if pos != len(buf):
        raise ValueError("%s: %d trailing bytes after tensor data" % (path, len(buf) - pos))
    return out, meta


# --------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------

class ArkitLSTM(nn.Module):
    """Module names are the checkpoint tensor names."""

    def __init__(self, vocab, embed, features, proj, hidden, layers, out,
                 lstm_bias=True, head_bias=True, input_bias=True):
        super().__init__()
        self.vocab, self.embed, self.features, self.proj = vocab, embed, features, proj
        if vocab > 0:
            self.embedding = nn.Embedding(vocab, embed)
        else:
            self.embedding = None
        if features > 0 and proj > 0:
            self.input = nn.Linear(features, proj, bias=input_bias)
        else:
            self.input = None
        in_dim = (embed if vocab > 0 else 0) + ((proj if proj > 0 else features) if features > 0 else 0)
        self.in_dim = in_dim
        self.lstm = nn.LSTM(in_dim, hidden, layers, bias=lstm_bias)  # seq-first
        self.head = nn.Linear(hidden, out, bias=head_bias)

    def forward(self, tokens, feats, h0, c0):
        parts = []
        if self.embedding is not None:
            parts.append(self.embedding(tokens))
        if self.features > 0:
            parts.append(self.input(feats) if self.input is not None else feats)
        x = torch.cat(parts, dim=-1)
        o, (hn, cn) = self.lstm(x, (h0, c0))
        return self.head(o), hn, cn


HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


def nll(likelihood, r, y):
    """Per-position negative log-likelihood, shape [T,B]."""
    if likelihood == "categorical":
        T, B, O = r.shape
        return F.cross_entropy(r.reshape(T * B, O), y.long().reshape(T * B),
                               reduction="none").reshape(T, B)
    if likelihood == "gaussian":
        mu, sigma = r[..., 0], F.softplus(r[..., 1])
        z = (y - mu) / sigma
        return torch.log(sigma) + 0.5 * z * z + HALF_LOG_2PI
    if likelihood == "studentt":
        mu, scale, nu = r[..., 0], F.softplus(r[..., 1]), 2 + F.softplus(r[..., 2])
        z = (y - mu) / scale
        lp = (torch.lgamma((nu + 1) / 2) - torch.lgamma(nu / 2) - 0.5 * torch.log(math.pi * nu)
              - torch.log(scale) - (nu + 1) / 2 * torch.log1p(z * z / nu))
        return -lp
    raise ValueError(likelihood)


def masked_loss(likelihood, r, y, mask):
    return (mask * nll(likelihood, r, y)).sum() / mask.sum()


# --------------------------------------------------------------------------
# Fixture cases
# --------------------------------------------------------------------------

CASES = [
    dict(case="char", vocab=7, embed=5, features=0, proj=0, hidden=6, layers=2, out=7,
         likelihood="categorical", T=4, B=3, seed=101),
    dict(case="series", vocab=0, embed=0, features=3, proj=0, hidden=5, layers=1, out=2,
         likelihood="gaussian", T=5, B=2, seed=202),
    dict(case="mixed", vocab=4, embed=3, features=2, proj=3, hidden=4, layers=2, out=4,
         likelihood="categorical", T=3, B=2, seed=303),
    dict(case="studentt", vocab=0, embed=0, features=2, proj=0, hidden=4, layers=1, out=3,
         likelihood="studentt", T=4, B=2, seed=404),
    dict(case="big", vocab=11, embed=8, features=0, proj=0, hidden=16, layers=2, out=11,
         likelihood="categorical", T=6, B=4, seed=505),
]

META_KEYS = ["vocab", "embed", "features", "proj", "hidden", "layers", "out", "T", "B"]


def build(cfg):
    return ArkitLSTM(cfg["vocab"], cfg["embed"], cfg["features"], cfg["proj"],
                     cfg["hidden"], cfg["layers"], cfg["out"])


def init_params(model, gen, std=0.3):
    with torch.no_grad():
        for _, p in model.named_parameters():
            p.copy_(torch.normal(0.0, std, p.shape, generator=gen, dtype=torch.float64))


def f32(t):
    """Round a float64 tensor through float32 (the precision it is stored in)."""
    return t.detach().float().double()


def make_case(cfg):
    gen = torch.Generator().manual_seed(cfg["seed"])
    model = build(cfg).double()
    init_params(model, gen)
    # Inputs are rounded through F32 so the stored values are exactly the
    # values the reference was computed from.  Parameters likewise.
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(f32(p))
    T, B, L, H = cfg["T"], cfg["B"], cfg["layers"], cfg["hidden"]
    tokens = feats = None
    if cfg["vocab"] > 0:
        tokens = torch.randint(0, cfg["vocab"], (T, B), generator=gen)
    if cfg["features"] > 0:
        feats = f32(torch.randn(T, B, cfg["features"], generator=gen, dtype=torch.float64))
    h0 = f32(torch.rand(L, B, H, generator=gen, dtype=torch.float64) - 0.5).requires_grad_()
    c0 = f32(2 * torch.rand(L, B, H, generator=gen, dtype=torch.float64) - 1).requires_grad_()
    if cfg["likelihood"] == "categorical":
        y = torch.randint(0, cfg["out"], (T, B), generator=gen).double()
    else:
        y = f32(torch.randn(T, B, generator=gen, dtype=torch.float64))
    mask = (torch.rand(T, B, generator=gen, dtype=torch.float64) < 0.75).double()
    mask[0, B - 1] = 0.0      # at least one zero
    mask[T - 1, 0] = 1.0      # and at least one one
    mask[1, 0] = 0.0

    r, hn, cn = model(tokens, feats, h0, c0)
    loss = masked_loss(cfg["likelihood"], r, y, mask)
    params = dict(model.named_parameters())
    grads = torch.autograd.grad(loss, list(params.values()) + [h0, c0])

    tensors = {name: p.detach() for name, p in params.items()}
    if tokens is not None:
        tensors["x.tokens"] = tokens.double()
    if feats is not None:
        tensors["x.features"] = feats
    tensors.update({"h0": h0.detach(), "c0": c0.detach(), "y": y, "mask": mask,
                    "out.head": r.detach(), "out.hn": hn.detach(), "out.cn": cn.detach(),
                    "out.loss": loss.detach().reshape(1)})
    for name, g in zip(list(params) + ["h0", "c0"], grads):
        tensors["grad." + name] = g
    meta = {"case": cfg["case"], "likelihood": cfg["likelihood"],
            "torch_version": torch.__version__}
    meta.update({k: str(cfg[k]) for k in META_KEYS})
    # Independent checks of the reference itself.
    check_lstm_layout(model, tokens, feats, h0.detach(), c0.detach(), r, hn, cn)
    check_likelihood(cfg["likelihood"], r.detach(), y)
    return tensors, meta


# --------------------------------------------------------------------------
# Independent checks of the reference
# --------------------------------------------------------------------------

def check_lstm_layout(model, tokens, feats, h0, c0, r_ref, hn_ref, cn_ref):
    """Recompute the forward by hand with gates i,f,g,o along dim 0 of
    weight_ih [4H,in] / weight_hh [4H,H], z = x W_ih^T + b_ih + h W_hh^T + b_hh,
    and assert it matches nn.LSTM (confirms the layout the Go side assumes)."""
    with torch.no_grad():
        parts = []
        if model.embedding is not None:
            parts.append(model.embedding.weight[tokens])          # row lookup
        if model.features > 0:
            parts.append(feats @ model.input.weight.T + model.input.bias
                         if model.input is not None else feats)
        x = torch.cat(parts, dim=-1)
        H, L = model.lstm.hidden_size, model.lstm.num_layers
        hs, cs = [], []
        for k in range(L):
            Wi = getattr(model.lstm, "weight_ih_l%d" % k)
            Wh = getattr(model.lstm, "weight_hh_l%d" % k)
            bi = getattr(model.lstm, "bias_ih_l%d" % k)
            bh = getattr(model.lstm, "bias_hh_l%d" % k)
            h, c = h0[k], c0[k]
            ys = []
            for t in range(x.shape[0]):
                z = x[t] @ Wi.T + bi + h @ Wh.T + bh
                i = torch.sigmoid(z[:, 0:H])
                f = torch.sigmoid(z[:, H:2 * H])
                g = torch.tanh(z[:, 2 * H:3 * H])
                o = torch.sigmoid(z[:, 3 * H:4 * H])
                c = f * c + i * g
                h = o * torch.tanh(c)
                ys.append(h)
            x = torch.stack(ys)
            hs.append(h)
            cs.append(c)
        r = x @ model.head.weight.T + model.head.bias
        for a, b, what in ((r, r_ref, "head"), (torch.stack(hs), hn_ref, "hn"),
                           (torch.stack(cs), cn_ref, "cn")):
            err = (a - b).abs().max().item()
            assert err < 1e-12, "manual LSTM disagrees with nn.LSTM on %s: %g" % (what, err)


def check_likelihood(likelihood, r, y):
    if likelihood == "categorical":
        want = -torch.log_softmax(r, -1).gather(-1, y.long().unsqueeze(-1)).squeeze(-1)
    elif likelihood == "gaussian":
        d = torch.distributions.Normal(r[..., 0], F.softplus(r[..., 1]))
        want = -d.log_prob(y)
    else:
        d = torch.distributions.StudentT(2 + F.softplus(r[..., 2]), r[..., 0], F.softplus(r[..., 1]))
        want = -d.log_prob(y)
    err = (nll(likelihood, r, y) - want).abs().max().item()
    assert err < 1e-12, "%s nll disagrees with torch reference: %g" % (likelihood, err)


# --------------------------------------------------------------------------
# The saved-model fixture
# --------------------------------------------------------------------------

SAVED_VOCAB = ["\n", " ", "a", "b", "c"]
SAVED_TEXT = "abc cab\nba c"


def make_saved_model():
    gen = torch.Generator().manual_seed(606)
    model = ArkitLSTM(vocab=5, embed=4, features=0, proj=0, hidden=8, layers=1, out=5)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.normal(0.0, 0.3, p.shape, generator=gen, dtype=torch.float64).float())
    # What a PyTorch user would save: the float32 state_dict.
    state = {k: v.detach().clone() for k, v in model.float().state_dict().items()}
    meta = {"arkit.domain": "text", "arkit.tokenizer": "char",
            "arkit.vocab": json.dumps(SAVED_VOCAB, ensure_ascii=False)}
    index = {ch: i for i, ch in enumerate(SAVED_VOCAB)}
    tokens = torch.tensor([[index[ch]] for ch in SAVED_TEXT], dtype=torch.long)  # [T,1]
    # Reference output in float64 from the float32 weights, zero state.
    ref = model.double()
    z = torch.zeros(1, 1, 8, dtype=torch.float64)
    with torch.no_grad():
        r, _, _ = ref(tokens, None, z, z)
    io = {"x.tokens": tokens.double(), "out.head": r}
    return state, meta, io


# --------------------------------------------------------------------------
# --check-arkit
# --------------------------------------------------------------------------

class Unusable(Exception):
    pass


def infer_config(sd):
    """Model configuration from state_dict tensor shapes."""
    names = set(sd)
    cfg = dict(vocab=0, embed=0, features=0, proj=0)
    if "embedding.weight" in sd:
        s = sd["embedding.weight"].shape
        if len(s) != 2:
            raise Unusable("embedding.weight has shape %r, want [V,E]" % (s,))
        cfg["vocab"], cfg["embed"] = s
    if "lstm.weight_hh_l0" not in sd or "lstm.weight_ih_l0" not in sd:
        raise Unusable("no lstm.weight_ih_l0 / lstm.weight_hh_l0 in checkpoint")
    s = sd["lstm.weight_hh_l0"].shape
    if len(s) != 2 or s[0] != 4 * s[1]:
        raise Unusable("lstm.weight_hh_l0 has shape %r, want [4H,H]" % (s,))
    cfg["hidden"] = H = s[1]
    layers = 0
    while "lstm.weight_ih_l%d" % layers in sd:
        layers += 1
    cfg["layers"] = layers
    in_dim = sd["lstm.weight_ih_l0"].shape[1]
    if "input.weight" in sd:
        s = sd["input.weight"].shape
        if len(s) != 2:
            raise Unusable("input.weight has shape %r, want [P,F]" % (s,))
        cfg["proj"], cfg["features"] = s
    else:
        cfg["features"] = in_dim - cfg["embed"]
        if cfg["features"] < 0:
            raise Unusable("lstm input width %d < embedding width %d" % (in_dim, cfg["embed"]))
    if "head.weight" not in sd:
        raise Unusable("no head.weight in checkpoint")
    cfg["out"] = sd["head.weight"].shape[0]
    cfg["lstm_bias"] = "lstm.bias_ih_l0" in names
    cfg["head_bias"] = "head.bias" in names
    cfg["input_bias"] = "input.bias" in names
    return cfg


def check_arkit(file, io_file, tol=1e-5, quiet=False):
    """Returns True on PASS, False on FAIL; raises Unusable on bad input."""
    say = (lambda *a: None) if quiet else print
    try:
        sd_np, meta = read_safetensors(file)
        io, _ = read_safetensors(io_file)
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise Unusable(str(e))
    cfg = infer_config(sd_np)
    say("checkpoint %s" % file)
    for k in sorted(meta):
        say("  metadata %s = %s" % (k, meta[k]))
    say("  config " + " ".join("%s=%s" % (k, cfg[k]) for k in
                                ["vocab", "embed", "features", "proj", "hidden", "layers", "out"]))
    ok = True
    if "arkit.vocab" in meta:
        try:
            v = json.loads(meta["arkit.vocab"])
        except ValueError:
            v = None
            say("  FAIL: arkit.vocab is not JSON")
            ok = False
        if isinstance(v, list) and len(v) != cfg["vocab"]:
            say("  FAIL: arkit.vocab has %d entries, embedding has %d rows" % (len(v), cfg["vocab"]))
            ok = False
    model = ArkitLSTM(cfg["vocab"], cfg["embed"], cfg["features"], cfg["proj"], cfg["hidden"],
                      cfg["layers"], cfg["out"], lstm_bias=cfg["lstm_bias"],
                      head_bias=cfg["head_bias"], input_bias=cfg["input_bias"]).double()
    sd = {k: torch.from_numpy(np.asarray(v, dtype=np.float64)) for k, v in sd_np.items()}
    try:
        model.load_state_dict(sd, strict=True)
    except RuntimeError as e:
        raise Unusable("load_state_dict(strict=True): %s" % e)
    if "out.head" not in io:
        raise Unusable("%s has no out.head" % io_file)
    want = torch.from_numpy(io["out.head"].astype(np.float64))
    if want.dim() != 3:
        raise Unusable("out.head has shape %r, want [T,B,out]" % (tuple(want.shape),))
    T, B = want.shape[0], want.shape[1]
    tokens = feats = None
    if cfg["vocab"] > 0:
        if "x.tokens" not in io:
            raise Unusable("model has an embedding but %s has no x.tokens" % io_file)
        tk = io["x.tokens"].astype(np.float64)
        if tk.shape != (T, B):
            raise Unusable("x.tokens has shape %r, want %r" % (tk.shape, (T, B)))
        if np.any(tk != np.round(tk)) or tk.min() < 0 or tk.max() >= cfg["vocab"]:
            raise Unusable("x.tokens are not integers in [0,%d)" % cfg["vocab"])
        tokens = torch.from_numpy(tk.astype(np.int64))
    if cfg["features"] > 0:
        if "x.features" not in io:
            raise Unusable("model takes features but %s has no x.features" % io_file)
        feats = torch.from_numpy(io["x.features"].astype(np.float64))
        if tuple(feats.shape) != (T, B, cfg["features"]):
            raise Unusable("x.features has shape %r, want %r" % (tuple(feats.shape), (T, B, cfg["features"])))
    shape = (cfg["layers"], B, cfg["hidden"])
    h0 = torch.zeros(shape, dtype=torch.float64)
    c0 = torch.zeros(shape, dtype=torch.float64)
    if "h0" in io or "c0" in io:
        say("  using h0/c0 from %s" % io_file)
        if "h0" in io:
            h0 = torch.from_numpy(io["h0"].astype(np.float64)).reshape(shape)
        if "c0" in io:
            c0 = torch.from_numpy(io["c0"].astype(np.float64)).reshape(shape)
    with torch.no_grad():
        got, _, _ = model(tokens, feats, h0, c0)
    if got.shape != want.shape:
        say("FAIL: out.head shape %r, computed %r" % (tuple(want.shape), tuple(got.shape)))
        return False
    diff = (got - want).abs()
    bound = tol * torch.clamp(want.abs(), min=1.0)
    bad = diff > bound
    worst = diff.max().item()
    if bad.any() or not torch.isfinite(want).all():
        ok = False
        idx = tuple(int(i) for i in np.unravel_index(int((diff - bound).argmax()), tuple(want.shape)))
        say("  %d of %d elements off; worst |diff| %.3g at [t,b,o]=%r: got %.8g want %.8g"
            % (int(bad.sum()), bad.numel(), worst, idx, got[idx].item(), want[idx].item()))
    say("%s: out.head [%d,%d,%d], max |diff| %.3g (tol %g)"
        % ("PASS" if ok else "FAIL", T, B, want.shape[2], worst, tol))
    return ok


# --------------------------------------------------------------------------
# Generation and self-checks
# --------------------------------------------------------------------------

def as_f32(v):
    if isinstance(v, torch.Tensor):
        v = v.detach().cpu().numpy()
    return np.asarray(v, dtype=np.float32)


def verify_roundtrip(path, tensors, meta):
    """Read back a written file and assert it holds exactly what we meant."""
    got, got_meta = read_safetensors(path)
    assert got_meta == (meta or {}), "%s: metadata differs" % path
    assert set(got) == set(tensors), "%s: names differ: %r" % (path, set(got) ^ set(tensors))
    for name, v in tensors.items():
        want = as_f32(v)
        assert got[name].dtype == np.float32, name
        assert got[name].shape == want.shape, (name, got[name].shape, want.shape)
        assert np.array_equal(got[name], want), "%s: %s differs" % (path, name)
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
    assert n % 8 == 0, "%s: header length %d not a multiple of 8" % (path, n)


def selftest_reader_writer():
    """Edge cases of the writer/reader: scalar-ish, empty metadata, unicode."""
    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "t.safetensors")
        t = {"a": np.arange(6, dtype=np.float32).reshape(2, 3), "b.c": np.array([-1.5], np.float32),
             "z": np.float32(3.25) * np.ones((1, 1, 2), np.float32)}
        for meta in (None, {"k": "v", "vocab": json.dumps(["é", "\n"], ensure_ascii=False)}):
            write_safetensors(p, t, meta)
            verify_roundtrip(p, t, meta)


def selftest_check_arkit():
    """--check-arkit on the committed saved-model fixture (must PASS), on a
    perturbed copy (must FAIL), and on params-only checkpoints of every case
    (exercises config inference with features / projection / layers)."""
    sm = os.path.join(TESTDATA, "torch_saved_model.safetensors")
    smio = os.path.join(TESTDATA, "torch_saved_model_io.safetensors")
    assert check_arkit(sm, smio), "check-arkit failed on the saved-model fixture"
    with tempfile.TemporaryDirectory() as d:
        io, _ = read_safetensors(smio)
        io["out.head"] = io["out.head"].copy()
        io["out.head"][3, 0, 2] += 1e-3
        bad = os.path.join(d, "bad_io.safetensors")
        write_safetensors(bad, io)
        assert not check_arkit(sm, bad, quiet=True), "check-arkit missed a perturbed output"
        for cfg in CASES:
            tensors, _ = read_safetensors(os.path.join(TESTDATA, "torch_%s.safetensors" % cfg["case"]))
            params = {k: v for k, v in tensors.items()
                      if k.split(".")[0] in ("embedding", "input", "lstm", "head")}
            ck = os.path.join(d, "ck.safetensors")
            write_safetensors(ck, params, {"arkit.domain": "test"})
            iot = {k: tensors[k] for k in ("x.tokens", "x.features", "h0", "c0", "out.head") if k in tensors}
            iop = os.path.join(d, "io.safetensors")
            write_safetensors(iop, iot)
            assert check_arkit(ck, iop, quiet=True), "check-arkit failed on case %s" % cfg["case"]
            got = infer_config(params)
            for k in ("vocab", "embed", "features", "proj", "hidden", "layers", "out"):
                assert got[k] == cfg[k], (cfg["case"], k, got[k], cfg[k])
    print("check-arkit self-test: PASS (saved model, perturbed output caught, %d case configs)" % len(CASES))


def generate():
    torch.set_num_threads(1)
    os.makedirs(TESTDATA, exist_ok=True)
    selftest_reader_writer()
    written = []
    for cfg in CASES:
        tensors, meta = make_case(cfg)
        path = os.path.join(TESTDATA, "torch_%s.safetensors" % cfg["case"])
        write_safetensors(path, tensors, meta)
        verify_roundtrip(path, tensors, meta)
        written.append(path)
    state, meta, io = make_saved_model()
    p1 = os.path.join(TESTDATA, "torch_saved_model.safetensors")
    p2 = os.path.join(TESTDATA, "torch_saved_model_io.safetensors")
    write_safetensors(p1, state, meta)
    verify_roundtrip(p1, state, meta)
    write_safetensors(p2, io)
    verify_roundtrip(p2, io, None)
    written += [p1, p2]
    total = 0
    for p in written:
        size = os.path.getsize(p)
        total += size
        with open(p, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()[:16]
        print("wrote %-45s %6d bytes  sha256 %s" % (os.path.relpath(p, REPO), size, digest))
    print("total %d bytes; read-back of every file: PASS" % total)
    selftest_check_arkit()


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check-arkit", nargs=2, metavar=("FILE", "IO_FILE"),
                    help="verify an arkit-written checkpoint against IO_FILE's out.head")
    ap.add_argument("--tol", type=float, default=1e-5,
                    help="tolerance for --check-arkit: |got-want| <= tol*max(1,|want|)")
    args = ap.parse_args(argv)
    if args.check_arkit:
        torch.set_num_threads(1)
        try:
            ok = check_arkit(args.check_arkit[0], args.check_arkit[1], tol=args.tol)
        except Unusable as e:
            print("FAIL: %s" % e)
            return 2
        return 0 if ok else 1
    generate()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
