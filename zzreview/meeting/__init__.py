"""The meeting layer, between the faces (the command line, the app) and the store.

- `view`: what a meeting shows, computed once from the repository;
- `minutes`: what its minutes show, and writing them;
- `commands`: every change a person can make, one function each, validating its input and
  returning the event it recorded — the faces write only through these;
- `session`: opening, creating and closing a database as one seat.
"""
