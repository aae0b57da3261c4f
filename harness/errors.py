"""The exceptions the public API raises; each message names the bad input."""


class NotPermitted(PermissionError):
    """The acting user may not do this (only a system administrator changes the settings)."""


class NotFound(KeyError):
    """No record or item with that id."""

    def __str__(self) -> str:  # KeyError would print the message with quotes around it
        return str(self.args[0]) if self.args else "not found"
