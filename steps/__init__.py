"""pytest-bdd step definitions: thin translations from Gherkin to :mod:`harness.tools.scenario`."""
