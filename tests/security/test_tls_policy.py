"""TLS to the upstream is never weakened: no switch in the code turns verification off."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.config import SettingsError, load_settings

APP = Path(__file__).resolve().parents[2] / "app"
WEAKENING = re.compile(
    r"verify\s*=\s*False|CERT_NONE|check_hostname\s*=\s*False|_create_unverified_context"
    r"|PYTHONHTTPSVERIFY")


def test_no_code_disables_certificate_verification() -> None:
    sources = sorted(APP.rglob("*.py"))
    assert len(sources) > 20
    offenders = [f"{path.relative_to(APP)}:{number}"
                 for path in sources
                 for number, line in enumerate(path.read_text().splitlines(), start=1)
                 if WEAKENING.search(line)]
    assert offenders == []


@pytest.mark.parametrize(("field", "url"), [
    ("tab_base_url", "http://api.beta.tab.com.au"),
    ("tab_token_url", "http://api.beta.tab.com.au/oauth/token"),
    ("tab_base_url", "ftp://api.beta.tab.com.au"),
    ("tab_base_url", "https://user:pass@api.beta.tab.com.au"),  # pragma: allowlist secret
])
def test_upstream_urls_must_be_https_off_loopback(field: str, url: str) -> None:
    with pytest.raises(SettingsError) as error:
        load_settings({}, **{field: url})
    assert field.upper() in str(error.value) and "pass@" not in str(error.value)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080", "http://localhost:9000",
                                 "http://[::1]:8000", "https://api.beta.tab.com.au"])
def test_loopback_may_use_plain_http(url: str) -> None:
    assert load_settings({}, tab_base_url=url).tab_base_url == url
