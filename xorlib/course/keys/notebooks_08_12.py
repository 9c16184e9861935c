"""Worked solutions of notebooks 08 to 12: from Jacobians to VJPs, the cheat sheet, the classroom
explorer, and from xorlib to JAX."""

REASONING = {
    "08.1": r"""Row $i$ of $\mathbf{z_3} = \mathbf{H}\mathbf{w_3} + b_3$ is $z_{3,i} = \sum_j H_{ij} w_{3,j} + b_3$, so
$\partial z_{3,i}/\partial H_{kj} = w_{3,j}$ if $k = i$ and 0 otherwise. The VJP sums over the outputs:
$$(\nabla_{\mathbf{H}} L)_{kj} = \sum_i v_i \frac{\partial z_{3,i}}{\partial H_{kj}} = v_k\, w_{3,j}, \qquad
\nabla_{\mathbf{H}} L = \mathbf{v}\,\mathbf{w_3}^\intercal,$$
an outer product, $(n, 1)\,(1, 2) = (n, 2)$: for $n = 4$, $(4, 2)$, the shape of $\mathbf{H}$, as a gradient always
has the shape of what it is taken with respect to. Its columns are $w_{3,1}\mathbf{v}$ and $w_{3,2}\mathbf{v}$,
$\nabla_{h_1} L$ and $\nabla_{h_2} L$, and no $(n, n)$ Jacobian was built.""",
    "08.2": r"""A float64 number takes 64 bits, 8 bytes, and the matrix has $10{,}000^2 = 10^8$ entries:
$$10^8 \times 8 = 800{,}000{,}000 \text{ bytes},$$
0.8 GB for one matrix. The explicit chain at $n = 10{,}000$ holds five such Jacobians, 4 GB.""",
    "09.1": r"""With one row, $\mathbf{X} = [1, 0]$ is $(1, 2)$ and $n = 1$. The cheat sheet's closed form is
$\nabla_{w_1} L = \mathbf{X}^\intercal\boldsymbol\delta_1$, with $\boldsymbol\delta_1 = \operatorname{step}(\mathbf{z_1})
\odot w_{3,1}\boldsymbol\delta_3$ and $\boldsymbol\delta_3 = \frac1n(\hat{\mathbf{y}} - \mathbf{y})$. At `params`:

- forward: $z_1 = w_{1,1} + b_1 = 0.800329$, $z_2 = w_{2,1} + b_2 = 0.080335$, both active, and
  $z_3 = 0.800329 \cdot 0.443031 + 0.080335 \cdot 0.583725 + 0.543625 = 0.945089$, $\hat y = \sigma(z_3) = 0.720126$;
- $\delta_3 = (0.720126 - 1)/1 = -0.279874$;
- $\delta_1 = \operatorname{step}(0.800329) \cdot 0.443031 \cdot (-0.279874) = -0.123993$;
- $\nabla_{w_1} L = \mathbf{X}^\intercal \delta_1 = (1 \cdot \delta_1,\ 0 \cdot \delta_1) = (-0.123993,\ 0)$.

The second entry is 0 because $x_2 = 0$: $w_{1,2}$ did not touch this example.""",
    "09.2": r"""$\nabla_{b_3} L = \mathbf{1}^\intercal\boldsymbol\delta_3$ with $\boldsymbol\delta_3 = \frac1n(\hat{\mathbf{y}} -
\mathbf{y})$. Stacking XOR twice gives $n = 8$ rows: each of the four values $\hat y_i - y_i$ now appears twice,
and each is divided by 8 instead of 4. So every entry of $\boldsymbol\delta_3$ is halved and there are twice as
many:
$$\nabla_{b_3} L\big|_{n = 8} = \frac18 \cdot 2\sum_{i=1}^{4} (\hat y_i - y_i) = \frac14\sum_{i=1}^{4}(\hat y_i - y_i)
= \nabla_{b_3} L\big|_{n = 4} = 0.210616.$$
A mean does not change when the data is repeated; its gradient does not either.""",
    "10.1": r"""One step of gradient descent moves $b_3 \leftarrow b_3 - \eta\,\nabla_{b_3} L$. At `init_params(0)`,
$b_3 = 0.543625$ and $\nabla_{b_3} L = \mathbf{1}^\intercal(\hat{\mathbf{y}} - \mathbf{y})/n = 0.210616$ (the
gradient table before the step), so with $\eta = 0.9$:
$$b_3 = 0.543625 - 0.9 \times 0.210616 = 0.354070.$$""",
    "10.2": r"""$\mathbf{w_3}$ reaches the loss through $z_3 \to \hat y \to L$, so the chain, transposed and
reversed, is
$$\nabla_{w_3} L = \underbrace{\left(\frac{\partial \mathbf{z_3}}{\partial \mathbf{w_3}}\right)^\intercal}_{(2,\,n)}
\underbrace{\left(\frac{\partial \hat{\mathbf{y}}}{\partial \mathbf{z_3}}\right)^\intercal}_{(n,\,n)}
\underbrace{\nabla_{\hat y} L}_{(n,\,1)}:$$
**2** transposed Jacobians, one per edge between $\hat{\mathbf{y}}$ and $\mathbf{w_3}$ in the graph, against 4 for
$\mathbf{w_1}$, whose chain also passes $h_1$ and $z_1$. The stepper applies them right to left, one per step after
the start.""",
}
REASONING |= {  # notebook 12
    "12.1": r"""`jnp.maximum(z, 0.0)` has derivative $\tfrac12$ at $z = 0$ (JAX shares the slope between tied
arguments), and `jax.grad` differentiates the network as written. At `on_kink` only the row $(0, 0)$ has
$z_{1,1} = 0$, and $\nabla_{b_1} L = \sum_i \operatorname{relu}'(z_{1,i})\, w_{3,1} (\nabla_{z_3} L)_i$. The forward
pass, and so $\nabla_{z_3} L$, does not depend on the value $d = \operatorname{relu}'(0)$ that row gets; only that
row's term does, and linearly:
$$\nabla_{b_1} L(d) = \text{left} + d\,(\text{right} - \text{left}),$$
where left $= \nabla_{b_1} L(0) = -0.037334$ (xorlib and `jax.nn.relu`) and right $= \nabla_{b_1} L(1) = 0.042966$,
the two one-sided derivatives notebook 04 printed. With $d = \tfrac12$:
$$-0.037334 + \tfrac12\,(0.042966 + 0.037334) = 0.002816,$$
their average, the same number as the central difference at the kink in notebook 04.""",
    "12.2": r"""$L(\theta)$ maps the 9 parameters to 1 number, so its Jacobian $\partial L/\partial\theta$ is $(1, 9)$.
`jax.jacfwd` builds a Jacobian a column at a time, one JVP per entry of the input: **9** JVPs, each pushing one
basis vector of $\theta$ forward through the whole network. `jax.jacrev` builds it a row at a time, one VJP per
entry of the output: **1** VJP, pulling the single cotangent $\partial L/\partial L = 1$ back through every layer.
That one VJP is backprop: the chain of transposed local Jacobians applied right to left to a vector, which is what
`jax.grad` does. The answer is `(9, 1)`.""",
}

SOLUTIONS = {
    "08.1": """X, y = xorlib.xor_data()
params = xorlib.init_params(0)
f = xorlib.forward(params, X)
v = (f.y_hat - y) / X.shape[0]  # ∇_z3 L
g_H = np.outer(v, params.w3)  # (∇_H L)_ij = v_i w3_j
print("columns equal w3_1 v and w3_2 v:", np.allclose(g_H, np.column_stack([params.w3[0] * v, params.w3[1] * v])))
answer = g_H.shape""",
    "08.2": """n = 10_000
bytes_per_entry = np.dtype(np.float64).itemsize  # 8
answer = n * n * bytes_per_entry
print(f"{answer:,} bytes = {answer / 1e9:.1f} GB; five of them: {5 * answer / 1e9:.1f} GB")""",
    "09.1": """params = xorlib.init_params(0)
X, y = np.array([[1.0, 0.0]]), np.array([1.0])
n = X.shape[0]
f = xorlib.forward(params, X)
delta3 = (f.y_hat - y) / n
delta1 = (f.z1 > 0) * params.w3[0] * delta3
answer = X.T @ delta1  # ∇_w1 L = Xᵀ δ1
print(f"y_hat = {f.y_hat[0]:.6f}, δ3 = {delta3[0]:.6f}, δ1 = {delta1[0]:.6f}")""",
    "09.2": """params = xorlib.init_params(0)
X8, y8 = xorlib.repeated_xor(2)
delta3 = (xorlib.forward(params, X8).y_hat - y8) / X8.shape[0]  # 8 entries, each half its n = 4 value
answer = np.ones(8) @ delta3  # ∇_b3 L = 1ᵀ δ3
print(f"n = 8: {answer:.6f}   n = 4: {xorlib.gradients(params, *xorlib.xor_data()).b3:.6f}")""",
    "10.1": """from xorlib.course.explorer import ExplorerState

X, y = xorlib.xor_data()
params = xorlib.init_params(0)
grad_b3 = np.mean(xorlib.forward(params, X).y_hat - y)  # 1ᵀ (y_hat - y) / n
answer = params.b3 - 0.9 * grad_b3
state = ExplorerState(seed=0, lr=0.9)
state.step()
print(f"b3 = {params.b3:.6f} - 0.9 x {grad_b3:.6f} = {answer:.6f}")
print(f"ExplorerState after one step: b3 = {state.params.b3:.6f}")""",
    "10.2": """from xorlib.course.explorer import ChainRuleSteps

steps = ChainRuleSteps(xorlib.init_params(0), "w3").steps
for step in steps[1:]:  # steps[0] is the start, ∇_ŷ L
    print(f"apply ({step.name})ᵀ, shape {step.value.T.shape}")
answer = len(steps) - 1""",
    "12.1": """X, y = xorlib.xor_data()
base = xorlib.init_params(0)
on_kink = xorlib.Params(w1=base.w1, b1=0.0, w2=base.w2, b2=base.b2, w3=base.w3, b3=base.b3)
f = xorlib.forward(on_kink, X)
g_z3 = (f.y_hat - y) / X.shape[0]  # ∇_z3 L


def grad_b1(d):  # ∇_b1 L with relu'(0) = d
    relu_prime = np.where(f.z1 > 0, 1.0, np.where(f.z1 == 0, d, 0.0))
    return np.sum(relu_prime * on_kink.w3[0] * g_z3)


left, right = grad_b1(0.0), grad_b1(1.0)
answer = grad_b1(0.5)  # jnp.maximum's derivative at 0
print(f"left {left:+.6f}, right {right:+.6f}, left + (right - left) / 2 = {left + (right - left) / 2:+.6f}")""",
    "12.2": """X, y = xorlib.xor_data()
params = xorlib.init_params(0)
inputs = params.to_vector().size  # entries of θ: one JVP (a column of the Jacobian) each
outputs = np.size(xorlib.loss(params, X, y))  # entries of L: one VJP (a row) each
print(f"the Jacobian of L(θ) is {outputs} x {inputs}")
answer = (inputs, outputs)""",
}
