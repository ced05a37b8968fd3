"""The log redactor keeps every live session secret, whatever other sessions register."""

from __future__ import annotations

from app.observability.redaction import REDACTED, Redactor
from app.primitives.substring_index import SubstringIndex
from tests.support.clock import FakeClock


def test_other_sessions_cannot_evict_a_live_secret() -> None:
    redactor = Redactor()
    victim = "Victim-Password-7f3e"
    redactor.add_session_secrets([victim])
    for n in range(3000):  # more sets than any count-bounded table would keep
        redactor.add_session_secrets([f"attacker-{n:05d}-secret"])
    assert redactor.text(f"login failed for {victim}!") == f"login failed for {REDACTED}!"


def test_secrets_unused_for_the_idle_period_are_forgotten_and_used_ones_kept() -> None:
    clock = FakeClock(0.0)
    redactor = Redactor(session_idle_seconds=100, clock=clock)
    redactor.add_session_secrets(["kept-secret-1234", "stale-secret-5678"])
    for _ in range(4):
        clock.now += 40
        redactor.add_session_secrets(["kept-secret-1234"])
    assert redactor.text("stale-secret-5678") == "stale-secret-5678"
    assert redactor.text("kept-secret-1234") == REDACTED
    assert redactor.session_secret_count == 1


def test_encoded_forms_and_overlapping_secrets_are_redacted_whole() -> None:
    redactor = Redactor()
    redactor.add_session_secrets(["p@ss word!", "p@ss word!-longer"])
    line = "a p%40ss%20word%21 b p%40ss+word%21 c p@ss word!-longer d p@ss word!"
    assert redactor.text(line) == f"a {REDACTED} b {REDACTED} c {REDACTED} d {REDACTED}"


def test_the_index_finds_exactly_the_registered_strings_present() -> None:
    index = SubstringIndex()
    for value in ("abcdef", "abcdxy", "zzzz", "abcdefgh"):
        index.add(value)
    assert index.found_in("..abcdefgh..zzz.") == ["abcdefgh", "abcdef"]
    index.discard("abcdefgh")
    index.discard("never-added")
    assert index.found_in("..abcdefgh..zzzz") == ["abcdef", "zzzz"]
    assert len(index) == 3
    assert index.found_in("abc") == []
