"""Small building blocks with no knowledge of the app: they import only the standard library."""
