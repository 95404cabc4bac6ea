"""The certification test-case catalogue as data: ids, titles, blocks, profiles, M/C.

Generated from the Open Charge Alliance's published test-case documents by
``tools/build_catalog.py`` (facts only) and committed as ``catalog.json``::

    from harness.catalog import entries, lookup

    lookup("TC_B_01_CS").title            # 'Cold Boot Charging Station - Accepted'
    entries(version="2.0.1", sut="csms")  # every 2.0.1 CSMS case, in document order
"""

from harness.catalog.loader import entries, lookup
from harness.catalog.model import CatalogEntry, Membership

__all__ = ["CatalogEntry", "Membership", "entries", "lookup"]
