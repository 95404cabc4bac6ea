"""OCPP 2.0.1 reusable states (cs.py: the harness as CSMS; csms.py: the harness as station)."""
