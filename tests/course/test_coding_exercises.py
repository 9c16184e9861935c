"""The coding exercises' checkers: the reference passes, each classic mistake is
named, and each kind of broken submission gets its own clear message."""


import numpy as np
import pytest

import xorlib
import xorlib.graphs
import xorlib.wide
from xorlib.course import sandbox
from xorlib.course.exercises import EXERCISES, check
from xorlib.course.keys.coding import FUNCTIONS
from xorlib.loss import grad_loss_wrt_y_hat
from xorlib.studies.ensemble import EnsembleParams, train_many
from xorlib.wide import WideParams

CODE_IDS = sorted(i for i, e in EXERCISES.items() if e.kind == "code")


def solution(exercise_id):
    namespace = dict(np=np, xorlib=xorlib)
    exec(FUNCTIONS["03a.1"], namespace)  # 03a.2 calls the learner's numerical_gradient
    exec(FUNCTIONS[exercise_id], namespace)
    return namespace[EXERCISES[exercise_id].checker.function]  # the function the learner writes, by its name


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
    assert points["08a.1"] == points["11.1"] == points["13a.4"] == 5
    assert all(p == 3 for i, p in points.items() if i not in ("08a.1", "11.1", "13a.4"))
    assert EXERCISES["02.1"].kind == "short" and EXERCISES["02.1"].points == 1


def test_backward_is_an_alias_of_the_backward_pass_exercise():
    assert check("backward", solution("08a.1")).correct
    assert check("backward", backward_with()).exercise == "backward"


@pytest.mark.parametrize("exercise_id", CODE_IDS)
def test_a_stub_is_not_implemented_yet(exercise_id):
    def stub(params, X, y):
        ...

    feedback = check(exercise_id, stub)
    assert feedback.status == "unanswered"
    assert "not implemented yet" in feedback.message
    assert check(exercise_id, ...).status == "unanswered"


# --- the backward pass: each classic mistake, named ----------------------------------

def MIN1H(f, k):  # the original's ReLU' (error 1)
    return np.minimum(1.0, getattr(f, f"h{k}"))


GRADIENTS_ALIAS = xorlib.gradients  # xorlib's answer under another name


def one_step_of_train_many_undone(p, X, y):
    """The gradient recovered from one step of train_many's fast loop, on one net."""
    start = EnsembleParams(np.stack([p.w1, p.w2], axis=1)[..., None], np.array([[p.b1], [p.b2]]), p.w3[:, None],
                           np.array([p.b3]))
    end = train_many(X, y, n_nets=1, epochs=1, lr=1.0, initial=start).final.net(0)
    return xorlib.Params.from_vector(p.to_vector() - end.to_vector())


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
    def original(params, X, y):  # the original's formulas, written out: ReLU' as min(1, h), the 1/n twice
        return xorlib.Params.from_vector(backward_with(relu=MIN1H)(params, X, y).to_vector() / X.shape[0])
    wrong("backward", original, "the original's gradients", "error 1", "error 2")


def test_the_originals_code_with_n_hard_coded_is_recognised_by_its_n():
    def original(params, X, y):  # and np.ones((4,)) for the bias sums, as the original's code has it
        g = backward_with(relu=MIN1H, ones=np.ones(4))(params, X, y)
        return xorlib.Params.from_vector(g.to_vector() / X.shape[0])
    wrong("backward", original, "ran at n = 4 but not at n = 8", "n = 4")


# --- a function that reaches xorlib's own answer scores nothing ------------------------------

@pytest.mark.parametrize("exercise_id, function, reached", [
    ("08a.1", lambda p, X, y: xorlib.gradients(p, X, y), "gradients"),
    ("08a.1", lambda p, X, y: GRADIENTS_ALIAS(p, X, y), "gradients"),
    ("08a.1", lambda p, X, y: xorlib.backprop_gradients(p, X, y), "backprop_gradients"),
    ("08a.1", lambda p, X, y: xorlib.errata.original_gradients(p, X, y, errors=()), "errata.original_gradients"),
    ("08a.1", lambda p, X, y: xorlib.numerical_gradient(p, X, y), "numerical_gradient"),
    ("08a.1", lambda p, X, y: xorlib.Params.from_vector(  # one step of xorlib's training, undone
        p.to_vector() - xorlib.train(p, X, y, lr=1.0, epochs=1).params.to_vector()), "train"),
    ("08a.1", one_step_of_train_many_undone, "ensemble.train_many (its gradient)"),
    ("11.1", lambda p, X, y: xorlib.wide.backward(p, X, y), "wide.backward"),
    ("08a.1", lambda p, X, y: xorlib.graphs.engine_gradients(p, X, y), "graphs.engine_gradients"),
    ("11.1", lambda p, X, y: xorlib.graphs.wide_engine_gradients(p, X, y), "graphs.wide_engine_gradients"),
    ("05a.1", lambda p, X, y, lr, epochs: xorlib.train(p, X, y, lr, epochs).params, "train"),
    ("02a.4", lambda p, X, y: xorlib.local_jacobians(p, X, y).h1_z1, "local_jacobians"),
    ("02a.1", lambda p, X, y: grad_loss_wrt_y_hat(xorlib.forward(p, X).y_hat, y), "grad_loss_wrt_y_hat"),
    ("03a.1", lambda p, X, y, eps=1e-6: xorlib.numerical_gradient(p, X, y, eps), "numerical_gradient"),
    ("03a.1", lambda p, X, y, eps=1e-6: xorlib.gradients(p, X, y), "gradients"),
])
def test_reaching_xorlibs_answer_by_any_route_is_named_and_not_correct(exercise_id, function, reached):
    wrong(exercise_id, function, f"reaches xorlib's `{reached}`", "write it yourself", "use only")


def test_a_gradient_check_against_xorlibs_gradient_is_caught():
    def gradient_check(gradient_function, params, X, y):
        return xorlib.relative_error(gradient_function(params, X, y).to_vector(),
                                     xorlib.gradients(params, X, y).to_vector())
    wrong("03a.2", gradient_check, "reaches xorlib's")


def test_the_helpers_an_exercise_offers_stay_allowed():
    def train(params, X, y, lr, epochs):  # 05a.1 may use xorlib.gradients
        for _ in range(epochs):
            params = xorlib.Params.from_vector(params.to_vector() - lr * xorlib.gradients(params, X, y).to_vector())
        return params
    assert check("05a.1", train).correct
    assert check("08a.1", backward_with()).correct  # uses xorlib.forward


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
    assert FUNCTIONS["08a.1"].splitlines()[1] not in message


# --- broken submissions --------------------------------------------------------------

def test_an_exception_is_one_paragraph_naming_the_exception_and_the_line():
    def backward(params, X, y):
        g_z3 = 1 / 0
        return g_z3

    message = wrong("backward", backward, "raised ZeroDivisionError (division by zero)", "`g_z3 = 1 / 0`",
                    "of `backward`", "(on XOR, n = 4)")
    assert message.count("File") == 0


def test_a_numpy_array_instead_of_params_says_so():
    wrong("backward", lambda p, X, y: backward_with()(p, X, y).to_vector(),
          "returned a numpy array of shape (9,), not a Params")


def test_none_and_other_types_are_named():
    def forgot_return(params, X, y):
        backward_with()(params, X, y)
    wrong("backward", forgot_return, "returned None", "`return` missing")
    wrong("backward", lambda p, X, y: "gradient", "expected an xorlib.Params, got str")
    wrong("02a.4", lambda p, X, y: "diag", "as a numpy array, got str")


def test_nan_and_inf_are_caught():
    wrong("backward", lambda p, X, y: xorlib.Params.from_vector(np.full(9, np.nan)), "NaN or inf")
    wrong("02a.2", lambda p, X, y: np.full((X.shape[0],) * 2, np.inf), "NaN or inf")
    wrong("11.1", lambda p, X, y: WideParams(p.W1 * np.nan, p.b1, p.w3, p.b3), "NaN or inf")


def test_a_function_that_never_ends_is_stopped(monkeypatch):
    monkeypatch.setattr(sandbox, "TIME_LIMIT", 0.2)

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


def trainer(sign=1.0, extra=0, fixed_lr=None, keep=True, fixed_epochs=None, stale=False, lr_over_n=False):
    def train(params, X, y, lr, epochs):
        start = params
        rate = (fixed_lr or lr) / (X.shape[0] if lr_over_n else 1)
        g = xorlib.gradients(params, X, y).to_vector()
        for _ in range(fixed_epochs or epochs + extra):
            if not stale:
                g = xorlib.gradients(params, X, y).to_vector()
            params = xorlib.Params.from_vector(params.to_vector() - sign * rate * g)
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


# --- the reviewer's wrong implementations: each gets the diagnosis that fits -----------

def test_a_training_loop_with_the_originals_fixed_1000_epochs_is_not_called_a_hard_coded_n():
    def train(params, X, y, lr, epochs):
        for _ in range(1000):
            params = xorlib.Params.from_vector(params.to_vector() - lr * xorlib.gradients(params, X, y).to_vector())
        return params
    message = wrong("05a.1", train, "right for 1000 epochs only", "range(1000)")
    assert "n = 4" not in message


@pytest.mark.parametrize("options, phrase", [(dict(fixed_lr=0.9, fixed_epochs=1000), "lr = 0.9 and 1000 epochs"),
                                             (dict(stale=True), "gradient at the starting parameters"),
                                             (dict(lr_over_n=True), "lr/n times the gradient")])
def test_more_training_loop_mistakes_are_named(options, phrase):
    message = wrong("05a.1", trainer(**options), phrase)
    assert "n = 4" not in message


def test_returning_xorlibs_history_is_reaching_xorlibs_train():
    message = wrong("05a.1", lambda p, X, y, lr, epochs: xorlib.train(p, X, y, lr, epochs), "reaches xorlib's `train`")
    assert "array(" not in message


def test_a_dict_is_described_without_its_arrays():
    message = wrong("backward", lambda p, X, y: {"w1": np.ones(2) * 0.123456, "b1": 0.0})
    assert "0.123" not in message and "dict with the keys w1, b1" in message


def test_numerical_gradient_must_use_its_eps():
    reference = solution("03a.1")
    wrong("03a.1", lambda p, X, y, eps=1e-6: reference(p, X, y), "with eps = 0.01", "exact gradient")


def test_one_sided_differences_are_caught_at_the_larger_eps_too():
    assert "one-sided" in check("03a.1", differences("forward")).message


@pytest.mark.parametrize("factor", [1.0, 1000.0])
def test_a_gradient_check_with_an_absolute_error_is_caught(factor):
    def gradient_check(gradient_function, params, X, y):
        numeric = solution("03a.1")(params, X, y).to_vector()
        return factor * float(np.max(np.abs(gradient_function(params, X, y).to_vector() - numeric)))
    wrong("03a.2", gradient_check, "where the gradients are about 1e-6", "should give a large error")


def test_a_gradient_check_that_skips_entries_is_caught():
    def gradient_check(gradient_function, params, X, y):
        a, b = gradient_function(params, X, y).to_vector(), solution("03a.1")(params, X, y).to_vector()
        return float(np.max(np.abs(a[3:] - b[3:])) / np.max(np.abs(b)))
    wrong("03a.2", gradient_check, "one entry off by 5%")


def test_no_checker_problem_has_a_gradient_entry_near_zero_or_a_unit_always_on():
    from xorlib.course.coding_exercises import problems
    for p in problems():
        g = np.abs(xorlib.gradients(p.params, p.X, p.y).to_vector())
        assert np.min(g) > 1e-3 * np.max(g)
        f = xorlib.forward(p.params, p.X)
        Z = np.column_stack([f.z1, f.z2])
        assert np.all(np.sum(Z > 0, axis=0) >= 2) and np.all(np.sum(Z < 0, axis=0) >= 1)


def test_an_unknown_error_in_one_block_is_measured_against_the_largest_entry_overall():
    def backward(params, X, y):
        g = backward_with()(params, X, y)
        return g.replace(b3=g.b3 + 0.01 * np.max(np.abs(g.to_vector())))
    message = wrong("backward", backward, "∇b3 (relative error up to 0.01)")
    assert "nan" not in message


@pytest.mark.parametrize("exercise_id, function", [
    ("02a.2", lambda p, X, y: np.diag((lambda s: s * (1 - s))(xorlib.forward(p, X).y_hat)) / X.shape[0]),
    ("02a.4", lambda p, X, y: np.diag((xorlib.forward(p, X).z1 > 0) / X.shape[0])),
    ("02a.7", lambda p, X, y: np.ones((X.shape[0], 1)) / X.shape[0]),
])
def test_a_jacobian_divided_by_n_is_not_called_the_mean_twice(exercise_id, function):
    message = wrong(exercise_id, function, "has no mean in it")
    assert "applied twice" not in message


def test_a_hard_coded_4_in_a_product_is_not_also_called_a_transpose():
    message = wrong("backward", backward_with(ones=np.ones(4)), "ran at n = 4 but not at n = 8")
    assert "transpose" not in message.split("Hint:")[0]


def test_a_wrong_shape_is_not_said_to_have_failed_to_run():
    message = wrong("02a.7", lambda p, X, y: np.ones((4, 1)), "right form at n = 4 but not at n = 8")
    assert "ran at" not in message


def test_a_transposed_wide_gradient_is_diagnosed_once():
    message = wrong("11.1", wide_with(transpose=True), "transpose")
    assert message.count("transpose") == 1


def test_the_messages_use_the_math_labels():
    message = wrong("02a.4", lambda p, X, y: np.diag((xorlib.forward(p, X).z1 > 0) + 0.01), "∂h1/∂z1")
    assert "h1_z1" not in message
    message = wrong("02a.1", lambda p, X, y: np.ones(X.shape[0]))
    assert "grad_y_hat" not in message and "∇_ŷ L" in message


def test_changing_the_wide_params_in_place_is_caught():
    def wide_backward(params, X, y):
        params.W1[0, 0] += 1.0
        return wide_with()(params, X, y)
    wrong("11.1", wide_backward, "changed its argument `params` in place")


def test_a_size_one_array_for_b3_is_accepted_and_trains():
    def wide_backward(params, X, y):
        G = wide_with()(params, X, y)
        return WideParams(G.W1, G.b1, G.w3, np.array([G.b3]))
    assert check("11.1", wide_backward).correct
    X3, y3 = xorlib.wide.parity_data(3)  # what the checker accepts, notebook 11's training cell takes too
    start = xorlib.wide.init_wide(3, 4, rng=2)
    yours, _ = xorlib.wide.train(start, X3, y3, lr=0.9, epochs=20, gradient=wide_backward)
    xorlibs, _ = xorlib.wide.train(start, X3, y3, lr=0.9, epochs=20)
    np.testing.assert_allclose(yours.b3, xorlibs.b3, rtol=1e-12)


def test_jacobians_returned_as_lists_are_accepted_and_tabulated():
    X, y = xorlib.xor_data()
    params = xorlib.init_params(0)
    listed = lambda p, X, y: np.diag((xorlib.forward(p, X).z1 > 0) * 1.0).tolist()  # noqa: E731
    assert check("02a.4", listed).correct
    J = xorlib.local_jacobians(params, X, y)  # notebook 02a's table, with the learner's list in place of h1_z1
    mine = xorlib.LocalJacobians(**{**dict(J.items()), "h1_z1": listed(params, X, y)})
    table = xorlib.gradcheck.JacobianCheck(mine, {"xorlib": J})
    assert table.passed


@pytest.mark.parametrize("exercise_id, function, phrase", [
    ("02a.4", lambda p, X, y: np.eye(X.shape[0]), "identity matrix: ReLU' left out"),
    ("02a.5", lambda p, X, y: xorlib.forward(p, X).H[:, ::-1], "two columns swapped"),
    ("backward", backward_with(relu=lambda f, k: 1.0), "without ReLU'"),
])
def test_classic_mistakes_that_used_to_be_every_part_wrong_are_named(exercise_id, function, phrase):
    wrong(exercise_id, function, phrase)


def test_wide_mistakes_without_relu_and_with_w3_reversed_are_named():
    def no_relu(params, X, y):
        f = xorlib.wide.forward(params, X)
        g = (f.y_hat - y) / X.shape[0]
        G = np.outer(g, params.w3)
        return WideParams(X.T @ G, G.sum(axis=0), f.H.T @ g, g.sum())

    def reversed_w3(params, X, y):
        G = wide_with()(params, X, y)
        return WideParams(G.W1, G.b1, G.w3[::-1], G.b3)
    wrong("11.1", no_relu, "without ReLU'")
    wrong("11.1", reversed_w3, "∇w3's components are in reverse order")


def test_a_check_stops_at_the_first_time_out(monkeypatch):
    import time
    monkeypatch.setattr(sandbox, "TIME_LIMIT", 0.2)
    calls = []

    def backward(params, X, y):
        calls.append(1)
        while True:
            time.sleep(0.01)
    wrong("backward", backward, "did not finish within 0.2 s")
    assert len(calls) == 1


# --- worked answers to the closing questions ------------------------------------------

QUESTION_OUTPUTS = {
    "02a_write_the_jacobians": ["rows and columns are exchanged", "applied twice", "✓ Exercise 02a.4"],
    "03a_write_a_gradient_checker": ["one-sided differences", "stays perturbed", "relative error at the kink: 0.27"],
    "05a_write_the_training_loop": ["instead of going against it", "one step too many", "solves XOR: False"],
    "08a_write_backward": ["z2                -0.603              +0.000", "min(1, h)", "right at n = 4 but wrong"],
    "11_beyond_2_2_1": ["where the shapes happen to fit", "original  solved 12%\nhe        solved 12%",
                        "    7   49.3%  2.9%              -0.2   [53, 44, 51]"],
    "13a_write_the_engine": ["gradient overwritten instead of accumulated",
                             "into them. Hint: Clear every gradient, seed the loss with 1, then in reverse "
                             "topological order add each node's VJP into its parents' gradients.\n" + "\n".join(
                                 f"{name:<4} {factor}" for name, factor in (
                                     ("L", 1), ("z3", 2), ("H w3", 3), ("b3", 3), ("w3", 4), ("H", 4), ("h1", 5),
                                     ("z1", 6), ("X w1", 7), ("b1", 7), ("w1", 8), ("X", 8))),
                             "L = 0.8414, ∇b3 seeded with L divided by the right one: 0.8414"],
}


@pytest.mark.parametrize("notebook", sorted(QUESTION_OUTPUTS))
def test_each_worked_answer_to_a_closing_question_computes_what_its_reasoning_says(notebook, capsys):
    from xorlib.course.keys.coding import QUESTIONS
    namespace = dict(np=np, xorlib=xorlib, check=check)
    namespace["X"], namespace["y"] = xorlib.xor_data()
    for code in FUNCTIONS.values():
        exec(code, namespace)
    assert len(QUESTIONS[notebook]) == 3
    for (reasoning, code), phrase in zip(QUESTIONS[notebook], QUESTION_OUTPUTS[notebook]):
        assert reasoning.startswith("**") and "check(" not in reasoning
        exec(code, namespace)
        assert phrase in capsys.readouterr().out, (notebook, phrase)


# --- at a kink: ReLU'(0) ---------------------------------------------------------------

KINK = "At a kink (z1 = 0 exactly, at the input (0, 0))"


@pytest.mark.parametrize("relu, taken", [
    (lambda f, k: getattr(f, f"z{k}") > 0, "it takes ReLU'(0) = 0, as xorlib does."),
    (lambda f, k: getattr(f, f"z{k}") >= 0, "it takes ReLU'(0) = 1, where xorlib takes 0"),
    (lambda f, k: (np.sign(getattr(f, f"z{k}")) + 1) / 2, "it takes ReLU'(0) = 0.5, where xorlib takes 0"),
])
def test_the_backward_pass_at_a_kink_says_which_relu_prime_it_takes(relu, taken):
    feedback = check("08a.1", backward_with(relu=relu))
    assert feedback.correct, feedback
    assert f"{KINK} {taken}" in feedback.message
    assert "away from the kinks" in feedback.message
    if "where xorlib takes 0" in taken:
        assert "agrees with xorlib" not in feedback.message.split(KINK)[1]
        assert "its answer differs from xorlib's" in feedback.message


def test_a_relu_prime_outside_the_subgradients_at_a_kink_is_wrong():
    doubled = backward_with(relu=lambda f, k: (getattr(f, f"z{k}") > 0) + 2.0 * (getattr(f, f"z{k}") == 0))
    wrong("08a.1", doubled, "at a kink", "not the answer for any value of ReLU'(0) between 0 and 1")
    undefined = backward_with(relu=lambda f, k: getattr(f, f"z{k}") / np.abs(getattr(f, f"z{k}")) / 2 + 0.5)
    wrong("08a.1", undefined, "NaN", "at a kink")


def test_the_relu_jacobian_at_a_kink_says_which_relu_prime_it_takes():
    def greater_or_equal(params, X, y):
        return np.diag((xorlib.forward(params, X).z1 >= 0).astype(float))

    feedback = check("02a.4", greater_or_equal)
    assert feedback.correct and f"{KINK} it takes ReLU'(0) = 1, where xorlib takes 0" in feedback.message
    assert f"{KINK} it takes ReLU'(0) = 0, as xorlib does." in check("02a.4", solution("02a.4")).message


# --- messages that name the mistake ----------------------------------------------------

def gradient_variant(**changes):
    """The reference backward pass with one step done another way (the keywords of mistakes._backward)."""
    from xorlib.course.diagnosis import Problem
    from xorlib.course.mistakes import _backward

    def backward(params, X, y):
        return xorlib.Params(**_backward(Problem("", params, X, y), **changes))
    return backward


@pytest.mark.parametrize("changes, phrase", [
    (dict(g_z3=lambda f, p: f.y_hat * (1 - f.y_hat) * (f.y_hat - p.y) / p.n), "multiplied by σ'(z3)"),
    (dict(steps=lambda f: (f.h1, f.h2)), "h in place of ReLU'"),
    (dict(w3=lambda w: (w[0], w[0])), "unit 2's gradients match w3_1"),
    (dict(H=lambda f: np.column_stack([f.z1, f.z2])), "not the pre-activations Z"),
    (dict(b3=lambda g: g[0]), "the first row's term alone"),
    (dict(bias=np.mean, b3=np.sum), "∇b1 and ∇b2 are 1/n of the truth"),
    (dict(bias=np.mean), "the bias gradients are 1/n of the truth"),
])
def test_more_classic_backward_mistakes_are_named(changes, phrase):
    wrong("08a.1", gradient_variant(**changes), phrase)


NOTEBOOK_F = xorlib.forward(xorlib.init_params(0), xorlib.xor_data()[0])  # a variable a notebook cell defines


def test_a_function_reading_the_notebooks_forward_pass_is_told_so():
    def jacobian_h1_z1(params, X, y):
        return np.diag((NOTEBOOK_F.z1 > 0).astype(float))

    message = wrong("02a.4", jacobian_h1_z1, "reads `NOTEBOOK_F` (a ForwardPass) from the notebook")
    assert "is n = 4" not in message


def test_a_function_reading_a_constant_is_not_blamed_for_it():
    from xorlib.course.sandbox import outside_data

    def uses_constants(params, X, y):
        return np.ones((X.shape[0], 1)) * EPSILON * SIZES[0]

    assert outside_data(uses_constants) == ["`SIZES` (a list of 1 items)"]
    assert outside_data(solution("08a.1")) == []


EPSILON, SIZES = 1.0, [1.0]


def test_two_inputs_written_into_the_wide_backward_pass_name_d():
    def wide_backward(params, X, y):
        f = xorlib.wide.forward(params, X)
        g_z3 = (f.y_hat - y) / X.shape[0]
        G = (f.Z1 > 0) * np.outer(g_z3, params.w3)
        return WideParams(W1=X[:, :2].T @ G, b1=G.sum(axis=0), w3=f.H.T @ g_z3, b3=g_z3.sum())

    message = wrong("11.1", wide_backward, "is d = 2 (or a 2) written into your code?", "columns of X")
    assert "n = 4" not in message


def test_a_gradient_check_with_a_large_eps_is_told_about_eps():
    namespace = dict(np=np, xorlib=xorlib)
    exec(FUNCTIONS["03a.1"], namespace)
    exec(FUNCTIONS["03a.2"].replace("numerical_gradient(params, X, y)",
                                    "numerical_gradient(params, X, y, eps=1e-2)"), namespace)
    wrong("03a.2", namespace["gradient_check"], "central differences at eps = 0.01", "about 1e-6")


def test_a_training_loop_returning_something_else_or_recursing_is_told_what_to_do():
    def returns_a_vector(params, X, y, lr, epochs):
        return params.to_vector()

    wrong("05a.1", returns_a_vector, "not a Params", "the parameters after training")
    assert "one gradient per parameter" not in check("05a.1", returns_a_vector).message

    def recursive(params, X, y, lr, epochs):
        if epochs == 0:
            return params
        step = xorlib.Params.from_vector(params.to_vector() - lr * xorlib.gradients(params, X, y).to_vector())
        return recursive(step, X, y, lr, epochs - 1)

    message = wrong("05a.1", recursive, "RecursionError", "write the steps as a loop")
    assert "without end" not in message


def test_the_kink_problems_gradients_are_the_one_sided_ones():
    from xorlib.course.coding_exercises import gradient_with_relu_prime, kink_problem

    p = kink_problem()
    left, right = (xorlib.gradients(p.params.replace(b1=b1), p.X, p.y) for b1 in (-1e-12, 1e-12))
    for at_zero, side in ((0.0, left), (1.0, right)):
        computed = gradient_with_relu_prime(p, at_zero)
        for block in ("w1", "b1", "w2", "b2", "w3", "b3"):
            np.testing.assert_allclose(computed[block], getattr(side, block), atol=1e-9)
    assert abs(gradient_with_relu_prime(p, 1.0)["b1"] - gradient_with_relu_prime(p, 0.0)["b1"]) > 0.05
