"""The tools built on the simulation core: CLI, runner, matrix, lint, Gherkin reading, explore,
simulate, whatif, file formats, samples, the step catalogue and the scenario vocabulary.

Tools import the core (``syncsim.harness.*`` outside this package); the core never imports a tool.
"""
