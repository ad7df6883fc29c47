// Placeholder until mnist-eval is written.
print("mnist-eval: not yet implemented")
