"""Work-arounds for bugs in the Qt binding that the app would otherwise crash on.

PySide6 6.12.0 on Python 3.11 drops one reference to ``None`` on every call of a Qt
method that returns nothing (``setText``, ``processEvents``...), measured here: 1,000 calls
of ``QObject.setObjectName`` lower ``sys.getrefcount(None)`` by 1,000. On Python 3.12+
``None`` is immortal and nothing happens; on 3.11 the process aborts with "none_dealloc"
after a few thousand such calls, i.e. within minutes of normal use. 6.11.3 does not have
the bug, but QtPdf (needed for handout previews) exists as a separate wheel only for 6.12.

The same release drops one reference to ``True`` on every ``Signal.emit()`` from Python
(measured: 500 emits of a custom signal or of ``headerDataChanged`` lower
``sys.getrefcount(True)`` by 500); a session that emits a few thousand signals aborts with
"bool_dealloc", at the latest when the interpreter shuts down.

The work-around gives ``None``, ``True`` and ``False`` a reference count so large that it
can never reach zero, which is what Python 3.12 does for every immortal object. It is
idempotent, touches only these three singletons, and is a no-op where they are already
immortal.
"""

from __future__ import annotations

import ctypes
import sys

# 2**40 void calls would take years; None can then never be deallocated.
_HEADROOM = 1 << 40


def keep_none_alive() -> None:
    """Raise the reference counts of None, True and False far out of reach of the binding's
    leaks (CPython < 3.12)."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return
    for singleton in (None, True, False):
        refcount = ctypes.c_ssize_t.from_address(id(singleton))
        if refcount.value < _HEADROOM:
            refcount.value += _HEADROOM
