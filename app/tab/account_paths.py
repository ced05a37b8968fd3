"""Every account and betting path of the upstream, in one table, with its confidence grade.

Grades are those of the API notes: **H** seen in a real payload or a long-lived client, **M**
one credible consumer (some paths only, bodies unseen). Correct a path here and every caller
follows. The account-service and tab-betting-service live on the legacy account host; the
pricing service on the info host. Builders validate and percent-encode every slot the way
`app.tab.paths` does for racing paths and raise `InvalidInput` naming the bad argument.
"""

from __future__ import annotations

import enum
import re
from typing import NamedTuple

from app.tab.errors import InvalidInput
from app.tab.paths import jurisdiction, segment


class Host(enum.Enum):
    """Which upstream host a path belongs to."""

    ACCOUNT = "account"  # https://webapi.tab.com.au (header TabcorpAuth, or a bearer)
    INFO = "info"  # https://api.beta.tab.com.au


DEFAULT_HOST_URLS = {Host.ACCOUNT: "https://webapi.tab.com.au",
                     Host.INFO: "https://api.beta.tab.com.au"}

_ACCOUNT = "/v1/account-service/tab"
_BETTING = "/v1/tab-betting-service"
_PRICING = "/v1/pricing-service"
_DIGITS = re.compile(r"[0-9]{1,12}")


class Endpoint(NamedTuple):
    """One account or betting endpoint as observed."""

    method: str
    host: Host
    template: str  # the metrics label and the shape of the path
    grade: str  # H, M or M/H; "paths only" in `note` when no body was ever seen
    note: str = ""


class AccountRoute(NamedTuple):
    """A request to send: method, host, encoded path and the template it was built from."""

    method: str
    host: Host
    path: str
    template: str


ENDPOINTS: dict[str, Endpoint] = {
    "authenticate": Endpoint("POST", Host.ACCOUNT, _ACCOUNT + "/authenticate", "H"),
    "balance": Endpoint("GET", Host.ACCOUNT, _ACCOUNT + "/accounts/{account}/balance", "H"),
    "account_list": Endpoint("GET", Host.ACCOUNT,
                             _ACCOUNT + "/customers/{customer}/account-list", "M",
                             "query channel=TABCOMAU"),
    "my_bets": Endpoint("GET", Host.ACCOUNT, _ACCOUNT + "/accounts/{account}/my-bets", "M",
                        "path only; body and parameters unverified"),
    "transactions": Endpoint("GET", Host.ACCOUNT, _ACCOUNT + "/accounts/{account}/transactions",
                             "M", "path only; optional count; body unverified"),
    "transactional_records": Endpoint("GET", Host.ACCOUNT,
                                      _ACCOUNT + "/accounts/{account}/transactional-records",
                                      "M", "path only; body unverified"),
    "betslip_enquiry": Endpoint("POST", Host.ACCOUNT,
                                _BETTING + "/accounts/{account}/betslip-enquiry", "M",
                                "query jurisdiction"),
    "betslip": Endpoint("POST", Host.ACCOUNT, _BETTING + "/accounts/{account}/betslip", "M",
                        "query jurisdiction; 201 with populated errors = bet not placed"),
    "ticket_enquiry": Endpoint("POST", Host.ACCOUNT, _BETTING + "/{jurisdiction}/ticket-enquiry",
                               "M", "path only"),
    "pricing_enquiry": Endpoint("POST", Host.INFO, _PRICING + "/accounts/{account}/enquiry", "M",
                                "mints a decoToken per leg"),
    "public_enquiry": Endpoint("POST", Host.INFO, _PRICING + "/enquiry", "M/H",
                               "no auth; same-game-multi pricing"),
}


def _number(value: int | str, what: str) -> str:
    text = str(value).strip() if isinstance(value, int | str) and not isinstance(
        value, bool) else ""
    if not _DIGITS.fullmatch(text):
        raise InvalidInput(f"{what} must be digits only (at most 12)")
    return segment(text, what=what)


def _build(name: str, **slots: str) -> AccountRoute:
    endpoint = ENDPOINTS[name]
    path = endpoint.template
    for slot, value in slots.items():
        path = path.replace("{" + slot + "}", value)
    return AccountRoute(endpoint.method, endpoint.host, path, endpoint.template)


def authenticate() -> AccountRoute:
    """Sign in with account number and password (JSON body)."""
    return _build("authenticate")


def balance(account_number: int | str) -> AccountRoute:
    """The account's balance and withdrawable balance."""
    return _build("balance", account=_number(account_number, "account_number"))


def account_list(customer_id: int | str) -> AccountRoute:
    """The customer's accounts."""
    return _build("account_list", customer=_number(customer_id, "customer_id"))


def my_bets(account_number: int | str) -> AccountRoute:
    """The account's bets (running and settled)."""
    return _build("my_bets", account=_number(account_number, "account_number"))


def transactions(account_number: int | str) -> AccountRoute:
    """The account's recent transactions."""
    return _build("transactions", account=_number(account_number, "account_number"))


def transactional_records(account_number: int | str) -> AccountRoute:
    """The account's transactional records."""
    return _build("transactional_records", account=_number(account_number, "account_number"))


def betslip_enquiry(account_number: int | str) -> AccountRoute:
    """Check a betslip without placing it."""
    return _build("betslip_enquiry", account=_number(account_number, "account_number"))


def betslip(account_number: int | str) -> AccountRoute:
    """Place a betslip (idempotent per `transactionId`)."""
    return _build("betslip", account=_number(account_number, "account_number"))


def ticket_enquiry(jurisdiction_code: str) -> AccountRoute:
    """Enquire about a ticket in a jurisdiction."""
    return _build("ticket_enquiry", jurisdiction=jurisdiction(jurisdiction_code))


def pricing_enquiry(account_number: int | str) -> AccountRoute:
    """Price legs for an account and mint their decoTokens."""
    return _build("pricing_enquiry", account=_number(account_number, "account_number"))


def public_enquiry() -> AccountRoute:
    """Price legs without an account (same-game multi)."""
    return _build("public_enquiry")
