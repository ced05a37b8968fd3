"""The pricing enquiry for a drafted bet, its answer as a `Quote`, and the bet in words.

Bodies follow the API notes where they describe them (a fixed-odds bet's `legs[{type,
propositionId}]`, a same-game multi's `SAME_GAME_MULTI` leg with `propositions[]`, the answer's
`bets[{status, legs[{odds{decimal}, redundantPropositions, decoToken}]}]`); the same-race
multi leg and the tote exotic bet (`type: PARIMUTUEL`, one leg naming its race and the runners
per place, the stake being the whole outlay) are modelled on them and unverified.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from app.betting.drafts import Draft, QuoteProblem
from app.betting.money import amount
from app.betting.quotes import EXOTICS, MULTIS, Quote, positions, proposition_ids
from app.tab.shapes import nested_object, record_list, records, value_list

ENQUIRY = "pricing-service/accounts/{account}/enquiry"
_KIND = {"WIN": "to win", "PLACE": "for a place", "EACH_WAY": "each way",
         "SAME_RACE_MULTI": "same-race multi", "SAME_GAME_MULTI": "same-game multi",
         "QUINELLA": "quinella", "EXACTA": "exacta", "DUET": "duet", "TRIFECTA": "trifecta",
         "FIRST4": "first four"}
_ORDINALS = ("1st", "2nd", "3rd", "4th")


def stake_text(cents: int) -> str:
    """Cents as a betting body writes a stake: `"12.50"`."""
    return f"{cents // 100}.{cents % 100:02d}"


def leg_body(bet_type: str, proposition_ids: tuple[int, ...]) -> dict[str, Any]:
    """The one leg of a fixed-odds bet: a runner, or a multi's propositions."""
    if bet_type in MULTIS:
        return {"type": bet_type, "propositions": [{"type": "WIN", "propositionId": n}
                                                   for n in proposition_ids]}
    return {"type": "PLACE" if bet_type == "PLACE" else "WIN",
            "propositionId": proposition_ids[0]}


def tote_leg(race: dict[str, Any] | None, positions: list[list[int]]) -> dict[str, Any]:
    """The one leg of a tote exotic: its race and the runners per place (unverified)."""
    return {"race": race, "selections": positions}


def enquiry_body(draft: Draft) -> dict[str, Any]:
    """The pricing enquiry for `draft` (nothing placed)."""
    if draft.bet_type in EXOTICS:
        return {"bets": [{"type": "PARIMUTUEL", "betType": draft.bet_type,
                          "stake": stake_text(draft.stake_cents),
                          "legs": [tote_leg(draft.race, positions(draft.picks))]}]}
    return {"bets": [{"type": "FIXED_ODDS", "betType": draft.bet_type,
                      "stake": stake_text(draft.stake_cents),
                      "legs": [leg_body(draft.bet_type, proposition_ids(draft.picks))]}]}


def _decimal(leg: dict[str, Any], key: str) -> float | None:
    value = leg.get(key)
    return amount(nested_object(leg, key, ENQUIRY).get("decimal")) if isinstance(
        value, dict) else amount(value)


def _refused(bet: dict[str, Any]) -> None:
    errors = record_list(bet.get("errors"), "bets[0].errors", ENQUIRY)
    if errors or bet.get("status") == "error":
        reasons = "; ".join(str(e.get("message") or e.get("code")) for e in errors)
        raise QuoteProblem(f"TAB will not price this bet: {reasons or 'no reason given'}")


def _dropped(draft: Draft, leg: dict[str, Any]) -> tuple[Draft, list[str]]:
    """`draft` without the propositions TAB will not combine, and what was dropped."""
    redundant = {n for n in value_list(leg.get("redundantPropositions"),
                                       "redundantPropositions", ENQUIRY) if isinstance(n, int)}
    dropped = [p for p in draft.picks if p.proposition_id in redundant]
    if not dropped:
        return draft, []
    kept = tuple(p for p in draft.picks if p.proposition_id not in redundant)
    notes = [f"TAB will not combine {_pick_words(p, draft.bet_type)} with the other legs: it "
             "is dropped and the price covers the rest" for p in dropped]
    return replace(draft, picks=kept), notes


def priced_quote(answer: Any, draft: Draft, *, key_id: str, expires_at: float,
                 nonce: str) -> tuple[Quote, list[str]]:
    """The quote the enquiry's answer prices, and what changed or was dropped on the way."""
    bets = records(answer, "bets", ENQUIRY)
    if not bets:
        raise QuoteProblem("TAB's pricing answer priced nothing; try again shortly")
    _refused(bets[0])
    legs = record_list(bets[0].get("legs"), "bets[0].legs", ENQUIRY)
    leg = legs[0] if legs else {}
    draft, changes = _dropped(draft, leg)
    if draft.bet_type in MULTIS and len(draft.picks) < 2:
        raise QuoteProblem("TAB will combine only one of these legs, which is no multi; "
                           "pick legs from different markets")
    odds = None if draft.bet_type in EXOTICS else _decimal(leg, "odds")
    if odds is None and draft.bet_type not in EXOTICS:
        raise QuoteProblem("TAB's pricing answer carried no price; try again shortly")
    place = _decimal(leg, "placeOdds") if draft.bet_type == "EACH_WAY" else None
    tokens = tuple(t for each in legs if isinstance(t := each.get("decoToken"), str))
    combinations = leg.get("combinations")
    if draft.bet_type in EXOTICS and isinstance(combinations, int) and (
            combinations != draft.combinations):
        raise QuoteProblem(f"TAB counts {combinations} combinations where this server counts "
                           f"{draft.combinations}; check the selections")
    quote = Quote(key_id, draft.bet_type, draft.event, draft.event_type, draft.start,
                  draft.picks, draft.stake_cents, odds, place, tokens, expires_at, nonce,
                  draft.combinations, draft.race)
    if draft.card_odds is not None and odds is not None and abs(draft.card_odds - odds) > 1e-9:
        changes.append(f"the price is {odds:.2f}, not the race card's {draft.card_odds:.2f}")
    return quote, changes


def potential_return(quote: Quote) -> float | None:
    """What the bet returns if it wins (each way: win and place both paying); None for a tote
    bet, which pays the dividend."""
    if quote.odds is None:
        return None
    stake = quote.stake_cents / 100
    total = stake * quote.odds + (stake * quote.place_odds if quote.place_odds else 0)
    return round(total, 2)


def _pick_words(pick: Any, bet_type: str) -> str:
    name = f"{pick.number}. {pick.name}" if pick.number is not None else pick.name
    if bet_type == "SAME_RACE_MULTI":
        return f"{name} {'to win' if pick.position == 1 else f'in the top {pick.position}'}"
    return name


def selections_words(quote: Quote) -> str:
    """The selections in words: runners per place for exotics, legs for multis."""
    if quote.tote:
        places = [[p for p in quote.picks if p.position == n]
                  for n in range(1, len(quote.positions) + 1)]
        if len(places) == 1:
            where = "in the first three" if quote.bet_type == "DUET" else "first and second"
            runners = ", ".join(f"{p.number}. {p.name}" for p in places[0])
            return f"any two of {runners} {where}, in either order"
        return "; ".join(f"{_ORDINALS[i]}: " + ", ".join(f"{p.number}. {p.name}" for p in group)
                         for i, group in enumerate(places))
    return " + ".join(_pick_words(p, quote.bet_type) for p in quote.picks)


def selection_lines(quote: Quote) -> list[str]:
    """One line per selection: `4. SWIFT`, `4. SWIFT in the top 2`, `2nd: 4. SWIFT`, or
    `Head To Head: Adelaide`."""
    if quote.tote and len(quote.positions) > 1:
        return [f"{_ORDINALS[p.position - 1]}: {p.number}. {p.name}" for p in quote.picks]
    return [_pick_words(p, quote.bet_type) for p in quote.picks]


def _cost_words(quote: Quote) -> str:
    cost = f"${quote.cost_cents / 100:.2f}"
    if not quote.tote:
        return f"costs {cost}"
    flexi = quote.stake_cents * 100 // max(1, quote.combinations)  # hundredths of a percent
    return (f"{quote.combinations} combination{'s' * (quote.combinations != 1)} for {cost} "
            f"({flexi / 100:.2f}% of a $1 unit each)")


def in_words(quote: Quote) -> str:
    """The bet restated in one sentence."""
    kind = _KIND.get(quote.bet_type, quote.bet_type)
    if quote.tote:
        return (f"{kind.capitalize()} on {quote.event}: {selections_words(quote)}; "
                f"{_cost_words(quote)}; tote: pays the dividend")
    price = (f"at {quote.odds:.2f} win / {quote.place_odds:.2f} place" if quote.place_odds
             else f"at {quote.odds or 0:.2f}")
    stake = f"${quote.stake_cents / 100:.2f} {kind}"
    return (f"{stake} on {selections_words(quote)}, {quote.event}, {price}: "
            f"{_cost_words(quote)}, returns ${potential_return(quote) or 0:.2f} if it wins")
