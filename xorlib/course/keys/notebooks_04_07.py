"""Worked solutions of notebooks 04 to 07: the ReLU kink, training, the original's errata,
and why XOR sometimes fails."""

REASONING = {
    "04.1": r"""Backprop writes $\nabla_{b_1} L = \mathbf{1}^\intercal \left(\operatorname{relu}'(\mathbf{z_1}) \odot
w_{3,1}\,\nabla_{z_3} L\right) = \sum_i \operatorname{relu}'(z_{1,i})\, w_{3,1}\, (\nabla_{z_3} L)_i$. At `on_kink`
only the row $(0, 0)$ has $z_{1,1} = b_1 = 0$; every other factor is the same under either convention. With
$\operatorname{relu}'(0) = 0$ that row drops out: xorlib's $-0.037334$, the left derivative. With
$\operatorname{relu}'(0) = 1$ it stays in, exactly as it does just right of the kink, where $z_{1,1} > 0$ and the
forward pass differs from the one at $b_1 = 0$ only in proportion to the tiny nudge of $b_1$. So the answer is the right derivative printed in
the notebook, $0.042966$: the left value plus the row's term $w_{3,1} (\nabla_{z_3} L)_1 = 0.080300$.""",
    "04.2": r"""$\max(0.01 z, z)$ is $z$ for $z > 0$ (slope 1) and $0.01 z$ for $z < 0$ (slope 0.01). The central difference
at 0 straddles the kink:
$$\frac{f(\varepsilon) - f(-\varepsilon)}{2\varepsilon} = \frac{\varepsilon - (-0.01\,\varepsilon)}{2\varepsilon}
= \frac{1 + 0.01}{2} = 0.505$$
for every $\varepsilon > 0$: the average of the two slopes, as ReLU's central difference gives $\tfrac12$.""",
    "05.1": r"""All four points are classified correctly when $\hat y > 0.5$ exactly on the rows with $y = 1$ (this is
`xorlib.solves`). `train` records the parameters after every epoch, so go through `history.params_at(epoch)` from
epoch 0 and stop at the first epoch where the predictions pass. The code prints the predictions just before and at
that epoch: the last point to cross is $(1, 1)$, whose $\hat y$ falls below 0.5. (The run does not stay solved on
every later epoch: the code also counts the later epochs on which a point is back on the wrong side.)""",
    "05.2": r"""The fourth row costs nothing: $\hat y = y$ gives $-\ln 1 = 0$. The three shared rows cost, with labels
0, 1 and 0 and one prediction $p$,
$$\ell(p) = -\ln(1 - p) - \ln p - \ln(1 - p) = -\ln p - 2\ln(1 - p).$$
$\ell'(p) = -\frac1p + \frac{2}{1 - p} = 0$ gives $1 - p = 2p$, so $p = \tfrac13$, the share of label 1 among the
three; $\ell''(p) = \frac1{p^2} + \frac2{(1-p)^2} > 0$, so it is the minimum. There
$\ell = \ln 3 + 2\ln\tfrac32$, and the mean divides by all four rows:
$$L_{\min} = \frac{\ln 3 + 2\ln 1.5}{4} \approx 0.4774.$$
Notebook 07 printed such a net: the one whose unit died in training predicts $\hat y \approx 0.334$ on three rows.""",
    "06.1": r"""The original's $\nabla_{\hat y} L = -\frac1n\left[\frac{\mathbf{y}}{\hat{\mathbf{y}}} -
\frac{\mathbf{1} - \mathbf{y}}{\mathbf{1} - \hat{\mathbf{y}}}\right]$ already carries the mean's $\frac1n$, and every
chain is linear in it. Its code then multiplies each gradient by `(1.0/n)` once more, with `n = x.shape[0]`: on XOR
repeated twice that is $n = 8$. So error 2 alone returns $\frac18 \nabla_\theta L$: every entry is multiplied by
$\frac18 = 0.125$ (8 times too small).""",
    "06.2": r"""The cosine of the angle between two gradients, as 9-vectors, is
$\cos\theta = \frac{\mathbf{u}^\intercal\mathbf{v}}{\|\mathbf{u}\|\,\|\mathbf{v}\|}$. With error 1 alone only the six
hidden-layer entries can differ from the true gradient ($\mathbf{w_3}$ and $b_3$ pass through no ReLU Jacobian), and at `init_params(3)` the cosine is about 0.9707.
All three errors give the same number: error 3 hard-codes $n = 4$, which *is* XOR's $n$, so it changes nothing
here; error 2 multiplies every entry by the same $\frac1n = \frac14$, and a positive factor $c$ cancels,
$\cos(c\mathbf{u}, \mathbf{v}) = \frac{c\,\mathbf{u}^\intercal\mathbf{v}}{c\,\|\mathbf{u}\|\,\|\mathbf{v}\|}
= \cos(\mathbf{u}, \mathbf{v})$. A cosine sees directions only.""",
    "07.1": r"""With one hidden unit, $h = \operatorname{relu}(s)$ with $s = \mathbf{a}^\intercal\mathbf{x} + c$, and
$\hat y = \sigma(w h + b)$; class 1 is predicted where $w h + b > 0$. Since $h$ never decreases as $s$ grows, that
set is $\{s > t\}$, $\{s < t\}$, all points or none: in every case the points where one linear function
$f(\mathbf{x}) = \mathbf{a'}^\intercal\mathbf{x} + c'$ is positive, as in notebook 00's argument for XOR.

For 3-bit parity, look at a face of the cube, $x_1 = 0$: the points $000$ and $011$ (label 0) and $001$ and $010$
(label 1). The two diagonals have the same sum, $000 + 011 = 001 + 010$, and $f$ is affine, so
$f(000) + f(011) = f(001) + f(010)$. All four right would need the left side negative and the right side positive:
impossible, so every such face has at least one point wrong. The faces $x_1 = 0$ and $x_1 = 1$ (where
$100 + 111 = 101 + 110$, labels 1, 1 against 0, 0) hold all eight points, so at most **6** are right. And 6 is
reached: class 1 where $x_1 + x_2 + x_3 < 1.5$ gets every point right except $000$ and $111$.
The code also tries 100,000 random one-unit networks: none does better than 6.""",
    "07.2": r"""At $\mathbf{x} = (1, 1)$, $z_1 = 1 \cdot w_{1,1} + 1 \cdot w_{1,2} + b_1$, and the three terms are drawn
independently, so the largest value takes each at the top of its range:
$$z_1 \le \frac1{\sqrt2} + \frac1{\sqrt2} + 1 = \sqrt2 + 1 \approx 2.4142.$$
`init_params` draws from the open intervals, so this is approached but not reached: over 10,000 draws, the largest
$z_1$ at $(1, 1)$, printed by the code, stays below it.""",
}

SOLUTIONS = {
    "04.1": """X, y = xorlib.xor_data()
base = xorlib.init_params(0)
on_kink = xorlib.Params(w1=base.w1, b1=0.0, w2=base.w2, b2=base.b2, w3=base.w3, b3=base.b3)
f = xorlib.forward(on_kink, X)
g_z3 = (f.y_hat - y) / X.shape[0]  # ∇_z3 L
relu_prime = (f.z1 >= 0).astype(float)  # relu'(z1) with relu'(0) = 1
answer = np.sum(relu_prime * on_kink.w3[0] * g_z3)  # ∇_b1 L = 1ᵀ (relu'(z1) ⊙ w3_1 ∇_z3 L)
print(f"with relu'(0) = 0 (xorlib):   {xorlib.gradients(on_kink, X, y).b1:+.6f}")
print(f"with relu'(0) = 1:            {answer:+.6f}")
right = xorlib.Params(w1=base.w1, b1=1e-9, w2=base.w2, b2=base.b2, w3=base.w3, b3=base.b3)
print(f"just right of the kink:       {xorlib.gradients(right, X, y).b1:+.6f}")""",
    "04.2": """def leaky(z):
    return np.maximum(0.01 * z, z)


for eps in [1e-2, 1e-4, 1e-6]:
    print(f"eps = {eps:.0e}: central difference {(leaky(eps) - leaky(-eps)) / (2 * eps):.6f}")
answer = (leaky(1e-6) - leaky(-1e-6)) / (2 * 1e-6)""",
    "05.1": """X, y = xorlib.xor_data()
history = xorlib.train(xorlib.init_params(0), X, y, lr=0.9, epochs=1000)
correct = [np.all((xorlib.predict(history.params_at(e), X) > 0.5) == (y == 1)) for e in range(history.epochs + 1)]
answer = correct.index(True)
print(f"epoch {answer - 1}: y_hat = {xorlib.predict(history.params_at(answer - 1), X).round(4)}")
print(f"epoch {answer}: y_hat = {xorlib.predict(history.params_at(answer), X).round(4)}   y = {y}")
print("later epochs with a point on the wrong side:", correct[answer:].count(False))""",
    "05.2": """labels = np.array([0.0, 1.0, 0.0])  # the three rows that share one prediction p


def shared_loss(p):  # the three rows' BCE, summed
    return -np.sum(labels * np.log(p) + (1 - labels) * np.log(1 - p))


p_best = labels.mean()  # where the derivative -1/p + 2/(1 - p) is 0: p = 1/3
answer = shared_loss(p_best) / 4  # the fourth row adds 0; the mean divides by all four rows
grid = np.linspace(0.001, 0.999, 999)
on_grid = np.array([shared_loss(p) for p in grid]) / 4
print(f"p = {p_best:.4f}: mean loss {answer:.6f};  best on a grid of p: {on_grid.min():.6f} at p = "
      f"{grid[on_grid.argmin()]:.3f}")""",
    "06.1": """X8, y8 = xorlib.repeated_xor(2)
params = xorlib.init_params(0)
ratio = (xorlib.errata.original_gradients(params, X8, y8, errors=(2,)).to_vector()
         / xorlib.gradients(params, X8, y8).to_vector())
print("error 2 alone / true gradient, entry by entry:", ratio.round(12))
answer = ratio[0]""",
    "06.2": """X, y = xorlib.xor_data()
p = xorlib.init_params(3)
u = xorlib.errata.original_gradients(p, X, y, errors=(1,)).to_vector()
v = xorlib.gradients(p, X, y).to_vector()
answer = u @ v / (np.linalg.norm(u) * np.linalg.norm(v))
everything = xorlib.errata.original_gradients(p, X, y)  # errors 1, 2 and 3
print(f"cos, error 1 only:  {answer:.6f}")
print(f"cos, all three:     {xorlib.errata.cosine(everything, xorlib.gradients(p, X, y)):.6f}")
print("all three = error 1 only / 4:", np.allclose(everything.to_vector(), u / 4, rtol=1e-12, atol=0))""",
    "07.1": """from xorlib.wide import parity_data

X, y = parity_data(3)
rng = np.random.default_rng(0)
a, c, w, b = rng.normal(size=(3, 100_000)), *rng.normal(size=(3, 100_000))  # 100,000 random one-unit networks
h = np.maximum(0.0, X @ a + c)  # shape (8, 100000)
correct = (((w * h + b) > 0) == (y[:, None] == 1)).sum(axis=0)  # class 1 where y_hat > 0.5
print("most points right by a random one-unit network:", correct.max())
print("points right with class 1 where x1 + x2 + x3 < 1.5:", np.sum((X.sum(axis=1) < 1.5) == (y == 1)))
answer = int(correct.max())""",
    "07.2": """from xorlib.params import WEIGHT_LIMIT  # 1/√2

x = np.array([1.0, 1.0])
answer = x @ np.full(2, WEIGHT_LIMIT) + 1.0  # each weight at 1/√2, the bias at 1
rng = np.random.default_rng(0)
drawn = max(xorlib.forward(xorlib.init_params(rng), [x]).z1[0] for _ in range(10_000))
print(f"bound 1 + √2 = {answer:.4f}; largest z1 at (1, 1) over 10,000 draws: {drawn:.4f}")""",
}
