// Placeholder until mnist-predict is written.
print("mnist-predict: not yet implemented")
