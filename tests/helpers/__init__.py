"""What test modules share: factories, API, page, browser and server helpers.

Test modules import from here (and from tests.corpus), never from one another or from a conftest;
fixtures come from the conftest files. tests/test_test_layout.py holds to this.
"""
