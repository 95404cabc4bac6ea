"""OCPP 2.0.1 cases with a charging station under test (the harness plays the CSMS)."""
