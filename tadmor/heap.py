"""glibc's malloc, set for a process that parses batch after batch (Linux only).

Every spaCy batch allocates arrays of a few hundred KB to a few MB and frees them when
the batch is done. glibc's defaults serve each block above 128 KB with its own ``mmap``
(the threshold rises only after such a block is freed) and hand the heap's free top back
to the system above 128 KB, so each batch faults in fresh zeroed pages: 249,000 minor
page faults for 1,000 notes, where loading the models takes 87,000. With the mmap
threshold at 32 MB and the trim threshold at 128 MB, freed blocks are reused instead:
87,000 faults in all, about 0.3 s less system time per 1,000 notes
(``bench/PROFILE.md``). Peak memory is the same within 1 %; what the process keeps is
still bounded, by its largest batch.

The command line (``tadmor.cli.run``) and Spark's Python workers call ``tune_malloc``;
code that uses tadmor as a library keeps its own settings unless it calls it. Settings
the user gave glibc (``MALLOC_MMAP_THRESHOLD_``, ``MALLOC_TRIM_THRESHOLD_``, or
``glibc.malloc`` tunables) win, and ``TADMOR_MALLOC=default`` leaves glibc as it is.
"""

from __future__ import annotations

import os
import sys

M_TRIM_THRESHOLD = -1  # mallopt parameters, from glibc's <malloc.h>
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 << 20  # glibc's largest allowed value on 64-bit systems
TRIM_THRESHOLD = 128 << 20

_tuned: list[bool] = []


def user_settings(environ=os.environ) -> bool:
    """Whether glibc's malloc was configured by the user, or tadmor told to leave it alone."""
    return (environ.get("TADMOR_MALLOC") == "default"
            or any(k in environ for k in ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_"))
            or "glibc.malloc" in environ.get("GLIBC_TUNABLES", ""))


def libc():
    """The C library this process runs on (ctypes), or None where it cannot be opened."""
    import ctypes

    try:
        return ctypes.CDLL(None)
    except OSError:
        return None


def tune_malloc() -> bool:
    """Set glibc's mmap and trim thresholds for this process (once); True when they are set."""
    if _tuned:
        return _tuned[0]
    ok = False
    lib = libc() if sys.platform.startswith("linux") and not user_settings() else None
    mallopt = getattr(lib, "mallopt", None)
    if mallopt is not None:
        import ctypes

        mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
        # musl and other C libraries answer 0 and change nothing
        ok = mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1 and mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1
    _tuned.append(ok)
    return ok
