"""The venue catalogue: Australian and international tracks, with mnemonics and race days."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

ZONES = {
    "NSW": "Australia/Sydney", "ACT": "Australia/Sydney", "VIC": "Australia/Melbourne",
    "QLD": "Australia/Brisbane", "SA": "Australia/Adelaide", "WA": "Australia/Perth",
    "TAS": "Australia/Hobart", "NT": "Australia/Darwin", "NZL": "Pacific/Auckland",
    "HKG": "Asia/Hong_Kong", "JPN": "Asia/Tokyo", "GBR": "Europe/London", "IRL": "Europe/Dublin",
    "FRA": "Europe/Paris", "USA": "America/New_York", "CAN": "America/Toronto",
    "SAF": "Africa/Johannesburg", "SAM": "America/Argentina/Buenos_Aires",
}
#: Venues whose zone is not their country's main one.
_VENUE_ZONES = {"SANTA ANITA": "America/Los_Angeles", "WOODBINE": "America/Toronto"}
AU_STATES = ("NSW", "VIC", "QLD", "SA", "WA", "TAS", "NT", "ACT")
_DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
#: Sell-code letters by state (meetingCode); international venues carry their own.
_SELL = {"NSW": "S", "ACT": "S", "VIC": "M", "QLD": "B", "SA": "A", "WA": "W", "TAS": "T",
         "NT": "N"}


@dataclass(frozen=True)
class Venue:
    """One track. `mnemonic` is None for fixed-odds-only international meetings."""

    name: str
    mnemonic: str | None
    location: str
    race_type: str
    tier: int  # 1 metropolitan, 2 provincial, 3 country, 4 international tote, 5 fixed-odds only
    days: frozenset[int]
    night: bool
    sell_code: str

    @property
    def zone(self) -> ZoneInfo:
        """The venue's time zone."""
        return ZoneInfo(_VENUE_ZONES.get(self.name, ZONES[self.location]))

    @property
    def key(self) -> str:
        """Stable identity for seeding: race type plus mnemonic (or name)."""
        return f"{self.race_type}-{self.mnemonic or self.name}"

    @property
    def australian(self) -> bool:
        """True for venues in an Australian state or territory."""
        return self.location in AU_STATES

    @property
    def fixed_odds_only(self) -> bool:
        """International meetings offered on fixed odds only (no mnemonic, no tote)."""
        return self.tier == 5

    @property
    def sky_code(self) -> str:
        """The four-letter code Sky Racing replay files use, e.g. WAFR for Warwick Farm R."""
        words = self.name.replace("-", " ").split()
        stem = words[0][:3] if len(words) == 1 else words[0][:2] + words[1][:1]
        return (stem + "XXX")[:3] + self.race_type

    @property
    def abbreviation(self) -> str:
        """The four-letter venue abbreviation used in form lines, e.g. RAND."""
        words = self.name.split()
        return (words[0][:4] if len(words) == 1 else words[0][:2] + words[1][:2]).upper()

    @property
    def display_name(self) -> str:
        """Title-case name (used by fixed-odds-only meetings)."""
        return " ".join(w.capitalize() for w in self.name.split())


# name | mnemonic | location | type | tier | days | night
_TABLE = """
RANDWICK|RAN|NSW|R|1|sat|
ROSEHILL|ROS|NSW|R|1|sat|
WARWICK FARM|WFM|NSW|R|1|wed|
CANTERBURY|CAN|NSW|R|1|wed fri|n
NEWCASTLE|NEW|NSW|R|2|thu sat|
KEMBLA GRANGE|KEM|NSW|R|2|tue sat|
HAWKESBURY|HKB|NSW|R|2|thu sun|
GOSFORD|GOS|NSW|R|2|mon thu|
WYONG|WYO|NSW|R|2|tue fri|
SCONE|SCN|NSW|R|3|mon sun|
TAMWORTH|TAM|NSW|R|3|wed|
DUBBO|DUB|NSW|R|3|fri|
CANBERRA|CBA|ACT|R|3|thu sun|
FLEMINGTON|FLE|VIC|R|1|sat|
CAULFIELD|CAU|VIC|R|1|wed sat|
MOONEE VALLEY|MVL|VIC|R|1|fri|n
SANDOWN|SAP|VIC|R|1|wed sun|
GEELONG|GEL|VIC|R|2|wed thu|
BALLARAT|BRT|VIC|R|2|sun fri|
PAKENHAM|PKM|VIC|R|2|thu|n
CRANBOURNE|CRN|VIC|R|2|sun fri|
MORNINGTON|MRN|VIC|R|2|tue wed|
SALE|SAL|VIC|R|3|sun mon|
WARRNAMBOOL|WBL|VIC|R|3|tue|
EAGLE FARM|EAG|QLD|R|1|wed sat|
DOOMBEN|DOO|QLD|R|1|wed sat|
GOLD COAST|GCS|QLD|R|2|thu sat|
SUNSHINE COAST|SCT|QLD|R|2|sun thu|n
IPSWICH|IPS|QLD|R|2|wed fri|
TOOWOOMBA|TWB|QLD|R|2|sat|n
ROCKHAMPTON|RKH|QLD|R|3|fri sun|
TOWNSVILLE|TSV|QLD|R|3|sat mon|
MORPHETTVILLE|MOR|SA|R|1|sat wed|
MORPHETTVILLE PARKS|MPK|SA|R|2|thu|
GAWLER|GAW|SA|R|2|fri tue|
MURRAY BRIDGE|MUR|SA|R|2|tue sun|
ASCOT|ASC|WA|R|1|sat wed|
BELMONT|BEL|WA|R|1|sun wed|
NORTHAM|NTM|WA|R|2|fri mon|
PINJARRA|PIN|WA|R|2|mon thu|
ELWICK|HBT|TAS|R|2|sun|
LAUNCESTON|LST|TAS|R|2|wed|n
DARWIN|DAR|NT|R|3|sat|
ALICE SPRINGS|ALI|NT|R|3|sun|
MENANGLE|MEN|NSW|H|1|sat tue|n
PENRITH|PEN|NSW|H|2|thu|n
BATHURST|BAT|NSW|H|2|wed|n
NEWCASTLE|NCH|NSW|H|2|fri mon|n
MELTON|MEL|VIC|H|1|sat|n
BALLARAT|BAL|VIC|H|2|wed|n
BENDIGO|BGH|VIC|H|2|sun|
SHEPPARTON|SHE|VIC|H|3|mon|
KILMORE|KIL|VIC|H|3|thu fri|
ALBION PARK|ALB|QLD|H|1|tue thu sat|n
REDCLIFFE|RED|QLD|H|2|wed fri sun|
MARBURG|MRB|QLD|H|3|sun|
GLOBE DERBY|GDP|SA|H|1|sat mon|n
GLOUCESTER PARK|GLP|WA|H|1|fri tue|n
PINJARRA|PJH|WA|H|2|mon|
HOBART|HOB|TAS|H|2|sun wed|
LAUNCESTON|LNH|TAS|H|2|fri|n
WENTWORTH PARK|WPK|NSW|G|1|sat wed|n
RICHMOND|RIC|NSW|G|2|tue fri|n
THE GARDENS|TGA|NSW|G|2|mon fri|n
DAPTO|DAP|NSW|G|2|thu|n
NOWRA|NOW|NSW|G|3|mon sat|
BULLI|BUL|NSW|G|3|tue wed|
GOULBURN|GGN|NSW|G|3|mon|
TAREE|TRE|NSW|G|3|tue sun|
GOSFORD|GOG|NSW|G|3|thu|
THE MEADOWS|MEA|VIC|G|1|sat wed|n
SANDOWN PARK|SAN|VIC|G|1|thu sun|n
HEALESVILLE|HSV|VIC|G|2|wed fri|
BALLARAT|BAG|VIC|G|2|mon thu|n
BENDIGO|BEN|VIC|G|2|sun wed|
GEELONG|GEG|VIC|G|2|fri|n
SALE|SLG|VIC|G|3|tue sat|
WARRAGUL|WGL|VIC|G|3|mon|
TRARALGON|TRL|VIC|G|3|tue thu|
HORSHAM|HOR|VIC|G|3|sat|
SHEPPARTON|SHG|VIC|G|3|thu mon|n
Q1 LAKESIDE|QLE|QLD|G|1|sat wed|n
IPSWICH|IPS|QLD|G|2|tue thu sat|n
GOLD COAST|GCS|QLD|G|2|fri sun|
CAPALABA|CPL|QLD|G|2|mon thu|
ROCKHAMPTON|ROC|QLD|G|3|fri tue|
TOWNSVILLE|TVG|QLD|G|3|sat|
ANGLE PARK|APK|SA|G|1|mon thu sat|n
MURRAY BRIDGE|MBG|SA|G|2|tue fri|
MOUNT GAMBIER|MTG|SA|G|3|wed sun|
GAWLER|GWG|SA|G|3|sun|
CANNINGTON|CNP|WA|G|1|sat wed fri|n
MANDURAH|MDH|WA|G|2|sun thu|
NORTHAM|NOG|WA|G|3|tue|
LAUNCESTON|LCG|TAS|G|2|tue sun|
HOBART|HBG|TAS|G|2|thu|n
DARWIN|DRG|NT|G|3|sat|n
HAPPY VALLEY|HAP|HKG|R|4|wed|n
SHA TIN|STN|HKG|R|4|sat sun|
TOKYO|TKY|JPN|R|4|sat sun|
URAWA|URA|JPN|R|4|mon tue wed|
KEMPTON PARK|KNP|GBR|R|4|wed mon|
GOODWOOD|GDW|GBR|R|4|tue fri|
ASCOT UK|AUK|GBR|R|4|sat|
LISTOWEL|LIS|IRL|R|4|thu|
LEOPARDSTOWN|LEP|IRL|R|4|sun|
CHANTILLY|CLY|FRA|R|4|mon|
LONGCHAMP|LCP|FRA|R|4|sun|
DURBANVILLE|DBV|SAF|R|4|fri|
SANTA ANITA|SAA|USA|R|4|fri sat|
BELMONT PARK|BMP|USA|R|4|thu sun|
ELLERSLIE|ELR|NZL|R|4|sat|
TRENTHAM|TRT|NZL|R|4|wed|
YONKERS|YKS|USA|H|4|mon tue|n
ADDINGTON|ADD|NZL|H|4|fri|n
ROMFORD||GBR|G|5|mon tue wed thu fri sat sun|
HOVE||GBR|G|5|mon tue wed thu fri sat sun|
NOTTINGHAM||GBR|G|5|mon tue thu sat|
SUNDERLAND||GBR|G|5|wed fri sun|
MONMORE||GBR|G|5|mon wed fri sat|
TOWCESTER||GBR|G|5|tue thu sun|
SOUTHWELL||GBR|R|5|mon wed fri|
DELAWARE PARK||USA|R|5|mon tue wed sat|
FINGER LAKES||USA|R|5|mon tue fri sat|
THISTLEDOWN||USA|R|5|mon tue wed thu sun|
WOODBINE||CAN|R|5|fri sat sun|
SAN ISIDRO||SAM|R|5|wed sat sun|
"""

_INTL_SELL = "EFGHIJKLNQRTUVXYZD"


def _parse() -> tuple[Venue, ...]:
    venues = []
    for i, line in enumerate(ln for ln in _TABLE.strip().splitlines() if ln):
        name, mnemonic, location, race_type, tier, days, night = line.split("|")
        sell = _SELL.get(location, _INTL_SELL[i % len(_INTL_SELL)])
        venues.append(Venue(
            name=name, mnemonic=mnemonic or None, location=location, race_type=race_type,
            tier=int(tier), days=frozenset(_DAYS[d] for d in days.split()), night=night == "n",
            sell_code=sell))
    return tuple(venues)


#: Every venue the sandbox knows.
VENUES: tuple[Venue, ...] = _parse()
