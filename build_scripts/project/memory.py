"""How the stages that make millions of small objects use memory."""

from __future__ import annotations

import contextlib
import gc


@contextlib.contextmanager
def no_cycle_collection():
    """Pause Python's cycle collector (as a `with` block or a decorator): detection and the render
    make hundreds of thousands of small tuples, strings and model nodes without cycles, freed by
    reference counting; the collector, run again and again meanwhile, would only rescan them (a
    tenth of a re-render). It runs again afterwards if it ran before; nesting is harmless."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
