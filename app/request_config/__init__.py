"""Per-request configuration: the settings a gateway passes with each request (jurisdiction,
toolsets, the caller's own Tabcorp credentials), how they are read and validated, and where a
tool finds them."""
