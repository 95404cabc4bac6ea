"""Root conftest: only what the harness's own tests need beyond the plugin.

The harness plugin itself is loaded by pytest from the distribution's
``pytest11`` entry point (``pip install -e .``), as in any other repository;
it is not registered here. ``pytester`` is, because the self-tests run test
cases in a subprocess with it, and pytest only honours ``pytest_plugins`` in
the root conftest.
"""

pytest_plugins = ["pytester"]
