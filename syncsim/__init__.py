"""syncsim, as installed: one import name that no team's own packages can clash with.

The repository keeps its layers at the top (``harness/``, ``steps/``, ``features/``, ``docs/``);
the build configuration (``[tool.setuptools.package-dir]`` in pyproject.toml) installs them under
this one name, so ``syncsim.harness`` is ``harness/`` and ``syncsim.steps`` is ``steps/``, in an
editable install and in a wheel alike. Inside the package every import is relative.
"""
