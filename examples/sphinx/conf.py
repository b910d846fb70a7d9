"""A small book showing the socratiq_local Sphinx extension: `sphinx-build examples/sphinx out`."""

project = "Example Book"
extensions = ["myst_parser", "socratiq_local.sphinx"]
socratiq_book = "example-book"  # the storage namespace (data-book); default: the project's name
exclude_patterns = ["quizzes"]
