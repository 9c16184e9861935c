"""Worked solutions of notebooks 00 to 03: XOR and the network, the forward pass and the loss,
the local Jacobians, the chain rule and its layout."""

REASONING = {
    "00.1": r"""The line predicts class 1 where $s = x_1 + x_2 - 0.5 > 0$ and class 0 where $s \le 0$. On the four inputs,
$s = -0.5,\ 0.5,\ 0.5,\ 1.5$ for $(0, 0), (0, 1), (1, 0), (1, 1)$, so it predicts $0, 1, 1, 1$ against
$y = 0, 1, 1, 0$. Only $(1, 1)$, where $s = 1.5 > 0$ but $y = 0$, is on the wrong side: this line is one of the
lines that get three of four right, as no line can do better.""",
    "00.2": r"""$z_2 = x_1 w_{2,1} + x_2 w_{2,2} + b_2$ with $\mathbf{x} = (1, 2)$ and the printed
$\mathbf{w_2} = (-0.649161, -0.683733)$, $b_2 = 0.729497$:
$$z_2 = 1 \cdot (-0.649161) + 2 \cdot (-0.683733) + 0.729497 = -1.287130.$$
It is negative, so the ReLU clips it: $h_2 = \max(0, z_2) = 0$. Unit 2 is off for this input.""",
    "00.3": r""""Solves XOR" means every prediction is on the correct side of 0.5: $\hat y > 0.5$ exactly on the two
rows with $y = 1$. Train from `init_params(1)` as in the notebook and read the predictions. At the end of this run
both hidden units are active on all four inputs (every $z > 0$), so no ReLU clips anything and the network is linear
on the data. The best a linear model does on XOR is $\hat y = 0.5$ everywhere, at loss $\ln 2$ (notebook 07 calls this
failure "no unit folds"): the run ends there, with predictions within 0.002 of 0.5 and on the wrong side for
$(0, 0)$ and $(1, 0)$. The answer is `False`.""",
    "01.1": r"""Steps 1 to 5 for the single row $\mathbf{x} = (1, 2)$, with the printed parameters:

- $z_1 = 1 \cdot 0.193693 + 2 \cdot (-0.325571) + 0.606636 = 0.149187$, so $h_1 = 0.149187$;
- $z_2 = 1 \cdot (-0.649161) + 2 \cdot (-0.683733) + 0.729497 = -1.287130$, so $h_2 = 0$;
- $z_3 = h_1 w_{3,1} + h_2 w_{3,2} + b_3 = 0.149187 \cdot 0.443031 + 0 \cdot 0.583725 + 0.543625 = 0.609720$.

Unit 2 is off, so only unit 1 and the bias reach the output.""",
    "01.2": r"""$\mathbf{H} = [\mathbf{h_1}, \mathbf{h_2}]$ stacks the two hidden vectors as columns. Each
$\mathbf{h_k}$ has one entry per row of $\mathbf{X}$, shape $(n,)$, so $\mathbf{H}$ is $(n, 2)$: one row per
example, one column per hidden unit. Only the first size follows $n$; for $n = 8$, $\mathbf{H}$ is $(8, 2)$.""",
    "01.3": r"""The loss of one example is $\ell = -[y \ln \hat y + (1 - y)\ln(1 - \hat y)]$. With $y = 1$ the second
term vanishes and $\ell = -\ln \hat y = -\ln 0.25 = \ln 4 \approx 1.3863$: twice the $\ln 2$ of a shrug at 0.5,
because the prediction leans the wrong way.""",
    "02.1": r"""$h_{1,i} = \operatorname{relu}(z_{1,i})$ depends on $z_{1,i}$ alone, so $\partial h_{1,i}/\partial z_{1,j} = 0$
for $i \ne j$: the Jacobian is diagonal, $(4, 4)$. On the diagonal is $\operatorname{relu}'(z_{1,i}) =
\operatorname{step}(z_{1,i})$, 1 where $z > 0$ and 0 where $z \le 0$, with this collection's
$\operatorname{relu}'(0) = 0$. For $\mathbf{z_1} = (-0.5, 0.2, 1.5, 0)$:
$$\frac{\partial \mathbf{h_1}}{\partial \mathbf{z_1}} = \operatorname{diag}(0, 1, 1, 0).$$
Not the original's $\operatorname{diag}(\min(1, \mathbf{h_1})) = \operatorname{diag}(0, 0.2, 1, 0)$, a function of
$h$ rather than of $z$, and not SymPy's plain `Heaviside`, which would put $\tfrac12$ in the last entry.""",
    "02.2": r"""A Jacobian has one row per entry of its numerator and one column per entry of its denominator (numerator
layout). $\mathbf{z_3} = \mathbf{H}\mathbf{w_3} + b_3$ has $n = 8$ entries and $\mathbf{w_3}$ has 2, so
$\partial \mathbf{z_3}/\partial \mathbf{w_3}$ is $(8, 2)$. It is $\mathbf{H}$ itself: row $i$ is
$\partial z_{3,i}/\partial \mathbf{w_3} = (h_{1,i}, h_{2,i})$.""",
    "02.3": r"""$\ell$ depends on $z$ through $\hat y = \sigma(z)$, so the chain rule multiplies the two derivatives this
notebook derived: $\frac{\partial \ell}{\partial \hat y} = -\frac{y}{\hat y} + \frac{1 - y}{1 - \hat y}
= \frac{\hat y - y}{\hat y(1 - \hat y)}$ and $\frac{\partial \hat y}{\partial z} = \hat y(1 - \hat y)$. Their product is
$$\frac{\partial \ell}{\partial z} = \frac{\hat y - y}{\hat y(1 - \hat y)} \cdot \hat y(1 - \hat y) = \hat y - y = \sigma(z) - y:$$
the division by $\hat y(1 - \hat y)$ cancels. `sp.diff` returns a longer expression; `sp.simplify` of its difference
from $\sigma(z) - y$ is 0. (Notebook 03 uses this for the mean over $n$ rows: $\nabla_{\mathbf{z_3}} L = (\hat{\mathbf{y}} - \mathbf{y})/n$.)""",
    "03.1": r"""$\mathbf{z_2} = \mathbf{X}\mathbf{w_2} + b_2\mathbf{1}$ adds the scalar $b_2$ to each of the $n$ rows with
slope 1, so $\partial \mathbf{z_2}/\partial b_2 = \mathbf{1}$, a column of $n$ ones: $(n, 1)$ in numerator layout.
Its transpose is a row, $(1, n)$; for $n = 8$, $(1, 8)$. As the first factor of
$\nabla_{b_2} L = (\partial \mathbf{z_2}/\partial b_2)^\intercal \cdots$, it sums the $n$ entries of the
upstream gradient into one number.""",
    "03.2": r"""A product $AB$ needs the columns of $A$ to match the rows of $B$:

- (a) $\mathbf{X} D \mathbf{g}$: $(4, 2)\,(4, 4)$, and $2 \ne 4$: **fails**;
- (b) $\mathbf{X}^\intercal D^\intercal \mathbf{g}$: $(2, 4)\,(4, 4)\,(4, 1) \to (2, 1)$: works;
- (c) $D \mathbf{X}^\intercal \mathbf{g}$: $(4, 4)\,(2, 4)$, and $4 \ne 2$: **fails**.

(b) is the transposed, reversed chain of notebook 03: with $\mathbf{g} = \nabla_{h_1} L$ it is
$\nabla_{w_1} L = (\partial \mathbf{z_1}/\partial \mathbf{w_1})^\intercal (\partial \mathbf{h_1}/\partial \mathbf{z_1})^\intercal
\nabla_{h_1} L$, a column shaped like $\mathbf{w_1}$; the code shows it equals xorlib's $\nabla_{w_1} L$.""",
    "03.3": r"""$\nabla_{b_3} L = (\partial \mathbf{z_3}/\partial b_3)^\intercal (\partial \hat{\mathbf{y}}/\partial \mathbf{z_3})^\intercal
\nabla_{\hat y} L = \mathbf{1}^\intercal \nabla_{z_3} L$, a $(1, n)$ row times an $(n, 1)$ column: a number. With the
BCE + sigmoid simplification $\nabla_{z_3} L = (\hat{\mathbf{y}} - \mathbf{y})/n$:
$$\nabla_{b_3} L = \frac1n \sum_i (\hat y_i - y_i) = \frac14\left[(0.8 - 0) + (0.3 - 1) + (0.6 - 1) + (0.1 - 0)\right]
= \frac{-0.2}{4} = -0.05.$$
The sum alone, $-0.2$, would miss the mean's $\tfrac1n$.""",
}

SOLUTIONS = {
    "00.1": """X, y = xorlib.xor_data()
w, b = np.array([1.0, 1.0]), -0.5
s = X @ w + b  # w·x + b for each input
predicted = (s > 0).astype(float)  # class 1 on the positive side of the line
for x, s_i, p, t in zip(X, s, predicted, y):
    print(f"x = {x}  w·x + b = {s_i:+.1f}  predicted {p:.0f}  y = {t:.0f}")
answer = tuple(int(v) for v in X[predicted != y][0])""",
    "00.2": """params = xorlib.init_params(0)
x = np.array([1.0, 2.0])
z2 = x @ params.w2 + params.b2  # x1 w2_1 + x2 w2_2 + b2
h2 = max(0.0, z2)  # relu
answer = (z2, h2)""",
    "00.3": """X, y = xorlib.xor_data()
history = xorlib.train(xorlib.init_params(1), X, y, lr=0.9, epochs=1000)
f = xorlib.forward(history.params, X)
print("smallest z1, z2:", f.z1.min().round(3), f.z2.min().round(3), "  every unit active on every input:",
      bool(min(f.z1.min(), f.z2.min()) > 0))
print("y_hat:", f.y_hat.round(4), "  y:", y)
print(f"final loss {history.final_loss:.4f}, ln 2 = {np.log(2):.4f}")
answer = bool(np.all((f.y_hat > 0.5) == (y == 1)))""",
    "01.1": """params = xorlib.init_params(0)
x = np.array([1.0, 2.0])
h1 = max(0.0, x @ params.w1 + params.b1)  # steps 1 and 2
h2 = max(0.0, x @ params.w2 + params.b2)  # step 3
z3 = h1 * params.w3[0] + h2 * params.w3[1] + params.b3  # steps 4 and 5
print(f"h1 = {h1:.6f}, h2 = {h2:.6f}, z3 = {z3:.6f}")
answer = z3""",
    "01.2": """X8, y8 = xorlib.repeated_xor(2)
H = xorlib.forward(xorlib.init_params(0), X8).H  # one row per example, one column per hidden unit
answer = H.shape""",
    "01.3": """y, y_hat = 1.0, 0.25
answer = -(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))  # one example's BCE""",
    "02.1": """z1 = np.array([-0.5, 0.2, 1.5, 0.0])
answer = np.diag(xorlib.relu_derivative(z1))  # diag(step(z1)), with step(0) = 0
print(answer)
print("diagonal of the original's diag(min(1, h1)):", np.minimum(1, xorlib.relu(z1)))""",
    "02.2": """X8, y8 = xorlib.repeated_xor(2)
J = xorlib.local_jacobians(xorlib.init_params(0), X8, y8)
print("∂z3/∂w3 equals H:", np.array_equal(J.z3_w3, xorlib.forward(xorlib.init_params(0), X8).H))
answer = J.z3_w3.shape  # (entries of z3, entries of w3)""",
    "02.3": """z, y = sp.symbols("z y")
sigma = 1 / (1 + sp.exp(-z))
loss = -(y * sp.log(sigma) + (1 - y) * sp.log(1 - sigma))
answer = sp.simplify(sp.diff(loss, z))
print("dℓ/dz =", answer, "  equals σ(z) - y:", sp.simplify(answer - (sigma - y)) == 0)""",
    "03.1": """X8, y8 = xorlib.repeated_xor(2)
J = xorlib.local_jacobians(xorlib.init_params(0), X8, y8)
print("∂z2/∂b2 is", J.z2_b2.shape, "of ones:", np.all(J.z2_b2 == 1))
answer = J.z2_b2.T.shape""",
    "03.2": """X, y = xorlib.xor_data()
params = xorlib.init_params(0)
J = xorlib.local_jacobians(params, X, y)
D = J.h1_z1
g = (J.z3_h1.T @ J.y_hat_z3.T @ J.grad_y_hat).reshape(-1, 1)  # ∇_h1 L as a (4, 1) column
products = {"a": lambda: X @ D @ g, "b": lambda: X.T @ D.T @ g, "c": lambda: D @ X.T @ g}
answer = set()
for letter, product in products.items():
    try:
        result = product()
        print(f"({letter}) gives shape {result.shape}:", result.ravel().round(6))
    except ValueError:
        print(f"({letter}) fails: inner sizes differ")
        answer.add(letter)
print("xorlib's ∇_w1 L:     ", xorlib.gradients(params, X, y).w1.round(6))""",
    "03.3": """X, y = xorlib.xor_data()
y_hat = np.array([0.8, 0.3, 0.6, 0.1])
n = y.shape[0]
g_z3 = (y_hat - y) / n  # ∇_z3 L
answer = np.ones(n) @ g_z3  # ∇_b3 L = 1ᵀ ∇_z3 L""",
}
