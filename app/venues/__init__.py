"""Venue names: which meeting a venue argument names on a day, and the per-day directory
of meeting identities that answers it without refetching the meetings list."""
