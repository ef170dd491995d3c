"""Orders: the cart, checkout, stock, payments and the order lifecycle."""
