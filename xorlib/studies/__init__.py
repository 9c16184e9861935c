"""The measurements behind notebooks 06 to 08: many nets trained at once, vectorised.

- ``ensemble``         ``train_many``: thousands of independent nets, any width, activation and
  initialisation, tied to ``xorlib.train`` by tests; ``classify``, the failure taxonomy
- ``wrong_gradients``  ``train_many_with``: the same with the original's gradient or its ReLU error
- ``landscape``        ``perturbed_losses``: the loss around one point in random directions
- ``opcount``          the multiplications of eight ways to evaluate the chain rule, counted
- ``scaling``          memory (counted and measured) and time of each gradient method against n
"""
