"""tadmor: conflict news in, structured and sourced ACLED-style events out."""

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
