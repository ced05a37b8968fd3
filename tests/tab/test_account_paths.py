"""The account and betting path table: every path built, encoded and graded in one place."""

from __future__ import annotations

import pytest

from app.tab import account_paths
from app.tab.account_paths import ENDPOINTS, Host
from app.tab.errors import InvalidInput


def test_builders_fill_the_table_templates() -> None:
    assert account_paths.balance(12345678) == (
        "GET", Host.ACCOUNT, "/v1/account-service/tab/accounts/12345678/balance",
        "/v1/account-service/tab/accounts/{account}/balance")
    assert account_paths.betslip("12345678").path == (
        "/v1/tab-betting-service/accounts/12345678/betslip")
    assert account_paths.betslip("1").method == "POST"
    assert account_paths.pricing_enquiry(7).host is Host.INFO
    assert account_paths.ticket_enquiry("qld").path == "/v1/tab-betting-service/QLD/ticket-enquiry"
    assert account_paths.account_list(99).path.endswith("/customers/99/account-list")


def test_every_builder_matches_its_table_entry() -> None:
    built = {
        "authenticate": account_paths.authenticate(), "balance": account_paths.balance(1),
        "account_list": account_paths.account_list(1), "my_bets": account_paths.my_bets(1),
        "transactions": account_paths.transactions(1),
        "transactional_records": account_paths.transactional_records(1),
        "betslip_enquiry": account_paths.betslip_enquiry(1),
        "betslip": account_paths.betslip(1), "ticket_enquiry": account_paths.ticket_enquiry("NSW"),
        "pricing_enquiry": account_paths.pricing_enquiry(1),
        "public_enquiry": account_paths.public_enquiry(),
    }
    assert set(built) == set(ENDPOINTS)
    for name, route in built.items():
        entry = ENDPOINTS[name]
        assert (route.method, route.host, route.template) == (
            entry.method, entry.host, entry.template)
        assert "{" not in route.path and entry.grade in ("H", "M", "M/H")


@pytest.mark.parametrize("bad", ["12/34", "..", "12%2F34", "", "abc", "1" * 13, True, 1.5,
                                 "-1", "١٢٣"])
def test_account_numbers_that_could_leave_their_segment_are_refused(bad: object) -> None:
    with pytest.raises(InvalidInput, match="account_number"):
        account_paths.balance(bad)  # type: ignore[arg-type]


def test_a_bad_jurisdiction_is_refused_naming_the_choices() -> None:
    with pytest.raises(InvalidInput, match="jurisdiction"):
        account_paths.ticket_enquiry("WA")
