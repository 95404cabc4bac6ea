"""OCPP compliance test harness."""
