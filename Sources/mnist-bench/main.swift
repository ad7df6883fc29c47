// Placeholder until mnist-bench is written.
print("mnist-bench: not yet implemented")
