"""Staff pages, one module (or package) per section: dashboard and users, catalog, customization, orders."""
