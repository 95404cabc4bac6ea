"""OCPP 1.6 test cases."""
