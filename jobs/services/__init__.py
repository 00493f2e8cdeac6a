"""Writes for the job corpus. Import from the submodules; this package only groups them:

- ``upsert``: storing postings (companies, jobs, search vectors, reposts)
- ``scraping``: scrape runs of a source
- ``importing``: importing files (RemoteOK responses, JSONL, CSV)
- ``moderation``: staff actions and expiry
- ``enrichment``: the seam to enrichment
"""
