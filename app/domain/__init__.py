"""Facts the whole server shares, defined once: toolsets, jurisdictions, race types, zones and
credentials. Pure definitions: this package imports nothing else from `app`."""
