"""RemoteOK (https://remoteok.com) job source.

``client.py`` fetches, ``parser.py`` turns the JSON into drafts. A new board is added
by copying this folder and rewriting ``parser.py``.
"""

from jobs.sources.remoteok.client import DEFAULT_API_URL, RemoteOKSource
from jobs.sources.remoteok.parser import SOURCE_NAME, parse_remoteok

__all__ = ["DEFAULT_API_URL", "SOURCE_NAME", "RemoteOKSource", "parse_remoteok"]
