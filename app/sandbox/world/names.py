"""Invented names: runners, people, silks, breeding, race titles. All ALL-CAPS where upstream is."""

from __future__ import annotations

import random

from app.sandbox.world.util import pick

_ADJ = (
    "SATIN BLESSED SILVER GOLDEN MIDNIGHT ROYAL WILD QUIET SWIFT BOLD BRAVE CRIMSON DIAMOND "
    "LUCKY MYSTIC RAPID ROYAL SILENT STORMY SUNNY VELVET ELECTRIC COSMIC SECRET HIDDEN "
    "NOBLE RUSTIC IRON COPPER SAPPHIRE EMERALD SCARLET OCEAN DESERT NORTHERN SOUTHERN "
    "EASTERN WESTERN ALPINE URBAN GALLANT HANDSOME CLASSY SNAPPY DASHING CHEEKY SNEAKY "
    "FANCY FLYING RUNNING DANCING SINGING SMOKIN ROCKIN SHINING BURNING FROSTY MISTY "
    "STARRY LOYAL FEARLESS RESTLESS TIMELESS ENDLESS MIGHTY GRAND SUPREME PRIME TRUE"
).split()
_NOUN = (
    "SUMMER EAGLE DECK ISLAND ARMAS HARBOUR RIVER STORM THUNDER LEGEND WARRIOR EMPIRE "
    "KINGDOM PRINCE PRINCESS DUCHESS BARON KNIGHT ROCKET COMET ARROW SPIRIT DREAM "
    "MELODY RHYTHM TEMPO GROOVE BALLAD ANTHEM FORTUNE TREASURE JEWEL CROWN SCEPTRE "
    "CASTLE TOWER BRIDGE CANYON VALLEY MEADOW HORIZON SUNSET SUNRISE MOONLIGHT "
    "STARLIGHT HURRICANE TORNADO CYCLONE TEMPEST BREEZE FALCON HAWK RAVEN PHOENIX "
    "TIGER PANTHER JAGUAR STALLION MUSTANG BANDIT OUTLAW RANGER VOYAGER PILGRIM "
    "NOMAD GYPSY ROGUE REBEL HERO CHAMPION VICTOR MAESTRO GENIUS MAGNATE TYCOON "
    "COUNSEL ENVOY CONSUL SENATOR GENERAL ADMIRAL CAPTAIN MAJOR PILOT ACE JOKER "
    "GAMBLE WAGER PROMISE SECRET MYSTERY RIDDLE ECHO SHADOW MIRAGE FLAME BLAZE SPARK"
).split()
_SINGLE = (
    "ELSTEAD CONSULATE HARRYBEGOOD PEYTON ZARAGOZA BELLAMIST KINGSGATE TIDEWATER "
    "MOONSTRUCK STARSHINE FIRESTORM WILDFIRE SKYLARK NIGHTFALL DAYBREAK QUICKSILVER "
    "GOLDRUSH SILVERADO CARNIVAL FANDANGO BRAVADO ESPRESSO CAPPUCCINO MERLOT SHIRAZ "
    "TEMPRANILLO CHARDONNAY PROSECCO SANGRIA TANGO SALSA RUMBA BOLERO CALYPSO "
    "KOOLIBAH VERBIL ANDRON EQUILIBRIST MONTEREY SORRENTO PORTOFINO AMALFI CAPRI"
).split()
_GIVEN = (
    "HARRY LUCY MAX ROSIE CHARLIE BELLA JACK MOLLY SAM ZOE MICK TESS BILLY DAISY "
    "FRANKIE ELLA TOMMY RUBY LEO MIA OSCAR LOLA ARCHIE GRACE"
).split()
_DOG_WORDS = (
    "ZIPPING BUNDY FERNANDO ASTON KOBLENZ DYNA SPRING BARTS HEZA SHIMA GLEN JARDINE "
    "NANGAR QUEENIE WINSOME CAPTAIN BIG LITTLE MISS MISTER SWEET OUTBACK BLUE RED "
    "BLACK WHITE KOOKA BOOM BULLET DASH FLASH BOLT ROCKET ZOOM TURBO NITRO VELOCITY "
    "SHAKER MAKER BREAKER CHASER RACER RUNNER JUMPER SPINNER SWINGER SPEEDY BANJO"
).split()

_FIRST = (
    "JAMES KERRIN TOMMY RACHEL CHAD ZAC TIM TOM NASH HUGH JAMIE ANDREW JASON SAM BEN BLAKE "
    "ETHAN CRAIG DAMIEN MARK LUKE DYLAN BRODIE KOBY JAYE ALYSHA JESS KATHY LINDA SIENA "
    "ANGELA TEGAN SHANNON CHELSEA EMMA MADDIE ROBBIE JOSH NATHAN AARON MICHAEL PETER JOHN "
    "CHRIS GERALD MATTHEW DAVID TODD KRIS GAI ADRIAN CIARON MICK ANTHONY BJORN RYAN"
).split()
_LAST = (
    "MCDONALD MCEVOY BERRY KING SCHOFIELD LLOYD CLARK SHERRY RAWILLER BOWMAN COLLETT PARR "
    "SHINN MELHAM BROWN WILLIAMS OLIVER STOCKDALE HYETT ZAHRA BAYLISS FORD MORGAN NEWITT "
    "TOOTELL SPAIN GRIMA MEECH PAYNE RYAN SMITH DUNN FREEDMAN WALLACE HAWKES PRICE SNOWDEN "
    "LEES MAHER WATERHOUSE BOTT CUMMINGS HAYES DABERNIG BALDWIN KENT CHARLTON OSBORNE "
    "HOLLAND CAMPBELL FERGUSON MITCHELL HARRIS TAYLOR WALKER ROBINSON THOMPSON WRIGHT "
    "GRAHAM MCGRATH DOYLE QUINN NOLAN BARRETT FLETCHER"
).split()

#: Harness trainers and drivers, and greyhound trainers: their own pools, as in real fields
#: (a gallops jockey does not drive at the trots or train at the dogs). Surnames are disjoint
#: from the gallops pool's and each other's.
_HARNESS_FIRST = (
    "GREG KERRYN ANDY AMANDA LUKE DANIEL GAVIN GRANT KATE NATHAN ROD MATT LAUREN CHRIS "
    "DARREN EMMA JODIE SHANE BRETT KYLIE DEAN TRAVIS JACK CARLY"
).split()
_HARNESS_LAST = (
    "ALDRIDGE BARTLETT CARMODY DELANEY FITZGERALD GILMOUR HALLORAN IRWIN JARVIS KEANE "
    "LINDSAY MORRISSEY NEWCOMBE PEARCE REDDING SULLIVAN TREVASKIS UNDERWOOD VANCE "
    "WHITEHEAD YOUNGER ABERCROMBIE BRADSHAW CROWLEY"
).split()
_GREYHOUND_FIRST = (
    "TONY JASON KAYLENE ROBERT PAUL CHERIE STEVE WAYNE LISA DEBBIE GARRY KAREN TROY MARK "
    "BRENDAN SHARON GLENN TRACEY VINCE JOANNE"
).split()
_GREYHOUND_LAST = (
    "ARNOTT BOURKE CASSIDY DUFFY ELLIOTT FINNEGAN GALLAGHER HEALY KENNEDY LAWLOR MAGUIRE "
    "NEWMAN O'BRIEN PRENTICE RILEY SHEEHAN TIERNEY VAUGHAN WARD COSTELLO DONOVAN MCNAMARA"
).split()
#: (first names, surnames) of the people of each code: R gallops, H harness, G greyhounds.
PEOPLE = {"R": (_FIRST, _LAST), "H": (_HARNESS_FIRST, _HARNESS_LAST),
          "G": (_GREYHOUND_FIRST, _GREYHOUND_LAST)}

_COLOURS = (
    "NAVY BLUE", "WHITE", "RED", "BLACK", "GOLD", "GREEN", "YELLOW", "ROYAL BLUE", "MAROON",
    "PINK", "ORANGE", "PURPLE", "SKY BLUE", "CERISE", "AQUAMARINE", "EMERALD GREEN", "SILVER",
    "BOTTLE GREEN", "LIME GREEN", "GREY", "BROWN", "LIGHT BLUE",
)
_PATTERNS = (
    "{a}", "{a}, {b} HOOPS", "{a} AND {b} HALVES, {a} CAP", "{a}, {b} SASH",
    "{a}, {b} STARS, {b} CAP", "{a}, {b} SLEEVES AND CAP", "{a}, {b} CHEVRONS",
    "{a}, {b} BAND, ARMBANDS AND CAP", "{a} AND {b} STRIPES", "{a}, {b} SPOTS, {a} CAP",
    "{a}, {b} CHECKED SLEEVES, {b} CAP", "{a} AND {b} QUARTERS",
)

_SIRE_WORDS = (
    "ZOUSTAR WRITTEN TYCOON SNITZEL EXCEEDANCE CAPITALIST PIERRO NOT A SINGLE DOUBT "
    "HOME AFFAIRS STAY INSIDE ARDROSSAN FARNAN SO YOU THINK DUNDEEL HELMET SIZZLING "
    "REDOUTE'S CHOICE TOO DARN HOT I AM INVINCIBLE FASTNET ROCK STREET BOSS DARK ANGEL"
).split()
_SUFFIX = ("", "", "", "", " (NZ)", " (IRE)", " (GB)", " (USA)", " (FR)", " (JPN)")
_TOWNS = {
    "NSW": ("Rosehill", "Randwick", "Warwick Farm", "Newcastle", "Kembla Grange", "Scone"),
    "ACT": ("Canberra",),
    "VIC": ("Flemington", "Caulfield", "Cranbourne", "Mornington", "Ballarat", "Pakenham"),
    "QLD": ("Eagle Farm", "Deagon", "Gold Coast", "Sunshine Coast", "Toowoomba", "Ipswich"),
    "SA": ("Morphettville", "Gawler", "Murray Bridge", "Port Lincoln"),
    "WA": ("Ascot", "Belmont", "Pinjarra", "Northam", "Bunbury"),
    "TAS": ("Hobart", "Launceston", "Devonport"),
    "NT": ("Darwin", "Alice Springs"),
}


def runner_name(r: random.Random, race_type: str) -> str:
    """An ALL-CAPS runner name of at most 18 characters."""
    while True:
        roll = r.random()
        if race_type == "G":
            if roll < 0.6:
                name = f"{r.choice(_DOG_WORDS)} {r.choice(_DOG_WORDS + _NOUN)}"
            else:
                name = f"{r.choice(_ADJ)} {r.choice(_DOG_WORDS)}"
        elif roll < 0.55:
            name = f"{r.choice(_ADJ)} {r.choice(_NOUN)}"
        elif roll < 0.75:
            name = r.choice(_SINGLE)
        elif roll < 0.9:
            name = f"{r.choice(_GIVEN)}'S {r.choice(_NOUN)}"
        else:
            name = f"THE {r.choice(_NOUN)}"
        if len(name) <= 18:
            return name


def person(*parts: object) -> tuple[str, str]:
    """(first, last) of an invented person, ALL CAPS, stable for the given identity."""
    return pick(_FIRST, *parts, "first"), pick(_LAST, *parts, "last")


def connection(race_type: str, *parts: object) -> tuple[str, str]:
    """(first, last) of a trainer, jockey or driver of `race_type`'s code, from its own pool."""
    first, last = PEOPLE.get(race_type, PEOPLE["R"])
    return pick(first, *parts, "first"), pick(last, *parts, "last")


def _cap(word: str) -> str:
    if word.startswith("MC") and len(word) > 2:
        return "Mc" + word[2:].capitalize()
    if word.startswith("O'") and len(word) > 2:
        return "O'" + word[2:].capitalize()
    return word.capitalize()


def full_upper(first: str, last: str) -> str:
    """`KERRIN MCEVOY`."""
    return f"{first} {last}"


def short_name(first: str, last: str) -> str:
    """`K McEvoy`."""
    return f"{first[0]} {_cap(last)}"


def title_name(first: str, last: str) -> str:
    """`Kerrin McEvoy`."""
    return f"{_cap(first)} {_cap(last)}"


def silks(r: random.Random) -> str:
    """A racing-colours description, e.g. `NAVY BLUE, GOLD HOOPS`."""
    a, b = r.sample(_COLOURS, 2)
    return r.choice(_PATTERNS).format(a=a, b=b)


def breeding_name(r: random.Random) -> str:
    """A sire or dam name, sometimes with a country suffix."""
    words = r.choice((1, 2, 2))
    base = " ".join(r.choice(_SIRE_WORDS + _NOUN) for _ in range(words))
    return (base[:16] + r.choice(_SUFFIX)).strip()


def trainer_town(r: random.Random, state: str) -> str:
    """A training centre in `state` (Title Case)."""
    return r.choice(_TOWNS.get(state, ("Overseas",)))


def race_title(r: random.Random, race_type: str, race_class: str) -> str:
    """An ALL-CAPS race name fitting the code and class."""
    words = f"{r.choice(_ADJ)} {r.choice(_NOUN)}"
    if race_type == "G":
        return r.choice((f"{words}", f"{words} STAKES", f"GAP {r.randint(0, 2)}-1 WIN",
                         f"{r.choice(_NOUN)} {race_class.upper()}"))
    if race_type == "H":
        return f"{words} {r.choice(('PACE', 'PACE', 'PACE', 'TROT'))}"
    if "MDN" in race_class:
        return f"{words} MAIDEN PLATE"
    if race_class.startswith(("G1", "G2", "G3", "LR")) or " G" in race_class:
        return f"{words} STAKES"
    return r.choice((f"{words} HANDICAP", f"{words} HANDICAP", f"{words} PLATE", "TAB PLATE"))
