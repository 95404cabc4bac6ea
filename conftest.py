"""Root conftest: registers the harness plugin (the only place it is registered).

``pytester`` is registered here too because the harness's own self-tests run
test cases in a subprocess with it, and pytest only honours ``pytest_plugins``
in the root conftest.
"""

pytest_plugins = ["fixtures.plugin", "pytester"]
