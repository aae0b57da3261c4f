"""pytest-bdd step definitions: thin translations from Gherkin to :mod:`syncsim.harness.tools.scenario`."""
