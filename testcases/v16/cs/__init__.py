"""OCPP 1.6 cases with a charge point under test (the harness plays the central system)."""
