"""Many independent networks trained at once, vectorised over the nets.

``train_many`` runs full-batch gradient descent on ``n_nets`` networks with
``d`` inputs, ``hidden`` units and one sigmoid output, all on the same data.
Every array carries the nets on its last axis, so each step is a handful of
numpy operations on arrays of size n x hidden x n_nets, whatever n_nets is:

    Z[i, h, k]  = Σ_d X[i, d] W1[d, h, k] + b1[h, k]        (n, hidden, nets)
    A           = act(Z)
    z3[i, k]    = Σ_h A[i, h, k] w3[h, k] + b3[k]            (n, nets)
    g_z3        = (σ(z3) - y) / n                            ∇_{z3} L
    g_Z         = act'(Z) ⊙ w3 g_z3                          ∇_Z L
    ∇W1 = Xᵀ g_Z,  ∇b1 = Σ_i g_Z,  ∇w3 = Σ_i A g_z3,  ∇b3 = Σ_i g_z3

With ``hidden=2``, ``activation="relu"`` on two inputs this is the original's
2-2-1 network, and net k follows ``xorlib.train`` from the same start.

``_forward_many`` and ``_gradients_many`` write these equations as they read.
``train_many`` runs the same arithmetic in blocks of nets, one thread per core,
each block in one of two fast loops that give the same bits:

- ``_Compiled``, for ReLU: ``kernels``' loops compiled by numba, the sums in numpy's
  order, numpy's exp in between (``_compiled_keeps_bits`` checks the bits once per data set);
- ``_Block``, for every activation: numpy, every array of an epoch allocated once per
  block, the cheapest numpy operations that give the same values (its docstring lists them).

Tests tie them, the plain equations and ``xorlib.train`` together.
"""

from __future__ import annotations

import functools
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from ..descent import diverged as _diverged
from ..loss import _bce_terms
from ..network import _sigmoid, right_side, step
from ..params import Params, original_weights
from ..validation import as_choice, as_float, as_float_array, as_positive_float, as_positive_int, as_targets

ACTIVATIONS = ("relu", "leaky_relu", "tanh", "sigmoid")
INITS = ("original", "uniform_zero_bias", "he")
#: Slope of leaky_relu for z < 0.
LEAKY_SLOPE = 0.01
#: Bias of every unit under the "he" init: small and positive, so that ReLUs start active.
HE_BIAS = 0.01


def _activate(Z, activation):
    if activation == "relu":
        return np.maximum(Z, 0.0)
    if activation == "leaky_relu":
        return np.where(Z > 0, Z, LEAKY_SLOPE * Z)
    if activation == "tanh":
        return np.tanh(Z)
    return _sigmoid(Z)


def _activation_derivative(Z, A, activation, relu_prime_at_zero):
    if activation == "relu":
        derivative = step(Z)
        if relu_prime_at_zero != 0.0:
            derivative[Z == 0] = relu_prime_at_zero
        return derivative
    if activation == "leaky_relu":
        return np.where(Z > 0, 1.0, LEAKY_SLOPE)
    if activation == "tanh":
        return 1.0 - A * A
    return A * (1.0 - A)


@dataclass(frozen=True, eq=False)
class EnsembleParams:
    """Parameters of many nets, nets on the last axis."""

    W1: np.ndarray  #: (d, hidden, nets); W1[:, h, k] is unit h's weight vector in net k
    b1: np.ndarray  #: (hidden, nets)
    w3: np.ndarray  #: (hidden, nets)
    b3: np.ndarray  #: (nets,)

    def copy(self) -> EnsembleParams:
        return EnsembleParams(self.W1.copy(), self.b1.copy(), self.w3.copy(), self.b3.copy())

    def net(self, k: int) -> Params:
        """Net k as an ``xorlib.Params`` (only for the 2-2-1 shape)."""
        d, hidden, nets = self.W1.shape
        if (d, hidden) != (2, 2):
            raise ValueError(f"only a 2-2-1 net converts to Params, this ensemble is {d}-{hidden}-1")
        if not 0 <= k < nets:
            raise ValueError(f"k must be between 0 and {nets - 1}, got {k}")
        return Params(w1=self.W1[:, 0, k], b1=self.b1[0, k], w2=self.W1[:, 1, k], b2=self.b1[1, k],
                      w3=self.w3[:, k], b3=self.b3[k])


def init_many(n_nets: int, d: int, hidden: int, init: str, rng: np.random.Generator) -> EnsembleParams:
    """Initial parameters for ``n_nets`` nets.

    - "original": the original's scheme, weights U(-1/√fan_in, 1/√fan_in), biases U(0, 1);
    - "uniform_zero_bias": the same weights, all biases 0;
    - "he": weights N(0, 2/fan_in), biases ``HE_BIAS``.
    """
    init = as_choice(init, "init", INITS)
    if init == "he":
        W1 = rng.normal(0.0, np.sqrt(2.0 / d), size=(d, hidden, n_nets))
        w3 = rng.normal(0.0, np.sqrt(2.0 / hidden), size=(hidden, n_nets))
        b1 = np.full((hidden, n_nets), HE_BIAS)
        b3 = np.full(n_nets, HE_BIAS)
    else:
        W1 = original_weights(rng, d, (d, hidden, n_nets))
        w3 = original_weights(rng, hidden, (hidden, n_nets))
        if init == "original":
            b1 = rng.uniform(0.0, 1.0, size=(hidden, n_nets))
            b3 = rng.uniform(0.0, 1.0, size=n_nets)
        else:
            b1 = np.zeros((hidden, n_nets))
            b3 = np.zeros(n_nets)
    return EnsembleParams(W1, b1, w3, b3)


@dataclass(frozen=True, eq=False)
class EnsembleResult:
    """What ``train_many`` returns. Arrays are indexed by net on their last axis."""

    initial: EnsembleParams
    final: EnsembleParams
    losses: np.ndarray  #: final mean BCE per net, (nets,)
    initial_losses: np.ndarray  #: (nets,)
    predictions: np.ndarray  #: final y_hat, (n, nets)
    solved: np.ndarray  #: every point on the right side of 0.5, (nets,)
    diverged: np.ndarray  #: by ``xorlib.descent.diverged``: loss not finite, or 10x above max(initial, ln 2), (nets,)
    loss_history: np.ndarray | None  #: (len(history_epochs), nets) when recorded
    history_epochs: np.ndarray | None
    config: dict

    @property
    def solve_rate(self) -> float:
        return float(np.mean(self.solved))


def _forward_many(X, p: EnsembleParams, activation):
    n, d = X.shape
    hidden, nets = p.b1.shape
    Z = (X @ p.W1.reshape(d, hidden * nets)).reshape(n, hidden, nets)
    Z += p.b1
    A = _activate(Z, activation)
    if hidden == 2:  # the original's width: two products beat einsum's overhead
        z3 = A[:, 0] * p.w3[0] + A[:, 1] * p.w3[1]
    else:
        z3 = np.einsum("ihk,hk->ik", A, p.w3)
    z3 += p.b3
    return Z, A, z3


def _loss_many(z3, y):
    return np.mean(_bce_terms(z3, y[:, None]), axis=0)


def _solved_many(predictions, y, losses):
    """Per net: every prediction on the right side of 0.5, as ``xorlib.solves``, and a finite loss."""
    return np.isfinite(losses) & np.all(right_side(predictions, y[:, None]), axis=0)


def _gradients_many(X, Xt, y, p: EnsembleParams, Z, A, z3, activation, relu_prime_at_zero):
    """∇L of every net at once, from the forward pass (Z, A, z3) at ``p``."""
    n, d = X.shape
    hidden, nets = p.b1.shape
    g_z3 = _sigmoid(z3)
    g_z3 -= y[:, None]
    g_z3 /= n  # ∇_{z3} L = (y_hat - y) / n
    g_Z = _activation_derivative(Z, A, activation, relu_prime_at_zero)
    g_Z *= p.w3
    g_Z *= g_z3[:, None, :]  # ∇_Z L = act'(Z) ⊙ w3 g_z3
    gW1 = (Xt @ g_Z.reshape(n, hidden * nets)).reshape(d, hidden, nets)
    gw3 = np.einsum("ihk,ik->hk", A, g_z3)
    return EnsembleParams(gW1, g_Z.sum(axis=0), gw3, g_z3.sum(axis=0))


#: A block holds as many nets as make one (n, hidden, nets) array about this many numbers. Larger
#: blocks run faster here (fewer numpy calls per net, and no gain from a block that fits a cache),
#: so 10,000 2-2-1 nets on XOR are one block; a block's buffers are about 20 such arrays.
BLOCK_NUMBERS = 2**17


def _blocks(n_nets: int, n: int, hidden: int, parts: int = 1) -> list[slice]:
    """The nets split into blocks of nearly equal size, each at most ``BLOCK_NUMBERS // (n hidden)`` nets,
    and a multiple of ``parts`` blocks (one or more per thread) where there are that many nets."""
    largest = max(1, BLOCK_NUMBERS // (n * hidden))
    count = -(-n_nets // largest)
    if n_nets >= parts:
        count = -(-count // parts) * parts
    edges = [n_nets * j // count for j in range(count + 1)]
    return [slice(start, stop) for start, stop in zip(edges[:-1], edges[1:])]


def _take(p: EnsembleParams, nets: slice) -> EnsembleParams:
    return EnsembleParams(p.W1[..., nets], p.b1[:, nets], p.w3[:, nets], p.b3[nets])


def _join(parts: list[EnsembleParams]) -> EnsembleParams:
    return EnsembleParams(*(np.concatenate([getattr(p, name) for p in parts], axis=-1)
                            for name in ("W1", "b1", "w3", "b3")))


@functools.lru_cache(maxsize=64)
def _products_keep_order(n: int, d: int, hidden: int, m: int) -> tuple[bool, bool, bool]:
    """Whether each of ``_Block``'s three products gives the plain code's bits at this shape.

    BLAS picks the order in which it adds the terms of a sum from the shapes alone, never from the
    values, so one check on random values (where another order changes some of the last bits) holds
    for every value of these shapes.
    """
    rng = np.random.default_rng(0)
    hm = hidden * m
    X, WB, g_Z, A, g = (rng.normal(size=shape) for shape in [(n, d), (d + 1, hm), (n, hm), (n, hidden, m), (n, m)])
    X1 = np.hstack([X, np.ones((n, 1))])
    Z = X @ WB[:d]
    Z += WB[d]
    G1 = np.concatenate([np.ascontiguousarray(X.T) @ g_Z, [g_Z.sum(axis=0)]])
    G2 = np.concatenate([np.einsum("ihk,ik->hk", A, g).reshape(hm), g.sum(axis=0)])
    return (bool(np.array_equal(X1 @ WB, Z)), bool(np.array_equal(np.ascontiguousarray(X1.T) @ g_Z, G1)),
            bool(np.array_equal((np.ones((1, n)) @ np.hstack([(A * g[:, None, :]).reshape(n, hm), g]))[0], G2)))


class _Block:
    """Some nets of ``train_many``, and every array one epoch needs, allocated once.

    The parameters live in two arrays that each step changes in place:

        WB (d + 1, hidden m): rows 0..d-1 are W1 (column h m + k is unit h of net k), row d is b1
        V  (hidden m + m,):   w3, then b3

    and a gradient (G1, G2) has their layout: G1 like WB, G2[0] like V. ``forward`` and ``gradient``
    compute what ``_forward_many`` and ``_gradients_many`` compute, with operations that give the
    same values in fewer passes over memory:

    - Z = [X 1] [W1; b1], one product: the bias enters as an input that is always 1;
    - relu(z) = max(z, 0) against an array of zeros (numpy's maximum is slower against a scalar);
    - step(z) is the boolean z > 0 copied into floats, 1 and 0;
    - σ(z3) = num / (1 + e) with e = exp(-|z3|) and num = max(e, [z3 >= 0]): 1 where z3 >= 0 and
      e where z3 < 0, the two branches of ``_sigmoid``;
    - ∇_{z3} L = (σ - y) / n subtracts y only on the rows where y = 1, and multiplies by 1/n
      where n is a power of 2 (exactly the division);
    - the four sums over rows in two products: ∇W1 = Xᵀ g_Z and ∇b1 = Σ_i g_Z as [Xᵀ; 1] g_Z,
      ∇w3 = Σ_i A g_z3 and ∇b3 = Σ_i g_z3 as 1ᵀ [A g_z3, g_z3].

    A product gives the plain code's bits only where BLAS adds the terms of each sum in the order
    numpy does, which depends on the shapes and on the BLAS kernel (OpenBLAS's AVX-512 kernel adds
    XOR's 4 rows in order; with 1ᵀ, its Haswell kernel does not). ``_products_keep_order`` checks
    each product once per shape, and where one fails the block computes that part as
    ``_forward_many`` and ``_gradients_many`` do.
    """

    def __init__(self, X, y, params: EnsembleParams, activation: str, relu_prime_at_zero: float = 0.0,
                 relu_derivative=None, factor: float | None = None):
        self.relu_derivative, self.factor = relu_derivative, factor  # for ``descend``
        n, d = X.shape
        hidden, m = params.b1.shape
        hm = hidden * m
        self.shape, self.activation, self.relu_prime_at_zero, self.y = (n, hidden, m), activation, relu_prime_at_zero, y
        self.WB, self.V = _flat_params(params)
        self.w3, self.b3 = self.V[:hm].reshape(hidden, m), self.V[hm:]
        self.X1 = np.hstack([X, np.ones((n, 1))])  # [X 1]
        self.X1t = np.ascontiguousarray(self.X1.T)  # [Xᵀ; 1]
        self.ones_row = np.ones((1, n))
        self.Z, self.A, self.T, self.D = (np.empty((n, hidden, m)) for _ in range(4))
        self.zeros = np.zeros((n, hidden, m))
        self.z3, self.e, self.num, self.denominator = (np.empty((n, m)) for _ in range(4))
        self.Z_mask, self.z3_mask = np.empty((n, hidden, m), bool), np.empty((n, m), bool)
        self.g_Z = np.empty((n, hm))
        self.R = np.empty((n, hm + m))  # [A g_z3, g_z3]: what 1ᵀ sums into ∇w3 and ∇b3
        self.Ag, self.g_z3 = self.R[:, :hm].reshape(n, hidden, m), self.R[:, hm:]
        rows = np.flatnonzero(y == 1)
        runs = np.split(rows, np.flatnonzero(np.diff(rows) > 1) + 1) if rows.size else []
        self.label_1 = [slice(run[0], run[-1] + 1) for run in runs]  # runs of consecutive rows with y = 1
        self.power_of_2 = n & (n - 1) == 0
        self.G1, self.G2 = np.empty((d + 1, hm)), np.empty((1, hm + m))
        self.fused = _products_keep_order(n, d, hidden, m)  # Z, (∇W1, ∇b1), (∇w3, ∇b3) by one product each
        self.X, self.Xt = X, np.ascontiguousarray(X.T)

    def forward(self) -> None:
        """Z, A and z3 at the current parameters."""
        n, hidden, m = self.shape
        Z, A, T, z3 = self.Z, self.A, self.T, self.z3
        Z_flat = Z.reshape(n, hidden * m)
        if self.fused[0]:
            np.matmul(self.X1, self.WB, out=Z_flat)
        else:
            d = self.X.shape[1]
            np.matmul(self.X, self.WB[:d], out=Z_flat)
            np.add(Z_flat, self.WB[d], out=Z_flat)
        if self.activation == "relu":
            np.maximum(Z, self.zeros, out=A)
        else:
            A[...] = _activate(Z, self.activation)
        np.multiply(A, self.w3, out=T)
        if hidden == 1:
            np.add(T[:, 0], self.b3, out=z3)
            return
        np.add(T[:, 0], T[:, 1], out=z3)
        for h in range(2, hidden):
            np.add(z3, T[:, h], out=z3)
        np.add(z3, self.b3, out=z3)

    def loss(self) -> np.ndarray:
        """Mean BCE of every net at the last ``forward``."""
        return _loss_many(self.z3, self.y)

    def gradient(self, relu_derivative=None) -> tuple[np.ndarray, np.ndarray]:
        """∇L at the last ``forward``, into the block's (G1, G2).

        ``relu_derivative(Z, A, out)``, if given, writes the ReLU Jacobian's diagonal in place of step(z).
        """
        n, hidden, m = self.shape
        z3, e, num, g_z3 = self.z3, self.e, self.num, self.g_z3
        np.absolute(z3, out=e)
        np.negative(e, out=e)
        np.exp(e, out=e)
        np.add(e, 1.0, out=self.denominator)
        np.greater_equal(z3, 0.0, out=self.z3_mask)
        np.copyto(num, self.z3_mask.view(np.uint8))
        np.maximum(e, num, out=num)
        np.divide(num, self.denominator, out=g_z3)  # σ(z3)
        for rows in self.label_1:
            np.subtract(g_z3[rows], 1.0, out=g_z3[rows])
        if self.power_of_2:
            np.multiply(g_z3, 1.0 / n, out=g_z3)
        else:
            np.divide(g_z3, n, out=g_z3)  # ∇_{z3} L = (σ(z3) - y) / n
        D = self.D
        if relu_derivative is not None:
            relu_derivative(self.Z, self.A, D)
        elif self.activation == "relu":
            np.greater(self.Z, 0.0, out=self.Z_mask)
            np.copyto(D, self.Z_mask.view(np.uint8))  # step(z)
            if self.relu_prime_at_zero != 0.0:
                np.putmask(D, self.Z == 0, self.relu_prime_at_zero)
        else:
            D[...] = _activation_derivative(self.Z, self.A, self.activation, self.relu_prime_at_zero)
        g_Z = self.g_Z.reshape(n, hidden, m)
        np.multiply(D, self.w3, out=g_Z)
        np.multiply(g_Z, g_z3[:, None, :], out=g_Z)  # ∇_Z L = act'(Z) ⊙ w3 g_z3
        np.multiply(self.A, g_z3[:, None, :], out=self.Ag)
        G1, G2 = self.G1, self.G2
        d, hm = self.X.shape[1], hidden * m
        if self.fused[1]:
            np.matmul(self.X1t, self.g_Z, out=G1)  # ∇W1 and ∇b1
        else:
            np.matmul(self.Xt, self.g_Z, out=G1[:d])
            np.sum(self.g_Z, axis=0, out=G1[d])
        if self.fused[2]:
            np.matmul(self.ones_row, self.R, out=G2)  # ∇w3 and ∇b3
        else:
            np.einsum("ihk,ik->hk", self.A, g_z3, out=G2[0, :hm].reshape(hidden, m))
            np.sum(g_z3, axis=0, out=G2[0, hm:])
        return G1, G2

    def descend(self, lr: float) -> None:
        """One step down ``gradient(relu_derivative)``, times ``factor`` if given, from the last ``forward``."""
        G1, G2 = self.gradient(self.relu_derivative)
        if self.factor is not None:
            np.multiply(G1, self.factor, out=G1)
            np.multiply(G2, self.factor, out=G2)
        self.step(lr, G1, G2)

    def step(self, lr: float, G1: np.ndarray, G2: np.ndarray) -> None:
        """θ <- θ - lr ∇L, in place; G1 and G2 end up holding lr ∇L."""
        np.multiply(G1, lr, out=G1)
        np.subtract(self.WB, G1, out=self.WB)
        np.multiply(G2[0], lr, out=G2[0])
        np.subtract(self.V, G2[0], out=self.V)

    def params(self) -> EnsembleParams:
        return _params_of(self.WB, self.V, self.shape[1])


def _flat_params(params: EnsembleParams) -> tuple[np.ndarray, np.ndarray]:
    """(WB, V), the layout of ``_Block`` and ``kernels``: [W1; b1] as (d + 1, hidden m), and [w3, b3]."""
    d, hidden, m = params.W1.shape
    return (np.concatenate([params.W1.reshape(d, hidden * m), params.b1.reshape(1, hidden * m)]),
            np.concatenate([params.w3.reshape(hidden * m), params.b3]))


def _params_of(WB: np.ndarray, V: np.ndarray, hidden: int) -> EnsembleParams:
    """The ``EnsembleParams`` held in (WB, V), copied."""
    d, m = WB.shape[0] - 1, V.size // (hidden + 1)
    return EnsembleParams(WB[:d].reshape(d, hidden, m).copy(), WB[d].reshape(hidden, m).copy(),
                          V[:hidden * m].reshape(hidden, m).copy(), V[hidden * m:].copy())


class _Compiled:
    """Some ReLU nets of ``train_many`` in ``kernels``' arrays: an epoch is two compiled loops and numpy's exp.

    ``min_1_h`` and ``factor`` put the original's errors 1 and 2 in the gradient (``wrong_gradients``).
    """

    def __init__(self, X, y, params: EnsembleParams, relu_prime_at_zero: float = 0.0, min_1_h: bool = False,
                 factor: float = 1.0):
        from . import kernels  # numba loads here, on the first training: ``import xorlib`` stays quick

        self.X, self.y = np.ascontiguousarray(X), np.ascontiguousarray(y, dtype=float)
        xor_shape = X.shape == (4, 2)  # four rows of two inputs: the loops written out for that shape
        self.forward_kernel = kernels.forward_4x2 if xor_shape else kernels.forward
        self.descend_kernel = kernels.descend_4x2 if xor_shape else kernels.descend
        self.hidden, (self.WB, self.V) = params.b1.shape[0], _flat_params(params)
        self.z3, self.s = np.empty((X.shape[0], params.b3.size)), np.empty((X.shape[0], params.b3.size))
        self.settings = (float(relu_prime_at_zero), bool(min_1_h), float(factor))

    def forward(self) -> None:
        """z3 at the current parameters."""
        self.forward_kernel(self.X, self.WB, self.V, self.z3, self.s)

    def loss(self) -> np.ndarray:
        """Mean BCE of every net at the last ``forward``."""
        return _loss_many(self.z3, self.y)

    def descend(self, lr: float) -> None:
        """θ <- θ - lr ∇L (with the errors asked for), from the last ``forward``."""
        np.exp(self.s, out=self.s)
        self.descend_kernel(self.X, self.y, self.WB, self.V, self.z3, self.s, lr, *self.settings)

    def params(self) -> EnsembleParams:
        return _params_of(self.WB, self.V, self.hidden)


@functools.lru_cache(maxsize=64)
def _compiled_keeps_bits(X_bytes: bytes, n: int, d: int, y_bytes: bytes, hidden: int, relu_prime_at_zero: float,
                         relu_derivative, min_1_h: bool, factor: float | None) -> bool:
    """Whether ``_Compiled`` gives ``_Block``'s bits on this data (X and y as bytes) and set-up.

    The compiled loops add every sum in numpy's order, but BLAS, which ``_Block`` and the plain code use for
    the sums over inputs and rows, may add in another order or fuse a product into a sum; on inputs 0 and 1,
    as XOR's and parity's, no order changes a bit. Three epochs of 259 random nets (two chunks) decide,
    as ``_products_keep_order`` does.
    """
    X, y = np.frombuffer(X_bytes).reshape(n, d), np.frombuffer(y_bytes)
    rng = np.random.default_rng(0)
    m = 259
    params = EnsembleParams(*(rng.normal(size=shape) for shape in [(d, hidden, m), (hidden, m), (hidden, m), (m,)]))
    fast = _Compiled(X, y, params, relu_prime_at_zero, min_1_h, 1.0 if factor is None else factor)
    plain = _Block(X, y, params, "relu", relu_prime_at_zero, relu_derivative, factor)
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(3):
            fast.forward()
            plain.forward()
            if not np.array_equal(fast.z3, plain.z3):
                return False
            fast.descend(0.5)
            plain.descend(0.5)
    return bool(np.array_equal(fast.WB, plain.WB) and np.array_equal(fast.V, plain.V))


def _cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _train_blocks(X, y, initial: EnsembleParams, epochs: int, lr: float, activation: str = "relu",
                  relu_prime_at_zero: float = 0.0, history: np.ndarray | None = None, record_every: int = 1,
                  relu_derivative=None, min_1_h: bool = False, factor: float | None = None):
    """Train every net of ``initial`` for ``epochs``: (initial losses, final losses, predictions, final params).

    The nets train in blocks, one thread per core (numpy and the compiled loops release Python's lock),
    each block a ``_Compiled`` where it gives ``_Block``'s bits, else a ``_Block``. No net depends on
    another, so neither the blocks nor the threads change a bit. ``history`` (epochs // record_every + 1,
    nets) receives the losses every ``record_every`` epochs. The original's errors, for ``wrong_gradients``:
    ``relu_derivative`` (``_Block``'s form) and ``min_1_h`` (the compiled form) are error 1, ``factor`` error 2.
    """
    n = X.shape[0]
    hidden, n_nets = initial.b1.shape
    compiled = activation == "relu" and _compiled_keeps_bits(
        np.ascontiguousarray(X, dtype=float).tobytes(), *X.shape, np.ascontiguousarray(y, dtype=float).tobytes(),
        hidden, relu_prime_at_zero, relu_derivative, min_1_h, factor)
    initial_losses, losses, predictions = np.empty(n_nets), np.empty(n_nets), np.empty((n, n_nets))

    def train(nets: slice) -> EnsembleParams:
        with np.errstate(over="ignore", invalid="ignore"):  # in each thread: numpy's error state is per thread
            start = _take(initial, nets)
            block = (_Compiled(X, y, start, relu_prime_at_zero, min_1_h, 1.0 if factor is None else factor)
                     if compiled else _Block(X, y, start, activation, relu_prime_at_zero, relu_derivative, factor))
            for epoch in range(epochs + 1):
                block.forward()
                if history is not None and epoch % record_every == 0:
                    history[epoch // record_every, nets] = block.loss()
                if epoch == 0:
                    initial_losses[nets] = block.loss()
                if epoch == epochs:
                    break
                block.descend(lr)
            losses[nets] = block.loss()
            predictions[:, nets] = _sigmoid(block.z3)
            return block.params()

    blocks = _blocks(n_nets, n, hidden, parts=_cores())
    if len(blocks) == 1:
        finals = [train(blocks[0])]
    else:
        with ThreadPoolExecutor(min(len(blocks), _cores())) as pool:
            finals = list(pool.map(train, blocks))
    return initial_losses, losses, predictions, _join(finals)


def _as_X(X):
    """X of shape (n, d), n, d >= 1."""
    X = as_float_array(X, "X")
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"X must be 2-D with shape (n, d), n, d >= 1, got shape {X.shape}")
    return X


def _as_data(X, y):
    """X of shape (n, d), n, d >= 1, and labels y of shape (n,)."""
    X = _as_X(X)
    return X, as_targets(y, X.shape[0])


def _as_ensemble_params(params):
    if not isinstance(params, EnsembleParams):
        raise TypeError(f"params must be an EnsembleParams (e.g. train_many(...).final), got {type(params).__name__}")
    return params


def _as_subgradient(value) -> float:
    value = as_float(value, "relu_prime_at_zero")
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"relu_prime_at_zero must be in [0, 1] (a subgradient), got {value}")
    return value


def loss_many(X, y, params: EnsembleParams, activation: str = "relu") -> np.ndarray:
    """Mean BCE of every net, computed from the logits: shape (nets,)."""
    params = _as_ensemble_params(params)
    X, y = _as_data(X, y)
    return _loss_many(_forward_many(X, params, as_choice(activation, "activation", ACTIVATIONS))[2], y)


def gradients_many(X, y, params: EnsembleParams, activation: str = "relu",
                   relu_prime_at_zero: float = 0.0) -> EnsembleParams:
    """∇L of every net, as an ``EnsembleParams`` of the same shapes."""
    params = _as_ensemble_params(params)
    X, y = _as_data(X, y)
    activation = as_choice(activation, "activation", ACTIVATIONS)
    relu_prime_at_zero = _as_subgradient(relu_prime_at_zero)
    Z, A, z3 = _forward_many(X, params, activation)
    return _gradients_many(X, np.ascontiguousarray(X.T), y, params, Z, A, z3, activation, relu_prime_at_zero)


def train_many(X, y, n_nets: int = 1000, epochs: int = 1000, lr: float = 0.9, seed=0, hidden: int = 2,
               activation: str = "relu", init: str = "original", relu_prime_at_zero: float = 0.0,
               initial: EnsembleParams | None = None, record_every: int | None = None) -> EnsembleResult:
    """Train ``n_nets`` independent nets on (X, y) with full-batch gradient descent.

    X: (n, d) inputs, any d (e.g. n-bit parity); y: (n,) labels 0/1.
    ``seed`` (int or Generator) draws the initial parameters with ``init``,
    unless ``initial`` gives them. ``relu_prime_at_zero`` sets ReLU'(0)
    (xorlib's convention is 0). ``record_every=k`` keeps the loss of every net
    every k epochs.
    """
    X, y = _as_data(X, y)
    n_nets = as_positive_int(n_nets, "n_nets")
    epochs = as_positive_int(epochs, "epochs")
    lr = as_positive_float(lr, "lr")
    hidden = as_positive_int(hidden, "hidden")
    if hidden > 16:
        raise ValueError(f"hidden must be between 1 and 16, got {hidden}")
    activation = as_choice(activation, "activation", ACTIVATIONS)
    init = as_choice(init, "init", INITS)
    relu_prime_at_zero = _as_subgradient(relu_prime_at_zero)
    n, d = X.shape
    if initial is None:
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        initial = init_many(n_nets, d, hidden, init, rng)
    elif initial.W1.shape != (d, hidden, n_nets):
        raise ValueError(f"initial.W1 must have shape {(d, hidden, n_nets)}, got {initial.W1.shape}")
    history, history_epochs = None, None
    if record_every is not None:
        record_every = as_positive_int(record_every, "record_every")
        history_epochs = np.arange(0, epochs + 1, record_every)
        history = np.empty((history_epochs.size, n_nets))

    initial_losses, losses, predictions, p = _train_blocks(X, y, initial, epochs, lr, activation, relu_prime_at_zero,
                                                           history, record_every or 1)
    diverged = _diverged(initial_losses, losses)
    solved = _solved_many(predictions, y, losses)
    config = dict(n_nets=n_nets, epochs=epochs, lr=lr, hidden=hidden, activation=activation, init=init,
                  relu_prime_at_zero=relu_prime_at_zero)
    return EnsembleResult(initial=initial, final=p, losses=losses, initial_losses=initial_losses,
                          predictions=predictions, solved=solved, diverged=diverged,
                          loss_history=history, history_epochs=history_epochs, config=config)


#: The outcome classes of ``classify``, in the order they are tested.
OUTCOMES = ("solved", "unit dead at init", "unit died in training", "no unit folds",
            "two inputs, one hidden point", "three inputs, one hidden point", "other")
#: Two inputs share a hidden point when their hidden vectors h are closer than this
#: fraction of the longest h of the net (the correct gradient makes them equal).
SHARED_POINT = 0.1


def _pre_activations(X, params: EnsembleParams) -> np.ndarray:
    return _forward_many(X, params, "relu")[0]


def hidden_many(X, params: EnsembleParams) -> np.ndarray:
    """(n, hidden, nets): every net's hidden vector h = relu(z) on every row of X (ReLU nets)."""
    return np.maximum(_pre_activations(_as_X(X), params), 0.0)


def dead_units(X, params: EnsembleParams) -> np.ndarray:
    """(hidden, nets) booleans: the unit's pre-activation is <= 0 on every row,
    so (for ReLU) it outputs 0 and receives no gradient from any row, ever."""
    return np.all(_pre_activations(_as_X(X), params) <= 0, axis=0)


def linear_units(X, params: EnsembleParams) -> np.ndarray:
    """(hidden, nets) booleans: the unit's pre-activation is > 0 on every row,
    so its ReLU never folds anything: on this data it is a linear unit."""
    return np.all(_pre_activations(_as_X(X), params) > 0, axis=0)


def shared_inputs(X, y, params: EnsembleParams, near: float = SHARED_POINT) -> np.ndarray:
    """(n, nets) booleans: the inputs that share their hidden point with an input of the other label.

    Input j shares input i's point when |h_j - h_i| <= ``near`` * max_k |h_k|
    (h = relu(z), the hidden vector). Inputs on (nearly) one hidden point reach
    the output unit as (nearly) one point, so it gives them (nearly) one
    prediction: where their labels differ, it cannot get them all right.
    """
    X, y = _as_data(X, y)
    near = as_positive_float(near, "near")
    H = hidden_many(X, params)  # (n, hidden, nets)
    distance = np.linalg.norm(H[:, None] - H[None, :], axis=2)  # (n, n, nets)
    shares = distance <= near * np.linalg.norm(H, axis=1).max(axis=0)  # shares[i, j, k]
    return np.any(shares & (y[:, None] != y[None, :])[..., None], axis=1)


def shared_point_sizes(X, y, params: EnsembleParams, near: float = SHARED_POINT) -> np.ndarray:
    """(nets,) integers: how many inputs share their hidden point with an input of the other label."""
    return shared_inputs(X, y, params, near).sum(axis=0)


def classify(result: EnsembleResult, X, y) -> np.ndarray:
    """Each ReLU net's outcome, one of ``OUTCOMES``, from its start and its end.

    A net that is not solved goes in the first class that fits:

    - "unit dead at init": a hidden unit has z <= 0 on every input at the start.
      It gets no gradient from any input (with the true gradient or the
      original's min(1, h)), so it stays dead;
    - "unit died in training": no unit dead at the start, one dead at the end;
    - "no unit folds": every unit has z > 0 on every input at the end, so the
      net is linear on the data (on XOR, the best linear fit is 0.5 everywhere);
    - "two inputs, one hidden point": exactly two inputs share their hidden point
      with an input of the other label (``shared_inputs``): one of each label;
    - "three inputs, one hidden point": exactly three do;
    - "other": anything else: no input, or all four, share a point with an input
      of the other label.
    """
    X, y = _as_data(X, y)
    dead_init = dead_units(X, result.initial).any(axis=0)
    dead_final = dead_units(X, result.final).any(axis=0)
    linear = linear_units(X, result.final).all(axis=0)
    shared = shared_point_sizes(X, y, result.final)
    conditions = [result.solved, dead_init, dead_final, linear, shared == 2, shared == 3]
    return np.select(conditions, OUTCOMES[:-1], default=OUTCOMES[-1]).astype(object)
