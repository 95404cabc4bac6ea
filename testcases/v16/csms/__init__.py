"""OCPP 1.6 cases with a central system under test (the harness plays the charge point)."""
