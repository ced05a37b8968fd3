"""Sports and competitions the sandbox offers, with their teams and fixture rhythm."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Competition:
    """A competition: who plays, how often, when, and which markets it offers."""

    cid: int
    sport: str
    name: str
    teams: tuple[str, ...]
    period_days: int  # a round every `period_days` days
    per_round: int
    slots: tuple[tuple[int, int], ...]  # (day offset in the round, local minutes) per match
    zone: str
    kind: str  # team | soccer | tennis | golf
    total: float  # typical points total (team sports) or goals (soccer)
    duration_hours: float
    tournaments: tuple[str, ...] = ()

    @property
    def spectrum_id(self) -> str:
        """Upper-case identifier used across Tabcorp systems."""
        return self.name.upper().replace(" ", "_")


@dataclass(frozen=True)
class Sport:
    """A sport and its competitions."""

    sid: int
    name: str
    display_name: str
    competitions: tuple[Competition, ...]


_AFL = ("Adelaide", "Brisbane", "Carlton", "Collingwood", "Essendon", "Fremantle", "Geelong",
        "Gold Coast", "GWS Giants", "Hawthorn", "Melbourne", "North Melbourne", "Port Adelaide",
        "Richmond", "St Kilda", "Sydney", "West Coast", "Western Bulldogs")
_NRL = ("Broncos", "Bulldogs", "Cowboys", "Dolphins", "Dragons", "Eels", "Knights", "Panthers",
        "Rabbitohs", "Raiders", "Roosters", "Sea Eagles", "Sharks", "Storm", "Titans",
        "Warriors", "Wests Tigers")
_NBA = ("Lakers", "Warriors", "Celtics", "Knicks", "Bulls", "Heat", "Nuggets", "Suns", "Bucks",
        "Mavericks", "76ers", "Clippers", "Grizzlies", "Kings", "Thunder", "Timberwolves")
_NBL = ("Sydney Kings", "Melbourne United", "Perth Wildcats", "Brisbane Bullets",
        "Adelaide 36ers", "Illawarra Hawks", "Cairns Taipans", "Tasmania JackJumpers",
        "SE Melbourne Phoenix", "NZ Breakers")
_EPL = ("Arsenal", "Aston Villa", "Bournemouth", "Brentford", "Brighton", "Chelsea",
        "Crystal Palace", "Everton", "Fulham", "Liverpool", "Man City", "Man Utd", "Newcastle",
        "Nottm Forest", "Tottenham", "West Ham", "Wolves", "Leeds", "Burnley", "Sunderland")
_ALM = ("Sydney FC", "Melbourne Victory", "Melbourne City", "Western Sydney", "Adelaide United",
        "Brisbane Roar", "Central Coast", "Perth Glory", "Wellington", "Macarthur",
        "Newcastle Jets", "Western United")

_WEEKEND = ((1, 19 * 60 + 40), (2, 16 * 60 + 15), (2, 19 * 60 + 30), (2, 13 * 60 + 45),
            (3, 13 * 60 + 10), (3, 15 * 60 + 20), (3, 18 * 60 + 10), (0, 19 * 60 + 30),
            (2, 19 * 60 + 35), (4, 19 * 60 + 20))
_UK = ((2, 12 * 60 + 30), (2, 15 * 60), (2, 15 * 60), (2, 15 * 60), (2, 17 * 60 + 30),
       (3, 14 * 60), (3, 14 * 60), (3, 16 * 60 + 30), (4, 20 * 60), (2, 15 * 60))
_NIGHTS = ((0, 19 * 60), (0, 19 * 60 + 30), (0, 20 * 60), (0, 21 * 60), (0, 22 * 60),
           (0, 19 * 60 + 30))

SPORTS: tuple[Sport, ...] = (
    Sport(1, "AFL Football", "AFL", (
        Competition(101, "AFL Football", "AFL", _AFL, 7, 9, _WEEKEND, "Australia/Melbourne",
                    "team", 165.5, 3.0),)),
    Sport(2, "Rugby League", "NRL", (
        Competition(201, "Rugby League", "NRL", _NRL, 7, 8, _WEEKEND, "Australia/Sydney",
                    "team", 42.5, 2.5),)),
    Sport(3, "Basketball", "Basketball", (
        Competition(301, "Basketball", "NBA", _NBA, 1, 6, _NIGHTS, "America/New_York",
                    "team", 224.5, 3.0),
        Competition(302, "Basketball", "NBL", _NBL, 7, 5, _WEEKEND, "Australia/Sydney",
                    "team", 176.5, 2.5),)),
    Sport(4, "Soccer", "Soccer", (
        Competition(401, "Soccer", "English Premier League", _EPL, 7, 10, _UK, "Europe/London",
                    "soccer", 2.5, 2.0),
        Competition(402, "Soccer", "A League Men", _ALM, 7, 6, _WEEKEND, "Australia/Sydney",
                    "soccer", 2.5, 2.0),)),
    Sport(5, "Tennis", "Tennis", (
        Competition(501, "Tennis", "ATP Tour", (), 7, 8, (), "Asia/Shanghai", "tennis", 0, 3.0,
                    ("Shanghai Masters", "Vienna Open", "Paris Masters", "Basel Open",
                     "Tokyo Open", "Stockholm Open")),)),
    Sport(6, "Golf", "Golf", (
        Competition(601, "Golf", "US PGA Tour", (), 7, 1, (), "America/New_York", "golf", 0,
                    96.0, ("Tour Championship", "Texas Open", "Sanderson Classic",
                           "Shriners Open", "Zozo Classic", "Bermuda Championship")),)),
)


def find_sport(name: str) -> Sport | None:
    """The sport with this name (as in the path), if any."""
    for sport in SPORTS:
        if sport.name == name:
            return sport
    return None


def find_competition(sport: Sport, name: str) -> Competition | None:
    """The competition of `sport` with this name, if any."""
    for comp in sport.competitions:
        if comp.name == name:
            return comp
    return None
