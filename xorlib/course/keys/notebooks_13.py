"""Worked solutions of notebook 13: your own autodiff engine."""

REASONING = {
    "13.1": r"""Every VJP is linear in the gradient it receives: $\operatorname{VJP}(c\,\mathbf{g}) = c\,\operatorname{VJP}(\mathbf{g})$
(a transposed Jacobian times $c\,\mathbf{g}$). The seed is the first gradient of the sweep, so a seed of $0.5$ makes every
gradient of the sweep half of the right one, as if the sweep differentiated $0.5\,L$:
$$\nabla_{b_3} (0.5\,L) = 0.5\,\nabla_{b_3} L = 0.5\,\mathbf{1}^\intercal(\hat{\mathbf{y}} - \mathbf{y})/n.$$
The engine shows it: differentiating `E.scale(L, 0.5)` seeds $L$ with $0.5$.""",
    "13.2": r"""$P = \operatorname{softmax}(Z)$ row by row, with $Z$ and $P$ of shape $(n, c)$: $\operatorname{vec}(P)$ and
$\operatorname{vec}(Z)$ each have $nc = 200$ entries, so the Jacobian is $200 \times 200$, $40{,}000$ entries. Row $i$ of
$P$ depends on row $i$ of $Z$ only, and there on all $c$ entries (the denominator): in row order the Jacobian is block
diagonal, $n$ blocks $\operatorname{diag}(\mathbf{p_i}) - \mathbf{p_i}\mathbf{p_i}^\intercal$ of $c \times c$, so at most
$n c^2 = 800$ entries are nonzero ($2\%$). Off-diagonal entries of a block, $-p_j p_k$, are nonzero because every
probability is positive.""",
    "13.3": r"""$L = \operatorname{CE} + \lambda\left(\lVert W_1\rVert^2 + \lVert W_2\rVert^2 + \lVert W_3\rVert^2\right)$. $W_3$ reaches
$L$ by two paths, and its gradient is the sum: $\nabla_{W_3} \operatorname{CE} + \nabla_{W_3} \lambda \lVert W_3\rVert^2$.
The second is entry by entry $\partial(\lambda \sum w^2)/\partial w = 2\lambda w$, so the decay path adds $2\lambda W_3 =
0.02\,W_3$. The engine shows it as the difference of the gradients with and without decay.""",
}

SOLUTIONS = {
    "13.1": """from xorlib import engine as E
from xorlib import graphs as G

X, y = xorlib.xor_data()
graph = G.xor_graph(xorlib.init_params(0), X, y)
E.backward(E.scale(graph.loss, 0.5))  # the sweep of 0.5 L seeds L with 0.5
answer = float(graph.grad("b3"))
print(f"seed 0.5: {answer:.6f}   seed 1: {float(graph.backward().grad('b3')):.6f}")""",
    "13.2": """n, c = 50, 4
entries = (n * c) ** 2  # one row per entry of P, one column per entry of Z
nonzero = n * c * c  # one c x c block per row
answer = (entries, nonzero)
print(f"{entries:,} entries, {nonzero:,} nonzero ({nonzero / entries:.0%})")""",
    "13.3": """from xorlib import graphs as G

Xc, classes = G.three_classes(30, rng=0)
start = G.init_classifier((2, 4, 3, 3), rng=1)
with_decay = G.classifier_gradients(start, Xc, classes, 0.01)
without = G.classifier_gradients(start, Xc, classes, 0.0)
answer = with_decay["W3"] - without["W3"]
print("equals 2 λ W3:", np.allclose(answer, 2 * 0.01 * start["W3"], rtol=1e-9, atol=1e-12))""",
}
