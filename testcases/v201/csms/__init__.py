"""OCPP 2.0.1 cases with a CSMS under test (the harness plays the charging station)."""
