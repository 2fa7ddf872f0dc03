"""Actors: the catalogue of canonical ACLED actors, mentions in text, naming, and roles.

    from tadmor.actors import ActorResolver, ActorMention, span_patterns

Nothing is loaded at import time: the catalogue is read on first use.
"""

from .patterns import span_patterns
from .resolver import ActorMention, ActorResolver

__all__ = ["ActorMention", "ActorResolver", "span_patterns"]
