"""Binds every scenario of features/ to pytest."""

from pytest_bdd import scenarios

scenarios("../features")
