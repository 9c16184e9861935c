"""The coding exercises' checkers: the reference passes, each classic mistake is
named, and each kind of broken submission gets its own clear message."""

import re

import numpy as np
import pytest

import xorlib
import xorlib.wide
from xorlib import coding
from xorlib.coding_solutions import SOLUTIONS
from xorlib.exercises import EXERCISES, check
from xorlib.wide import WideParams

CODE_IDS = sorted(i for i, e in EXERCISES.items() if e.kind == "code")


def solution(exercise_id):
    namespace = dict(np=np, xorlib=xorlib)
    exec(SOLUTIONS["03a.1"], namespace)  # 03a.2 calls the learner's numerical_gradient
    exec(SOLUTIONS[exercise_id], namespace)
    return namespace[re.search(r"^def (\w+)", SOLUTIONS[exercise_id], re.M).group(1)]


def wrong(exercise_id, function, *phrases):
    feedback = check(exercise_id, function)
    assert feedback.status == "wrong", feedback
    for phrase in phrases:
        assert phrase in feedback.message, (phrase, feedback.message)
    assert "Hint:" in feedback.message
    assert "Traceback" not in feedback.message and "\n" not in feedback.message
    return feedback.message


@pytest.mark.parametrize("exercise_id", CODE_IDS)
def test_the_worked_solution_is_correct(exercise_id):
    feedback = check(exercise_id, solution(exercise_id))
    assert feedback.correct, feedback


def test_code_exercises_have_points_and_the_backward_pass_the_most():
    points = {i: EXERCISES[i].points for i in CODE_IDS}
    assert points["08a.1"] == points["11.1"] == 5
    assert all(p == 3 for i, p in points.items() if i not in ("08a.1", "11.1"))
    assert EXERCISES["02.1"].kind == "short" and EXERCISES["02.1"].points == 1


def test_backward_is_an_alias_of_the_backward_pass_exercise():
    assert check("backward", solution("08a.1")).correct
    assert check("backward", lambda p, X, y: xorlib.gradients(p, X, y)).exercise == "backward"


@pytest.mark.parametrize("exercise_id", CODE_IDS)
def test_a_stub_is_not_implemented_yet(exercise_id):
    def stub(params, X, y):
        ...

    feedback = check(exercise_id, stub)
    assert feedback.status == "unanswered"
    assert "not implemented yet" in feedback.message
    assert check(exercise_id, ...).status == "unanswered"


# --- the backward pass: each classic mistake, named ----------------------------------

def backward_with(relu=lambda f, k: getattr(f, f"z{k}") > 0, scale=1.0, n=None, w3=(0, 1), b=np.sum, ones=None):
    """The reference backward pass with one mistake switched in."""
    def backward(params, X, y):
        f = xorlib.forward(params, X)
        g_z3 = scale * (f.y_hat - y) / (X.shape[0] if n is None else n)
        g_z = [relu(f, k + 1) * params.w3[w3[k]] * g_z3 for k in range(2)]
        bias = [b(g) if ones is None else ones @ g for g in g_z + [g_z3]]
        return xorlib.Params(w1=X.T @ g_z[0], b1=bias[0], w2=X.T @ g_z[1], b2=bias[1], w3=f.H.T @ g_z3, b3=bias[2])
    return backward


def test_the_backward_helper_without_mistakes_is_correct():
    assert check("backward", backward_with()).correct


@pytest.mark.parametrize("mistake, phrase", [
    (dict(scale=0.0 + 1.0, n=None, relu=lambda f, k: np.minimum(1.0, getattr(f, f"h{k}"))), "min(1, h)"),
    (dict(scale=-1.0), "sign"),
    (dict(w3=(1, 0)), "w3's components swapped"),
    (dict(n=4), "n = 4"),
    (dict(ones=np.ones(4)), "n = 4"),
    (dict(b=np.mean), "averaged over the rows"),
    (dict(b=lambda g: g), "not summed over the rows"),
])
def test_each_classic_mistake_in_backward_is_named(mistake, phrase):
    wrong("backward", backward_with(**mistake), phrase)


def test_the_mean_applied_twice_is_named():
    def backward(params, X, y):
        return xorlib.Params.from_vector(backward_with()(params, X, y).to_vector() / X.shape[0])
    wrong("backward", backward, "1/n of the truth", "applied twice")


def test_the_originals_gradient_is_recognised():
    original = xorlib.errata.original_gradients if False else (
        lambda p, X, y: xorlib.errata.original_gradients(p, X, y, errors=(1, 2,)))
    wrong("backward", original, "the original's gradients", "error 1", "error 2")


def test_the_originals_code_with_n_hard_coded_is_recognised_by_its_n():
    import xorlib.errata
    wrong("backward", xorlib.errata.original_gradients, "ran at n = 4 but not at n = 8", "n = 4")


def test_w3_gradient_swapped_is_named():
    def backward(params, X, y):
        g = backward_with()(params, X, y)
        return xorlib.Params(w1=g.w1, b1=g.b1, w2=g.w2, b2=g.b2, w3=g.w3[::-1], b3=g.b3)
    wrong("backward", backward, "∇w3's two components are swapped")


def test_an_unknown_mistake_names_the_wrong_blocks_and_the_size():
    def backward(params, X, y):
        g = backward_with()(params, X, y)
        return xorlib.Params(w1=g.w1, b1=g.b1 + 0.1, w2=g.w2, b2=g.b2, w3=g.w3, b3=g.b3)
    message = wrong("backward", backward, "wrong values in ∇b1 (relative error up to", "right: ∇w1, ∇w2")
    assert "∇w2" not in message.split("right:")[0]


def test_feedback_never_shows_the_right_values():
    p = xorlib.init_params(0)
    message = wrong("backward", backward_with(scale=-1.0))
    truth = xorlib.gradients(p, *xorlib.xor_data()).to_vector()
    assert not any(f"{abs(v):.3f}" in message for v in truth)
    assert SOLUTIONS["08a.1"].splitlines()[1] not in message


# --- broken submissions --------------------------------------------------------------

def test_an_exception_is_one_paragraph_naming_the_exception_and_the_line():
    def backward(params, X, y):
        g_z3 = 1 / 0
        return g_z3

    message = wrong("backward", backward, "raised ZeroDivisionError (division by zero)", "`g_z3 = 1 / 0`",
                    "of `backward`", "(on XOR, n = 4)")
    assert message.count("File") == 0


def test_a_numpy_array_instead_of_params_says_so():
    wrong("backward", lambda p, X, y: xorlib.gradients(p, X, y).to_vector(),
          "returned a numpy array of shape (9,), not a Params")


def test_none_and_other_types_are_named():
    def forgot_return(params, X, y):
        xorlib.gradients(params, X, y)
    wrong("backward", forgot_return, "returned None", "`return` missing")
    wrong("backward", lambda p, X, y: "gradient", "expected an xorlib.Params, got str")
    wrong("02a.4", lambda p, X, y: "diag", "as a numpy array, got str")


def test_nan_and_inf_are_caught():
    wrong("backward", lambda p, X, y: xorlib.Params.from_vector(np.full(9, np.nan)), "NaN or inf")
    wrong("02a.2", lambda p, X, y: np.full((X.shape[0],) * 2, np.inf), "NaN or inf")
    wrong("11.1", lambda p, X, y: WideParams(p.W1 * np.nan, p.b1, p.w3, p.b3), "NaN or inf")


def test_a_function_that_never_ends_is_stopped(monkeypatch):
    monkeypatch.setattr(coding, "TIME_LIMIT", 0.2)

    def backward(params, X, y):
        while True:
            try:
                pass
            except Exception:
                pass

    wrong("backward", backward, "did not finish within 0.2 s")


def test_a_function_that_changes_its_inputs_is_caught_and_changes_nothing_else():
    X_before, y_before = xorlib.xor_data()

    def backward(params, X, y):
        X[:] = 0.0
        return xorlib.gradients(params, X, y)

    wrong("backward", backward, "changed its argument `X` in place")
    X_after, y_after = xorlib.xor_data()
    assert np.array_equal(X_after, X_before) and np.array_equal(y_after, y_before)
    assert check("backward", solution("08a.1")).correct


def test_changing_params_in_place_is_explained():
    def backward(params, X, y):
        params.w1[0] = 0.0
        return xorlib.gradients(params, X, y)
    wrong("backward", backward, "read-only", "build a new one")


def test_something_that_is_not_a_function_is_refused_clearly():
    feedback = check("backward", xorlib.gradients(xorlib.init_params(0), *xorlib.xor_data()))
    assert feedback.status == "wrong" and "expected the function `backward` itself" in feedback.message


# --- the Jacobians (02a) ---------------------------------------------------------------

def test_relu_jacobian_from_h_is_named():
    wrong("02a.4", lambda p, X, y: np.diag(np.minimum(1.0, xorlib.forward(p, X).h1)), "min(1, h)", "error 1")


def test_a_diagonal_as_a_vector_and_a_transposed_jacobian_are_named():
    wrong("02a.4", lambda p, X, y: (xorlib.forward(p, X).z1 > 0).astype(float), "diagonal as a vector")
    wrong("02a.5", lambda p, X, y: xorlib.forward(p, X).H.T, "rows and columns are exchanged", "transpose")


def test_hard_coded_ones_are_named():
    wrong("02a.7", lambda p, X, y: np.ones((4, 1)), "n = 4")


def test_grad_y_hat_with_the_mean_twice_and_the_sign_flipped_are_named():
    def twice(p, X, y):
        y_hat = xorlib.forward(p, X).y_hat
        return -(y / y_hat - (1 - y) / (1 - y_hat)) / X.shape[0] ** 2
    wrong("02a.1", twice, "applied twice")
    wrong("02a.1", lambda p, X, y: -twice(p, X, y) * X.shape[0], "wrong sign")


def test_w3_swapped_in_a_jacobian_is_named():
    wrong("02a.3", lambda p, X, y: p.w3[1] * np.eye(X.shape[0]), "w3's components swapped")


# --- central differences, the check, training (03a, 05a) -----------------------------

def differences(kind):
    def numerical_gradient(params, X, y, eps=1e-6):
        theta = params.to_vector()
        grad = np.zeros(9)
        for i in range(9):
            base = theta.copy()
            plus, minus = base.copy(), base.copy()
            plus[i] += eps
            minus[i] -= eps
            if kind == "forward":
                minus = base
            value = xorlib.loss(xorlib.Params.from_vector(plus), X, y) - xorlib.loss(
                xorlib.Params.from_vector(minus), X, y)
            grad[i] = value / (eps if kind in ("forward", "no 2") else 2 * eps)
            if kind == "not reset":
                theta[i] -= eps
        return xorlib.Params.from_vector(grad)
    return numerical_gradient


@pytest.mark.parametrize("kind, phrase", [("forward", "one-sided"), ("no 2", "divide by 2 eps"),
                                          ("not reset", "stays perturbed")])
def test_each_finite_difference_mistake_is_named(kind, phrase):
    wrong("03a.1", differences(kind), phrase)


def test_a_gradient_check_that_cannot_fail_is_caught():
    wrong("03a.2", lambda gradient_function, params, X, y: 0.0, "the original's gradient", "should give a large error")
    wrong("03a.2", lambda gradient_function, params, X, y: True, "expected a number")


def trainer(sign=1.0, extra=0, fixed_lr=None, keep=True):
    def train(params, X, y, lr, epochs):
        start = params
        for _ in range(epochs + extra):
            step = params.to_vector() - sign * (fixed_lr or lr) * xorlib.gradients(params, X, y).to_vector()
            params = xorlib.Params.from_vector(step)
        return params if keep else start
    return train


@pytest.mark.parametrize("options, phrase", [(dict(sign=-1.0), "instead of going against it"),
                                             (dict(extra=-1), "one step short"), (dict(extra=1), "one step too many"),
                                             (dict(fixed_lr=0.9), "learning rate argument"),
                                             (dict(keep=False), "initial parameters")])
def test_each_training_loop_mistake_is_named(options, phrase):
    wrong("05a.1", trainer(**options), phrase)


# --- width k (11) ---------------------------------------------------------------------

def wide_with(transpose=False, relu_from_h=False, bias=lambda G: G.sum(axis=0)):
    def wide_backward(params, X, y):
        f = xorlib.wide.forward(params, X)
        g_z3 = (f.y_hat - y) / X.shape[0]
        G = (np.minimum(1.0, f.H) if relu_from_h else (f.Z1 > 0)) * np.outer(g_z3, params.w3)
        return WideParams(G.T @ X if transpose else X.T @ G, bias(G), f.H.T @ g_z3, g_z3.sum())
    return wide_backward


def test_wide_mistakes_are_named():
    assert check("11.1", wide_with()).correct
    wrong("11.1", wide_with(transpose=True), "rows and columns exchanged", "transpose")
    wrong("11.1", wide_with(relu_from_h=True), "min(1, H)", "error 1")
    wrong("11.1", wide_with(bias=lambda G: G), "∇b1 has shape (4, 2) where b1 has shape (2,)",
          "not summed over the rows")
    wrong("11.1", lambda p, X, y: p.to_vector(), "not a WideParams")


def test_the_wide_network_of_width_two_is_the_original_network():
    params = xorlib.init_params(0)
    X, y = xorlib.xor_data()
    g = xorlib.gradients(params, X, y)
    G = xorlib.wide.backward(xorlib.wide.from_params(params), X, y)
    assert np.allclose(G.W1, np.column_stack([g.w1, g.w2]), rtol=1e-13, atol=0)
    assert np.allclose(G.b1, [g.b1, g.b2], rtol=1e-13, atol=0)
    assert np.allclose(G.w3, g.w3, rtol=1e-13, atol=0) and np.isclose(G.b3, g.b3, rtol=1e-13, atol=0)


def test_a_shape_error_in_a_product_points_to_a_transpose():
    def backward(params, X, y):
        g_z3 = xorlib.forward(params, X).y_hat - y
        return X @ g_z3
    wrong("backward", backward, "raised ValueError", "`return X @ g_z3`", "is a transpose missing, or one too many?")


def test_a_wrong_signature_is_explained():
    wrong("backward", lambda params, X: xorlib.gradients(params, X, X[:, 0]), "positional argument",
          "(params, X, y)")


def test_a_nan_refused_by_params_names_the_learners_line_not_xorlibs():
    def backward(params, X, y):
        g = xorlib.gradients(params, X, y)
        return xorlib.Params(w1=g.w1, b1=np.nan, w2=g.w2, b2=g.b2, w3=g.w3, b3=g.b3)
    message = wrong("backward", backward, "NaN or inf", "of `backward`")
    assert "__init__" not in message


def test_feedback_is_the_same_every_time():
    broken = backward_with(w3=(1, 0))
    assert check("backward", broken).message == check("backward", broken).message
    assert check("02a.7", lambda p, X, y: np.ones((4, 1))) == check("02a.7", lambda p, X, y: np.ones((4, 1)))


def test_a_timer_running_outside_the_check_resumes_afterwards():
    import signal

    fired = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(signum))
    try:
        signal.setitimer(signal.ITIMER_REAL, 100.0)
        assert check("backward", solution("08a.1")).correct
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 90.0 < remaining <= 100.0
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert fired == []
