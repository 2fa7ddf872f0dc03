"""The Python daemon of tadmor's Spark executors: PySpark's own, run from the installed PySpark.

Spark starts one Python daemon per executor (``python -m <spark.python.daemon.module>``),
which forks the Python workers, with its own ``python/lib/pyspark.zip`` first on
``PYTHONPATH``. Nothing in that zip is compiled, so the daemon and every worker it
forked compiled PySpark from source: the daemon's and a worker's PySpark imports took
0.84-0.94 s, against 0.12-0.14 s from the installed package, before a worker ran its
first line of tadmor (``bench/PROFILE.md``). Where PySpark is installed from PyPI, Spark's home *is*
the installed package, so that zip holds the very same release as the compiled
package beside it: ``prefer_installed_pyspark`` then moves the zip behind the
package on ``sys.path``, and PySpark's daemon runs unchanged from there. Anywhere
else (a cluster's own Spark distribution, whose release need not match an
installed PySpark) the path is left as Spark set it.
"""

from __future__ import annotations

import os
import sys


def prefer_installed_pyspark(path: list[str] = sys.path) -> bool:
    """Move Spark's ``pyspark.zip`` behind the installed PySpark it was shipped in; True if moved."""
    installed = None
    for entry in path:
        if entry.endswith(".zip") or not os.path.isfile(os.path.join(entry or ".", "pyspark", "__init__.py")):
            continue
        installed = os.path.realpath(os.path.join(entry or ".", "pyspark"))
        break
    if installed is None:
        return False
    shipped = [e for e in path if e.endswith(".zip") and os.path.basename(e) == "pyspark.zip"
               and os.path.realpath(e).startswith(installed + os.sep)]
    for entry in shipped:
        path.remove(entry)
        path.append(entry)
    return bool(shipped)


def main() -> None:
    prefer_installed_pyspark()
    from pyspark.daemon import manager

    manager()  # reads the worker module from sys.argv, as Spark passes it


if __name__ == "__main__":
    main()
