"""The certification test cases, by OCPP version and system under test.

A package (installed with the harness) so that another repository runs them
with ``pytest --pyargs testcases --dut PROFILE``; the harness's plugin comes
from the distribution's entry point.
"""
