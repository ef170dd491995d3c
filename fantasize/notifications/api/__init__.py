"""The notifications API: a user's devices, inbox and preferences."""
