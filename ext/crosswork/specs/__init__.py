"""Design specs: the model, the template-driven linter and the scaffold."""
