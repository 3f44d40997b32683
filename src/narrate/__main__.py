"""``python -m narrate``: the same as the ``narrate`` command."""

from narrate.cli import app

app(prog_name="narrate")
