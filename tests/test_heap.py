"""tadmor/heap.py: glibc's malloc set for batch after batch of parse arrays, unless the user set it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tadmor.heap import user_settings

# In a fresh interpreter: is a 4 MB block served by its own mmap (glibc's default above 128 KB)?
# mallinfo2's hblks counts the blocks that are.
PROBE = """
import ctypes, sys
from tadmor.heap import tune_malloc
class MallInfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]
libc = ctypes.CDLL(None)
libc.mallinfo2.restype = MallInfo2
libc.malloc.restype = ctypes.c_void_p
libc.malloc.argtypes = (ctypes.c_size_t,)
tuned = tune_malloc() if sys.argv[1] == "tune" else False
before = libc.mallinfo2().hblks
block = libc.malloc(4 << 20)
print(tuned, libc.mallinfo2().hblks - before)
"""

glibc = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt: Linux only")


def _probe(mode: str, **env) -> tuple[str, int]:
    import os

    environ = {k: v for k, v in os.environ.items()
               if not k.startswith("MALLOC_") and k not in ("TADMOR_MALLOC", "GLIBC_TUNABLES")}
    out = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True,
                         env={**environ, **env}).stdout.split()
    return out[0], int(out[1])


@glibc
def test_tuned_malloc_serves_a_4_mb_block_from_the_heap_not_its_own_mmap():
    assert _probe("plain") == ("False", 1)  # glibc's default: its own mapping, faulted in afresh each time
    assert _probe("tune") == ("True", 0)


@glibc
def test_settings_the_user_gave_glibc_win():
    assert _probe("tune", MALLOC_MMAP_THRESHOLD_="131072") == ("False", 1)
    assert _probe("tune", TADMOR_MALLOC="default") == ("False", 1)


def test_user_settings_are_read_from_glibcs_own_variables():
    assert not user_settings({})
    assert not user_settings({"GLIBC_TUNABLES": "glibc.pthread.rseq=0"})
    assert user_settings({"GLIBC_TUNABLES": "glibc.malloc.trim_threshold=0"})
    assert user_settings({"MALLOC_TRIM_THRESHOLD_": "0"})
    assert user_settings({"TADMOR_MALLOC": "default"})


@glibc
def test_the_command_line_tunes_malloc_before_any_command_runs(monkeypatch):
    from tadmor import cli, heap

    monkeypatch.setattr(heap, "_tuned", [])
    calls = []
    monkeypatch.setattr(heap, "tune_malloc", lambda: calls.append(1) or True)
    monkeypatch.setattr(sys, "argv", ["tadmor", "--version"])
    with pytest.raises(SystemExit):
        cli.run()
    assert calls == [1]
