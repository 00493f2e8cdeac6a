"""Postings from files whose columns are mapped to job fields (JSONL, CSV imports)."""
