"""Package list for setuptools; everything else is in pyproject.toml.

The folder ``fixtures/`` (the pytest plugin) is shipped under the import name
``ocpp_harness_fixtures``: a top-level ``fixtures`` package would collide with
the existing ``fixtures`` distribution. pyproject.toml cannot combine package
discovery with a renamed folder, hence this file.
"""

from setuptools import find_namespace_packages, setup

PLUGIN = "ocpp_harness_fixtures"

setup(
    packages=[
        *find_namespace_packages(include=["harness*", "testcases*"], exclude=["*__pycache__"]),
        PLUGIN,
    ],
    package_dir={PLUGIN: "fixtures"},
    package_data={PLUGIN: ["py.typed"]},
)
