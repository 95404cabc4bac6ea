"""OCPP 1.6 reusable states (cs.py: the harness as CSMS; csms.py: the harness as station)."""
