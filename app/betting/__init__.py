"""Account reads and bet placement: switches, quotes, caps, the journal of attempts, audit."""
