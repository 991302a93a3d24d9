"""One facts module per recorded experiment: display strings for the book's MyST substitutions."""
