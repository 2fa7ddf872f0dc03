"""The networks' matrix products on NumPy's BLAS, one thread at a time.

spaCy's networks multiply their matrices through thinc's ``NumpyOps``, which
calls the BLIS library that the ``blis`` wheel bundles. That BLIS picks its
kernel by CPU model and, on a CPU it does not recognise, falls back to its
``generic`` kernel, written without vector instructions: on this project's
hosts (AMD EPYC with AVX-512) it says ``libblis: selecting sub-configuration
'generic'`` when run with ``BLIS_ARCH_DEBUG=1``. NumPy's own OpenBLAS picks an
AVX-512 kernel on the same CPU and multiplies the tok2vec layers' matrices
about three times as fast.

``use_numpy_blas`` gives every layer of the loaded pipeline thinc's
``NumpyOps(use_blis=False)``, whose ``gemm`` is ``numpy.dot``; everything else
thinc does is unchanged. The parser's and NER's per-step products stay on BLIS
(spaCy calls it from compiled code). The results are the same: tags,
dependencies and entities on all 4,135 dev texts are identical either way
(bench/PROFILE.md), and ``tests/test_nlp.py`` compares them on written texts.

OpenBLAS would start a thread per core for a product; on small matrices the
threads cost more than they save and take the core a second worker needs, so
``one_blas_thread`` holds it to one thread while tadmor parses.
``Config.blas = "blis"`` keeps thinc's default.
"""

from __future__ import annotations

from contextlib import nullcontext

_controller = None


def use_numpy_blas(nlp) -> None:
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _name, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for layer in model.walk():
            if isinstance(layer.ops, NumpyOps):
                layer.ops = ops


def one_blas_thread():
    """A context in which NumPy's BLAS runs on one thread (restored after)."""
    global _controller
    if _controller is None:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:  # pragma: no cover - a pinned dependency
            return nullcontext()
        _controller = ThreadpoolController()
    return _controller.limit(limits=1, user_api="blas")
