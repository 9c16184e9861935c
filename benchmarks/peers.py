"""The training of ``train_many`` written for JAX and for PyTorch, for ``bench.py``'s side-by-side runs.

Every peer trains the same nets as ``train_many(X, y, initial=initial, epochs=epochs, lr=lr)``
(2-2-1 ReLU, BCE from the logits, full-batch gradient descent, float64) with the framework's own
autodiff, and returns the final parameters in xorlib's layout, so that ``bench.py`` can check
they agree before it times them. JAX is timed without its compilation (each trainer compiles
once, when it is built).

JAX, three ways, all jit-compiled with the epochs in one ``lax.fori_loop``:

- "batched": the nets on a batch axis of (nets, 2, 2) tensors, ``jax.grad`` of the sum of the
  nets' losses (what the PyTorch peer does);
- "vmap": ``jax.vmap`` of one net's ``jax.grad`` step;
- "rows unrolled": each of the nine parameters a vector over the nets and the n rows of X
  written out one by one, which XLA compiles into a few fused loops over the nets per epoch
  (13 on XOR: one per row, one per parameter).

PyTorch: the batched form, autograd and ``torch.optim.SGD``, on one thread and on all cores
(on a busy machine more threads can be slower).
"""

from __future__ import annotations

import numpy as np

from xorlib.studies.ensemble import EnsembleParams


def _as_params(W1, b1, w3, b3) -> EnsembleParams:
    """xorlib's layout, nets on the last axis, from the peers' nets-first arrays."""
    return EnsembleParams(np.moveaxis(np.asarray(W1), 0, -1), np.asarray(b1).T.copy(), np.asarray(w3).T.copy(),
                          np.asarray(b3).copy())


def jax_trainers(X, y, initial: EnsembleParams, epochs: int, lr: float) -> dict:
    """{name: train}, each ``train()`` running the whole training once and returning its final parameters."""
    from xorlib.course.autodiff import require_jax

    jax, jnp = require_jax()
    Xj, yj = jnp.asarray(X), jnp.asarray(y)
    nets_first = tuple(jnp.asarray(a) for a in (np.moveaxis(initial.W1, -1, 0), initial.b1.T, initial.w3.T,
                                                initial.b3))

    def bce(z3, y):
        return jnp.logaddexp(0.0, z3) - y * z3

    def batched_loss(p):
        W1, b1, w3, b3 = p  # (nets, 2, 2), (nets, 2), (nets, 2), (nets,)
        A = jax.nn.relu(jnp.einsum("nd,kdh->knh", Xj, W1) + b1[:, None, :])
        return bce((A * w3[:, None, :]).sum(-1) + b3[:, None], yj).mean(1).sum()

    def one_net_loss(p):
        W1, b1, w3, b3 = p  # (2, 2), (2,), (2,), ()
        return bce(jax.nn.relu(Xj @ W1 + b1) @ w3 + b3, yj).mean()

    def unrolled_loss(p):
        w11, w12, b1, w21, w22, b2, v1, v2, b3 = p  # each (nets,)
        total = 0.0
        for (x1, x2), label in zip(X.tolist(), y.tolist()):
            z3 = v1 * jax.nn.relu(w11 * x1 + w12 * x2 + b1) + v2 * jax.nn.relu(w21 * x1 + w22 * x2 + b2) + b3
            total = total + bce(z3, label)
        return (total / X.shape[0]).sum()

    def descend(step):
        return lambda p: jax.tree_util.tree_map(lambda value, grad: value - lr * grad, p, step(p))

    def compiled(update, start, to_params):
        run = jax.jit(lambda p: jax.lax.fori_loop(0, epochs, lambda _, p: update(p), p))
        jax.block_until_ready(run(start))  # compile now, outside the timings

        def train():
            return to_params(*jax.block_until_ready(run(start)))
        return train

    W1 = initial.W1
    rows = tuple(jnp.asarray(a) for a in (W1[0, 0], W1[1, 0], initial.b1[0], W1[0, 1], W1[1, 1], initial.b1[1],
                                          initial.w3[0], initial.w3[1], initial.b3))

    def from_rows(w11, w12, b1, w21, w22, b2, v1, v2, b3):
        stack = np.stack
        return EnsembleParams(stack([stack([w11, w21]), stack([w12, w22])]), stack([b1, b2]), stack([v1, v2]),
                              np.asarray(b3))

    return {
        "JAX batched": compiled(descend(jax.grad(batched_loss)), nets_first, _as_params),
        "JAX vmap": compiled(jax.vmap(descend(jax.grad(one_net_loss))), nets_first, _as_params),
        "JAX rows unrolled": compiled(descend(jax.grad(unrolled_loss)), rows,
                                      lambda *p: from_rows(*(np.asarray(a) for a in p))),
    }


def torch_trainer(torch, X, y, initial: EnsembleParams, epochs: int, lr: float, threads: int):
    """``train()`` for PyTorch on ``threads`` threads: batched tensors, autograd, ``torch.optim.SGD``;
    returns the final parameters."""
    Xt, yt = torch.tensor(X), torch.tensor(y)
    start = [np.moveaxis(initial.W1, -1, 0), initial.b1.T, initial.w3.T, initial.b3]
    target = yt.expand(initial.b3.size, -1)

    def train():
        torch.set_num_threads(threads)
        W1, b1, w3, b3 = (torch.tensor(np.ascontiguousarray(a)).requires_grad_() for a in start)
        optimizer = torch.optim.SGD([W1, b1, w3, b3], lr=lr)
        for _ in range(epochs):
            optimizer.zero_grad()
            A = torch.relu(torch.einsum("nd,kdh->knh", Xt, W1) + b1[:, None, :])
            z3 = (A * w3[:, None, :]).sum(-1) + b3[:, None]
            # the sum over nets of each net's mean loss: each net gets its own gradient
            loss = torch.nn.functional.binary_cross_entropy_with_logits(z3, target, reduction="none").mean(1).sum()
            loss.backward()
            optimizer.step()
        return _as_params(*(t.detach().numpy() for t in (W1, b1, w3, b3)))
    return train
