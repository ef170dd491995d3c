"""Staff forms (shape only; the rules live in the services) and the choices they offer."""
