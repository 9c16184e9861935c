"""Worked solutions of the coding exercises: the derivation, then the code.

``FUNCTIONS[id]`` is a cell of Python that defines the learner's function
(in a namespace with ``np`` and ``xorlib``); ``DERIVATIONS[id]`` is the
markdown that explains it. ``scripts/build_solutions.py`` puts both in the
solutions notebooks; ``check`` never shows them.
"""

DERIVATIONS = {
    "02a.1": r"""$L = -\frac1n\sum_i [y_i \ln \hat y_i + (1 - y_i)\ln(1 - \hat y_i)]$, and $\hat y_i$ appears in term $i$ only.
With $\frac{d}{du}\ln u = \frac1u$ and $\frac{d}{du}\ln(1 - u) = -\frac{1}{1 - u}$,
$\partial L/\partial \hat y_i = -\frac1n\left[\frac{y_i}{\hat y_i} - \frac{1 - y_i}{1 - \hat y_i}\right]$. Stacked over $i$ this is the
vector $\nabla_{\hat y} L$, shape $(n,)$. The $\frac1n$ is the mean's, and it appears here once: nowhere else in the chain.""",
    "02a.2": r"""$\hat y_i = \sigma(z_{3,i})$ depends on $z_{3,i}$ alone, so off the diagonal every entry is 0, and on it
$\sigma'(z) = \sigma(z)(1 - \sigma(z)) = \hat y(1 - \hat y)$. The Jacobian is $\operatorname{diag}(\hat{\mathbf{y}} \odot (1 - \hat{\mathbf{y}}))$, $(n, n)$.""",
    "02a.3": r"""$z_{3,i} = h_{1,i} w_{3,1} + h_{2,i} w_{3,2} + b_3$: row $i$ of $\mathbf{z_3}$ depends on row $i$ of
$\mathbf{h_1}$ only, with slope $w_{3,1}$. So $\partial \mathbf{z_3}/\partial \mathbf{h_1} = w_{3,1} I_n$, $(n, n)$.""",
    "02a.4": r"""$h_{1,i} = \max(0, z_{1,i})$ is elementwise, so the Jacobian is diagonal. Its entries are ReLU's
derivative, 1 where $z > 0$ and 0 where $z \le 0$ (this collection's ReLU'(0) = 0): a step function **of $z$**.
The original's $\min(1, h)$ agrees with it only where $h = 0$ or $h \ge 1$.""",
    "02a.5": r"""$\mathbf{z_3} = \mathbf{H}\mathbf{w_3} + b_3$: row $i$ is $h_{1,i} w_{3,1} + h_{2,i} w_{3,2} + b_3$,
whose gradient with respect to $\mathbf{w_3}$ is row $i$ of $\mathbf{H}$. Stacked, $\partial \mathbf{z_3}/\partial \mathbf{w_3} = \mathbf{H}$, $(n, 2)$.""",
    "02a.6": r"""The same argument with $\mathbf{z_1} = \mathbf{X}\mathbf{w_1} + b_1$: $\partial \mathbf{z_1}/\partial \mathbf{w_1} = \mathbf{X}$,
$(n, 2)$. A copy, so that whoever changes the Jacobian does not change the data.""",
    "02a.7": r"""$b_1$ is added to each of the $n$ rows with slope 1: a column of $n$ ones, $(n, 1)$. Its length is the
number of rows of $\mathbf{X}$, not 4 (the original's error 3).""",
    "03a.1": r"""For each parameter $\theta_i$ in turn, with $\mathbf{e_i}$ the $i$-th unit vector,
$\frac{\partial L}{\partial \theta_i} \approx \frac{L(\theta + \varepsilon \mathbf{e_i}) - L(\theta - \varepsilon \mathbf{e_i})}{2\varepsilon}$.
By Taylor expansion of $L(\theta \pm \varepsilon \mathbf{e_i})$, the even-order terms ($L$ and $\frac{\varepsilon^2}{2} L''$)
cancel between the two sides, leaving the error $\frac{\varepsilon^2}{6} L'''$; a one-sided difference keeps $\frac{\varepsilon}{2} L''$.
The `eps` is the caller's: the checker also asks for $\varepsilon = 10^{-2}$, where these differences and the exact gradient differ. Each perturbation is made on a fresh copy.""",
    "03a.2": r"""The check compares the gradient with central differences (never with another analytic gradient),
entry by entry, and scales the largest difference by the largest entry of the two, so that the answer is a relative
error that does not depend on the size of the gradients: where every gradient is about $10^{-6}$, an absolute error
of a wrong formula is about $10^{-6}$ too, its relative error still about 1. A right gradient gives an error at
rounding level, below $10^{-8}$ (as notebook 03a measures), a wrong formula $10^{-2}$ or more; the checker's line at $10^{-6}$ leaves
a margin for other parameters.""",
    "05a.1": r"""Gradient descent repeats one step, $\theta \leftarrow \theta - \eta \nabla_\theta L(\theta)$, `epochs` times.
The gradient is taken at the current parameters each time, and each step's result is the next step's start.
`Params` is immutable, so each step builds a new one from the 9-vector.""",
    "08a.1": r"""Backprop evaluates the chain right to left, one vector-Jacobian product per layer:

- $\mathbf{g_{z_3}} = (\partial \hat y/\partial z_3)^\intercal \nabla_{\hat y} L$. The Jacobian is diagonal, so entry by entry
  $g_{z_3,i} = \hat y_i(1 - \hat y_i) \cdot \left(-\frac1n\right)\left[\frac{y_i}{\hat y_i} - \frac{1 - y_i}{1 - \hat y_i}\right]
  = -\frac1n\left[y_i(1 - \hat y_i) - (1 - y_i)\hat y_i\right] = \frac{\hat y_i - y_i}{n}$;
- $\nabla_{w_3} L = (\partial z_3/\partial w_3)^\intercal \mathbf{g_{z_3}} = \mathbf{H}^\intercal \mathbf{g_{z_3}}$ and $\nabla_{b_3} L = \mathbf{1}^\intercal \mathbf{g_{z_3}}$;
- $\mathbf{g_{h_k}} = (w_{3,k} I)^\intercal \mathbf{g_{z_3}} = w_{3,k}\,\mathbf{g_{z_3}}$;
- $\mathbf{g_{z_k}} = \operatorname{diag}(\operatorname{step}(\mathbf{z_k}))^\intercal \mathbf{g_{h_k}} = \operatorname{step}(\mathbf{z_k}) \odot \mathbf{g_{h_k}}$;
- $\nabla_{w_k} L = \mathbf{X}^\intercal \mathbf{g_{z_k}}$ and $\nabla_{b_k} L = \mathbf{1}^\intercal \mathbf{g_{z_k}}$.

Every diagonal Jacobian became an elementwise product, and no $n \times n$ matrix is built.""",
    "11.1": r"""The same VJPs with the $k$ units side by side as columns:

- $\mathbf{g_{z_3}} = (\hat{\mathbf{y}} - \mathbf{y})/n$, $(n,)$;
- $z_{3,i} = \sum_j H_{ij} w_{3,j} + b_3$, so $\partial z_{3,i}/\partial H_{ij} = w_{3,j}$ and $G_H = \mathbf{g_{z_3}} \mathbf{w_3}^\intercal$, an outer product, $(n, k)$;
- $H = \operatorname{relu}(Z_1)$ elementwise, so $G_{Z_1} = \operatorname{step}(Z_1) \odot G_H$;
- $Z_1 = X W_1 + \mathbf{1}\mathbf{b_1}^\intercal$: $\nabla_{W_1} L = X^\intercal G_{Z_1}$, $(d, k)$, and $\nabla_{b_1} L = \mathbf{1}^\intercal G_{Z_1}$, the sum over the rows, $(k,)$;
- $\nabla_{w_3} L = H^\intercal \mathbf{g_{z_3}}$, $(k,)$, and $\nabla_{b_3} L = \mathbf{1}^\intercal \mathbf{g_{z_3}}$.

Column $j$ of $G_{Z_1}$ is $\operatorname{step}(\mathbf{z_j}) \odot w_{3,j}\mathbf{g_{z_3}}$: the corrected per-unit chain of notebook 08,
$\nabla_{w_j} L = \mathbf{X}^\intercal\left(\operatorname{step}(\mathbf{z_j}) \odot w_{3,j}\mathbf{g_{z_3}}\right)$, for unit $j$.""",
    "13a.1": r"""$C = AB$ with $A$ $(n, d)$ and $B$ $(d, k)$: $C_{ij} = \sum_m A_{im} B_{mj}$. So $\partial C_{ij}/\partial A_{pq}$ is
$B_{qj}$ when $i = p$ and 0 otherwise, and the VJP sums over the outputs:
$$(\nabla_A L)_{pq} = \sum_{i,j} g_{ij} \frac{\partial C_{ij}}{\partial A_{pq}} = \sum_j g_{pj} B_{qj} = (\mathbf{g} B^\intercal)_{pq},$$
and in the same way $(\nabla_B L)_{qj} = \sum_i A_{iq} g_{ij} = (A^\intercal \mathbf{g})_{qj}$. In notebook 11's $\operatorname{vec}$ form,
$\partial \operatorname{vec}(AB)/\partial \operatorname{vec}(B) = I_k \otimes A$, whose transpose times $\operatorname{vec}(\mathbf{g})$ is
$\operatorname{vec}(A^\intercal \mathbf{g})$. Each gradient has the shape of its input: $(n, k)(k, d) = (n, d)$ and $(d, n)(n, k) = (d, k)$,
which is the quick check against a transposed VJP. The exercise's $B$ is a matrix. Where $B$ is a vector of shape $(d,)$,
as $\mathbf{w_1}$ in the 2-2-1 network, $\mathbf{g}$ is a vector $(n,)$ and the same sum gives the outer product
$\nabla_A L = \mathbf{g} B^\intercal$, of shape $(n, d)$, which the engine computes with `np.outer`.""",
    "13a.2": r"""$\mathbf{z} = \mathbf{a} + \mathbf{b}$ with $\mathbf{b}$ copied to each of the $n$ rows: $z_{ij} = a_{ij} + b_j$.
So $\partial z_{ij}/\partial a_{pq}$ is 1 when $(i, j) = (p, q)$: $\nabla_{\mathbf{a}} L = \mathbf{g}$. And $\partial z_{ij}/\partial b_q$ is 1
for every row $i$ when $j = q$: $(\nabla_{\mathbf{b}} L)_q = \sum_i g_{iq}$, the rows summed, $\mathbf{1}^\intercal \mathbf{g}$, the same
$\mathbf{1}^\intercal$ as $\partial z_1/\partial b_1 = \mathbf{1}$ in notebook 02. A bias used by $n$ rows is a fan-out of $n$: its gradient is
the sum of the $n$ parts. Summing over the axes that broadcasting added gives $\mathbf{b}$'s shape, $(k,)$ or a scalar; where
$a$ and $b$ are both scalars, as where the classifier's loss adds its decay term, broadcasting added no axis and
$\nabla_b L = g$.""",
    "13a.3": r"""$\mathbf{h} = \max(0, \mathbf{z})$ entry by entry, so its Jacobian is $\operatorname{diag}(\operatorname{step}(\mathbf{z}))$
(notebook 02), with step 1 where $z > 0$ and 0 where $z \le 0$ (ReLU'(0) = 0). Its transpose is itself, and a diagonal matrix times a
vector is an elementwise product: $\nabla_{\mathbf{z}} L = \operatorname{step}(\mathbf{z}) \odot \mathbf{g}$, for a $\mathbf{z}$ of any shape.""",
    "13a.4": r"""The sweep applies the chain rule to every node at once:

1. **Order.** A node's gradient is complete only once every node that uses it has handed back its part. Any list of
   the nodes in which each comes after its parents is a *topological order*, and walking it backwards guarantees it.
   A depth-first walk from the loss that appends a node after all of its parents builds one.
2. **Clear.** Every node's gradient starts at zero, so that nothing from an earlier step is added to this one.
3. **Seed.** $\partial L/\partial L = 1$.
4. **Accumulate.** For each node, in reverse order, `node.vjp(node.grad)` gives one gradient per parent; each parent
   **adds** it to what it holds. A node used by several others (a fan-out: $\mathbf{X}$ in the 2-2-1 network, used by
   $\mathbf{X}\mathbf{w_1}$ and $\mathbf{X}\mathbf{w_2}$, a weight
   with weight decay) receives one part from each, and by the multivariable chain rule its gradient is their sum.

The walk below uses an explicit stack, so a deep graph does not reach Python's limit on nested calls, and records
the nodes it has seen by `id(node)`.""",
}

FUNCTIONS = {
    "02a.1": '''def grad_y_hat(params, X, y):
    y_hat = xorlib.forward(params, X).y_hat
    n = X.shape[0]
    return -(y / y_hat - (1 - y) / (1 - y_hat)) / n''',
    "02a.2": '''def jacobian_y_hat_z3(params, X, y):
    y_hat = xorlib.forward(params, X).y_hat
    return np.diag(y_hat * (1 - y_hat))''',
    "02a.3": '''def jacobian_z3_h1(params, X, y):
    n = X.shape[0]
    return params.w3[0] * np.eye(n)''',
    "02a.4": '''def jacobian_h1_z1(params, X, y):
    z1 = xorlib.forward(params, X).z1
    return np.diag((z1 > 0).astype(float))''',
    "02a.5": '''def jacobian_z3_w3(params, X, y):
    return xorlib.forward(params, X).H.copy()''',
    "02a.6": '''def jacobian_z1_w1(params, X, y):
    return np.array(X, dtype=float)''',
    "02a.7": '''def jacobian_z1_b1(params, X, y):
    n = X.shape[0]
    return np.ones((n, 1))''',
    "03a.1": '''def numerical_gradient(params, X, y, eps=1e-6):
    theta = params.to_vector()
    grad = np.zeros_like(theta)
    for i in range(theta.size):
        step = np.zeros_like(theta)
        step[i] = eps
        plus = xorlib.loss(xorlib.Params.from_vector(theta + step), X, y)
        minus = xorlib.loss(xorlib.Params.from_vector(theta - step), X, y)
        grad[i] = (plus - minus) / (2 * eps)
    return xorlib.Params.from_vector(grad)''',
    "03a.2": '''def gradient_check(gradient_function, params, X, y):
    computed = gradient_function(params, X, y).to_vector()
    reference = numerical_gradient(params, X, y).to_vector()
    scale = max(np.max(np.abs(computed)), np.max(np.abs(reference)))
    return float(np.max(np.abs(computed - reference)) / scale)''',
    "05a.1": '''def train(params, X, y, lr, epochs):
    for _ in range(epochs):
        g = xorlib.gradients(params, X, y)
        params = xorlib.Params.from_vector(params.to_vector() - lr * g.to_vector())
    return params''',
    "08a.1": '''def backward(params, X, y):
    f = xorlib.forward(params, X)
    n = X.shape[0]
    g_z3 = (f.y_hat - y) / n            # (dy_hat/dz3)^T grad_y_hat L
    g_w3 = f.H.T @ g_z3                 # (dz3/dw3)^T g_z3
    g_b3 = g_z3.sum()                   # (dz3/db3)^T g_z3 = 1^T g_z3
    g_h1 = params.w3[0] * g_z3          # (dz3/dh1)^T g_z3
    g_h2 = params.w3[1] * g_z3
    g_z1 = (f.z1 > 0) * g_h1            # (dh1/dz1)^T g_h1 = step(z1) * g_h1
    g_z2 = (f.z2 > 0) * g_h2
    return xorlib.Params(w1=X.T @ g_z1, b1=g_z1.sum(), w2=X.T @ g_z2, b2=g_z2.sum(), w3=g_w3, b3=g_b3)''',
    "11.1": '''import xorlib.wide


def wide_backward(params, X, y):
    f = xorlib.wide.forward(params, X)
    g_z3 = (f.y_hat - y) / X.shape[0]   # (n,)
    G_H = np.outer(g_z3, params.w3)     # (n, k)
    G_Z1 = (f.Z1 > 0) * G_H             # step(Z1) * G_H
    return xorlib.wide.WideParams(W1=X.T @ G_Z1, b1=G_Z1.sum(axis=0), w3=f.H.T @ g_z3, b3=g_z3.sum())''',
    "13a.1": '''def vjp_matmul(g, A, B):
    return g @ B.T, A.T @ g             # (n, k)(k, d) and (d, n)(n, k): the shapes of A and B''',
    "13a.2": '''def vjp_add(g, a, b):
    rows = tuple(range(g.ndim - np.ndim(b)))  # the axes b was copied along
    return g, g.sum(axis=rows)                # 1ᵀ g: one part per row, added''',
    "13a.3": '''def vjp_relu(g, z):
    return (z > 0) * g                  # diag(step(z))ᵀ g = step(z) * g''',
    "13a.4": '''def parents_first(loss):
    order, seen, stack = [], set(), [(loss, False)]
    while stack:                        # depth first: a node goes into `order` after all of its parents
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((parent, False) for parent in node.parents)
    return order


def backward(loss):
    order = parents_first(loss)
    for node in order:
        node.grad = np.zeros_like(node.value)   # clear
    loss.grad = np.ones_like(loss.value)        # seed: dL/dL = 1
    for node in reversed(order):                # every user of a node comes before it
        if node.parents:
            for parent, g in zip(node.parents, node.vjp(node.grad)):
                parent.grad = parent.grad + g   # accumulate at a fan-out''',
}

#: Worked answers to the three short questions that close each hands-on notebook, by notebook:
#: (reasoning in markdown, a cell that computes the answer). The cell runs in the solutions
#: notebook's namespace, after the coding exercises' solutions.
QUESTIONS = {
    "02a_write_the_jacobians": [
        (r"""**1.** $\partial \mathbf{z_3}/\partial \mathbf{w_3}$ has one row per output $z_{3,i}$ and one column per
parameter, shape $(n, 2)$. Transposed it is $(2, n)$, and the checker looks at the shape before any value: it names the
exchanged rows and columns.""",
         "print(check(\"02a.5\", lambda params, X, y: jacobian_z3_w3(params, X, y).T))"),
        (r"""**2.** Dividing by $n$ once more makes every entry $\frac1n$ of the truth. The problems have $n = 4, 8$ and
$7$, so one factor that is $\frac1n$ on each of them is the evidence for the mean's $\frac1n$ applied twice, the original's
error 2.""",
         "print(check(\"02a.1\", lambda params, X, y: grad_y_hat(params, X, y) / X.shape[0]))"),
        (r"""**3.** `np.heaviside(z1, 0.5)` differs from the step of $z$ only where $z$ is exactly 0 (it gives $\frac12$
there; this collection's ReLU'(0) is 0). The checker's four ordinary problems keep every $|z| \ge 0.1$, so there the two
agree. Its fifth problem sits on a kink: `init_params(0)` with $b_1 = 0$, so $z_1 = b_1 = 0$ at the input $(0, 0)$. There
this answer takes ReLU'(0) $= \frac12$. Any value in $[0, 1]$ is a subgradient of ReLU at 0, so the answer passes, and
the message says that it takes 0.5 where xorlib takes 0. At that point:""",
         """print(check("02a.4", lambda params, X, y: np.diag(np.heaviside(xorlib.forward(params, X).z1, 0.5))))
at_kink = xorlib.init_params(0).replace(b1=0.0)
z1 = xorlib.forward(at_kink, X).z1
print("z1 =", z1.round(3), " heaviside(z1, 0.5) =", np.heaviside(z1, 0.5), " step =", (z1 > 0).astype(float))"""),
    ],
    "03a_write_a_gradient_checker": [
        (r"""**1.** A one-sided difference is off by $\frac{\varepsilon}{2} L''$; at the checker's $\varepsilon = 10^{-4}$
that is far above its tolerance of $10^{-6}$ of the largest entry, and the answers match one-sided differences exactly, so
the checker names them.""",
         """def one_sided(params, X, y, eps=1e-6):
    theta, base = params.to_vector(), xorlib.loss(params, X, y)
    grad = np.zeros_like(theta)
    for i in range(theta.size):
        step = np.zeros_like(theta)
        step[i] = eps
        grad[i] = (xorlib.loss(xorlib.Params.from_vector(theta + step), X, y) - base) / eps
    return xorlib.Params.from_vector(grad)


print(check("03a.1", one_sided))"""),
        (r"""**2.** If $\theta_i$ is left at $\theta_i - \varepsilon$ after its turn, every later derivative is taken at a
point that has drifted; the checker reproduces that drift and names it.""",
         """def not_reset(params, X, y, eps=1e-6):
    theta = params.to_vector()
    grad = np.zeros_like(theta)
    for i in range(theta.size):
        theta[i] += eps
        plus = xorlib.loss(xorlib.Params.from_vector(theta), X, y)
        theta[i] -= 2 * eps
        minus = xorlib.loss(xorlib.Params.from_vector(theta), X, y)
        grad[i] = (plus - minus) / (2 * eps)  # theta[i] stays at its value - eps
    return xorlib.Params.from_vector(grad)


print(check("03a.1", not_reset))"""),
        (r"""**3.** At these parameters $z_1 = 0$ on the rows $(0, 1)$ and $(1, 0)$. There ReLU has a kink: xorlib takes
ReLU'(0) = 0, while a central difference straddles the kink and sees the mean of the two one-sided slopes, $\frac12$. The
two disagree, and the relative error is large although neither formula is wrong: a gradient check says nothing at a kink.""",
         """at_kink = xorlib.Params(w1=[1, 1], b1=-1, w2=[1, -1], b2=0.5, w3=[1, 1], b3=0)
print("z1 =", xorlib.forward(at_kink, X).z1)
print(f"relative error at the kink: {gradient_check(xorlib.gradients, at_kink, X, y):.2f}")"""),
    ],
    "05a_write_the_training_loop": [
        (r"""**1.** With the sign flipped each step goes up the gradient; the checker reproduces that ascent and names it.""",
         """def ascent(params, X, y, lr, epochs):
    for _ in range(epochs):
        g = xorlib.gradients(params, X, y)
        params = xorlib.Params.from_vector(params.to_vector() + lr * g.to_vector())
    return params


print(check("05a.1", ascent))"""),
        (r"""**2.** One step too many: the checker's three runs have different numbers of epochs (1000, 300, 50), and the
answers are those of `epochs + 1` steps on each.""",
         """def one_more(params, X, y, lr, epochs):
    for _ in range(epochs + 1):
        g = xorlib.gradients(params, X, y)
        params = xorlib.Params.from_vector(params.to_vector() - lr * g.to_vector())
    return params


print(check("05a.1", one_more))"""),
        (r"""**3.** The same loop with the original's gradient (errors 1 and 2) from `init_params(0)`, $\eta = 0.9$, 1000
epochs. It does not solve XOR from this start: two predictions end near 0.5, on the wrong side.""",
         """original = lambda p, X, y: xorlib.errata.original_gradients(p, X, y, errors=(1, 2))
p = xorlib.init_params(0)
for _ in range(1000):
    p = xorlib.Params.from_vector(p.to_vector() - 0.9 * original(p, X, y).to_vector())
print("predictions:", xorlib.predict(p, X).round(3), " labels:", y)
print("solves XOR:", bool(xorlib.solves(p, X, y)))"""),
    ],
    "08a_write_backward": [
        (r"""**1.** On the row $x = (1, 1)$, $z_2 < 0$: unit 2 is off, $h_2 = 0$ and ReLU'$(z_2) = 0$. So $\partial L/\partial z_2$
is 0 although $\partial L/\partial h_2$ is not: this row adds nothing to $\nabla_{w_2} L$ and $\nabla_{b_2} L$.""",
         """from xorlib.circuit import circuit

print(circuit(xorlib.init_params(0), X, y, row=3).table())"""),
        (r"""**2.** $\min(1, h)$ in place of the step is the original's ReLU Jacobian: the hidden-layer gradients change
and the output layer's do not, and the checker names error 1.""",
         """def relu_from_h(params, X, y):
    f = xorlib.forward(params, X)
    g_z3 = (f.y_hat - y) / X.shape[0]
    g_z1 = np.minimum(1, f.h1) * params.w3[0] * g_z3
    g_z2 = np.minimum(1, f.h2) * params.w3[1] * g_z3
    return xorlib.Params(w1=X.T @ g_z1, b1=g_z1.sum(), w2=X.T @ g_z2, b2=g_z2.sum(), w3=f.H.T @ g_z3, b3=g_z3.sum())


print(check("08a.1", relu_from_h))"""),
        (r"""**3.** Dividing by 4 is right when $n = 4$ only: the function is right on the two XOR problems ($n = 4$) and
wrong on the $n = 8$ and $n = 7$ ones (the message names the first of these), which is the pattern of a hard-coded $n$
(the original's error 3).""",
         """def four(params, X, y):
    f = xorlib.forward(params, X)
    g_z3 = (f.y_hat - y) / 4
    g_z1, g_z2 = (f.z1 > 0) * params.w3[0] * g_z3, (f.z2 > 0) * params.w3[1] * g_z3
    return xorlib.Params(w1=X.T @ g_z1, b1=g_z1.sum(), w2=X.T @ g_z2, b2=g_z2.sum(), w3=f.H.T @ g_z3, b3=g_z3.sum())


print(check("08a.1", four))"""),
    ],
    "11_beyond_2_2_1": [
        (r"""**1.** $G_{Z_1}^\intercal X$ has shape $(k, d)$ where $\nabla_{W_1} L$ has $(d, k)$, so the transpose shows
in the shape exactly when $k \ne d$. When $k = d$ (width 2 with $d = 2$ inputs, width 3 with $d = 3$, and so on) the
shapes are equal and only the values show it: the answer is $\nabla_{W_1} L$ mirrored across its diagonal. Of the
checker's five problems, printed below with their $d$ and $k$, one is square: width 2 on XOR. The other four, widths 3, 4
and 5 on XOR ($d = 2$) and width 4 on 3-bit parity ($d = 3$), have $k \ne d$, and the checker names the exchanged rows
and columns at the first of them.""",
         """from xorlib.course.mistakes_wide import wide_problems
from xorlib.gradcheck import error_text


def transposed(params, X, y):
    f = xorlib.wide.forward(params, X)
    g_z3 = (f.y_hat - y) / X.shape[0]
    G_Z1 = (f.Z1 > 0) * np.outer(g_z3, params.w3)
    return xorlib.wide.WideParams(W1=G_Z1.T @ X, b1=G_Z1.sum(axis=0), w3=f.H.T @ g_z3, b3=g_z3.sum())


for problem in wide_problems():  # the checker's problems
    (n, d), k = problem.X.shape, problem.params.width
    wrong = transposed(problem.params, problem.X, problem.y).W1
    truth = xorlib.wide.backward(problem.params, problem.X, problem.y).W1
    line = f"{problem.label:<35} d = {d}, k = {k}: ∇W1 {truth.shape}, G_Z1ᵀ X {wrong.shape}"
    if wrong.shape == truth.shape:
        line += (f"; relative error {error_text(xorlib.relative_error(wrong, truth), 1e-12)} against ∇W1,"
                 f" {error_text(xorlib.relative_error(wrong, truth.T), 1e-12)} against its transpose")
    print(line)
print(check("11.1", transposed))"""),
        (r"""**2.** Measured with the same 100 starts' seed, 2000 epochs and $\eta = 0.9$: width 3 solves 3-bit parity
in the same share of starts from both initialisations here. At 100 starts each rate has a standard error of about 3
points, so this shows no detectable difference, not that there is none: a gap of a few points would need thousands of
starts.""",
         """from xorlib.studies.ensemble import train_many

X3, y3 = xorlib.wide.parity_data(3)
for init in ["original", "he"]:
    r = train_many(X3, y3, n_nets=100, epochs=2000, lr=0.9, seed=0, hidden=3, init=init)
    print(f"{init:<9} solved {r.solve_rate:.0%}")"""),
        (r"""**3.** One run of 100 starts measures a solve rate $p$ only to within its standard error $\sqrt{p(1-p)/100}$,
5 points near one half: too coarse to tell on which side of one half a width lies when it is close. So measure 300
starts per width (the original's initialisation, $\eta = 0.9$, 2000 epochs), print the standard error
$\sqrt{p(1-p)/300}$ beside each rate and the distance of the rate from one half in standard errors, and split the 300
starts into three runs of 100, as a student would draw them. Widths 5 and 6 lie many standard errors below one half and
width 8 many above, and each of their runs of 100 falls on the same side of 50. Width 7 is within one standard error
of one half (which does not make it exactly one half), and some of its runs of 100 reach 50 while others do not. So, of widths 5 to 8, width 8
is the first solved in at least half of 100 starts reliably; at width 7 the answer depends on which 100 starts are
drawn.""",
         """from xorlib.studies.ensemble import train_many

X4, y4 = xorlib.wide.parity_data(4)
starts = 300
print(f"{'width':>5} {'solved':>7} {'s.e.':>5} {'from 1/2 in s.e.':>17}   solved in each run of 100 starts")
for k in [5, 6, 7, 8]:
    r = train_many(X4, y4, n_nets=starts, epochs=2000, lr=0.9, seed=3, hidden=k)
    p, runs = r.solve_rate, r.solved.reshape(-1, 100).sum(axis=1)
    se = np.sqrt(p * (1 - p) / starts)
    print(f"{k:>5} {p:7.1%} {se:5.1%} {(p - 0.5) / se:+17.1f}   {runs.tolist()}")"""),
    ],
    "13a_write_the_engine": [
        (r"""**1.** With `parent.grad = g` a node keeps only the part handed to it last. The checker's first graph is the 2-2-1
network on XOR, where one node is used by two others: $\mathbf{X}$, which feeds $\mathbf{X}\mathbf{w_1}$ and
$\mathbf{X}\mathbf{w_2}$. Its gradient is then one of the two parts, and the checker names it: a gradient overwritten
instead of accumulated at a fan-out. The parameters of that graph are each used once, so their gradients are still
right, and training the 2-2-1 network would not notice; with weight decay, where every $W$ is used twice, it would.""",
         """def sweep(loss, clear=True, seed_with_loss=False, add=True):  # backward above, with three bugs to switch on
    order = parents_first(loss)
    for node in order:
        if clear or node.grad is None:
            node.grad = np.zeros_like(node.value)
    loss.grad = np.array(loss.value) if seed_with_loss else np.ones_like(loss.value)
    for node in reversed(order):
        for parent, g in zip(node.parents, node.vjp(node.grad)):
            parent.grad = parent.grad + g if add else g


print(check("13a.4", lambda loss: sweep(loss, add=False)))"""),
        (r"""**2.** No. A node the engine makes starts with `grad` set to `None`, so on a fresh graph the first sweep starts
from zero and is right. A second sweep over the same graph finds the first sweep's gradients still there and adds the
new parts onto them, and the checker names gradients not cleared between steps. The error is not one factor, as a
wrong seed gives: the seed is set, not added, so $L$'s gradient stays 1, but every other node ends with its own right
gradient (left from the first sweep) plus the parts its users hand it, which they have already enlarged. So a node's
factor is one more than its user's, and it grows from the loss down to the inputs ($\mathbf{X}$'s two users hand it
parts enlarged alike). On XOR at `init_params(0)`, down the path from $L$ to $\mathbf{w_1}$ and $\mathbf{X}$, each node's
gradient after the second sweep divided by the right one, entry by entry:""",
         """from xorlib import graphs as G

print(check("13a.4", lambda loss: sweep(loss, clear=False)))
graph = G.xor_graph(xorlib.init_params(0), X, y)
nodes = {node.name: node for node in xorlib.engine.topological_order(graph.loss)}  # every node, by its name
sweep(graph.loss)
right = {name: np.array(node.grad) for name, node in nodes.items()}
sweep(graph.loss, clear=False)
for name in ("L", "z3", "H w3", "b3", "w3", "H", "h1", "z1", "X w1", "b1", "w1", "X"):
    factors = np.unique(np.round(np.ravel(nodes[name].grad / right[name]), 9))
    print(f"{name:<4} {', '.join(f'{f:g}' for f in factors)}")"""),
        (r"""**3.** Every VJP is linear in the gradient it receives, so a seed $c$ makes every gradient $c$ times the right one,
as if the sweep differentiated $cL$. Seeded with $L$'s value, each graph's gradients are all off by that graph's loss,
and the checker names a seed other than 1. On XOR at `init_params(0)`, the loss and the factor:""",
         """graph = G.xor_graph(xorlib.init_params(0), X, y)
right = float(graph.backward().grad("b3"))  # stored before the seeded sweep overwrites it
sweep(graph.loss, seed_with_loss=True)
print(f"L = {float(graph.loss.value):.4f}, ∇b3 seeded with L divided by the right one: "
      f"{float(graph.grad('b3')) / right:.4f}")
print(check("13a.4", lambda loss: sweep(loss, seed_with_loss=True)))"""),
    ],
}
