"""The IANA zone of each venue outside Australia whose country spans several zones or that
Tabcorp lists, by upper-case venue name (no country suffix, no "EXTRA")."""

from __future__ import annotations

_EASTERN = "America/New_York"
_CENTRAL = "America/Chicago"
_PACIFIC = "America/Los_Angeles"
_LONDON = "Europe/London"
_PARIS = "Europe/Paris"
_JOBURG = "Africa/Johannesburg"

_BY_ZONE: dict[str, tuple[str, ...]] = {
    _EASTERN: ("AQUEDUCT", "BELMONT PARK", "CHARLES TOWN", "DELAWARE PARK", "FINGER LAKES",
               "GULFSTREAM PARK", "LAUREL PARK", "MEADOWLANDS", "MONMOUTH PARK", "MONTICELLO",
               "MOUNTAINEER", "NORTHFIELD PARK", "PARX", "PENN NATIONAL", "PIMLICO",
               "SARATOGA", "TAMPA BAY DOWNS", "THISTLEDOWN", "YONKERS", "THE MEADOWS USA",
               "POCONO DOWNS", "HARRAHS PHILADELPHIA", "COLONIAL DOWNS", "MAYWOOD PARK"),
    "America/Kentucky/Louisville": ("CHURCHILL DOWNS", "KEENELAND", "TURFWAY PARK"),
    "America/Indiana/Indianapolis": ("HORSESHOE INDIANAPOLIS", "INDIANA GRAND", "HOOSIER PARK",
                                     "INDIANA"),
    _CENTRAL: ("ARLINGTON PARK", "CANTERBURY PARK", "DELTA DOWNS", "ELLIS PARK",
               "EVANGELINE DOWNS", "FAIR GROUNDS", "KENTUCKY DOWNS", "LONE STAR PARK",
               "LOUISIANA DOWNS", "OAKLAWN PARK", "PRAIRIE MEADOWS", "REMINGTON PARK",
               "SAM HOUSTON", "FAIRMOUNT PARK", "HAWTHORNE"),
    "America/Denver": ("SUNLAND PARK", "ARAPAHOE PARK", "RUIDOSO DOWNS"),
    "America/Phoenix": ("TURF PARADISE",),
    _PACIFIC: ("SANTA ANITA", "DEL MAR", "GOLDEN GATE FIELDS", "LOS ALAMITOS", "EMERALD DOWNS",
               "PLEASANTON"),
    "America/Toronto": ("WOODBINE", "WOODBINE MOHAWK PARK", "MOHAWK", "FORT ERIE"),
    "America/Winnipeg": ("ASSINIBOIA DOWNS",),
    "America/Edmonton": ("CENTURY MILE", "CENTURY DOWNS"),
    "America/Vancouver": ("HASTINGS",),
    "America/Sao_Paulo": ("GAVEA", "CIDADE JARDIM"),
    "America/Argentina/Buenos_Aires": ("SAN ISIDRO", "PALERMO", "LA PLATA"),
    "America/Santiago": ("CLUB HIPICO", "HIPODROMO CHILE", "VALPARAISO SPORTING"),
    "America/Montevideo": ("MARONAS",),
    _LONDON: ("ASCOT UK", "DONCASTER", "DUNSTALL PARK", "GOODWOOD", "HARLOW", "HOVE",
              "KEMPTON PARK", "KINSLEY", "MONMORE", "NEWCASTLE UK", "NOTTINGHAM", "PERTH UK",
              "REDCAR", "ROMFORD", "SOUTHWELL", "STAR PELAW", "SUNDERLAND", "TOWCESTER",
              "VALLEY", "YARMOUTH", "NEWMARKET", "YORK", "CHELTENHAM", "EPSOM", "AINTREE",
              "SANDOWN UK", "HAYDOCK", "LINGFIELD", "WOLVERHAMPTON", "CHELMSFORD CITY"),
    "Europe/Dublin": ("LISTOWEL", "LEOPARDSTOWN", "CURRAGH", "FAIRYHOUSE", "PUNCHESTOWN",
                      "GALWAY", "DUNDALK", "SHELBOURNE PARK"),
    _PARIS: ("ARGENTAN", "CHANTILLY", "DEAUVILLE", "LONGCHAMP", "SAINT CLOUD", "TOULOUSE",
             "VINCENNES", "AUTEUIL", "CAGNES SUR MER"),
    "Europe/Istanbul": ("ELAZIG", "ISTANBUL", "ANKARA", "IZMIR", "ADANA", "BURSA"),
    "Europe/Stockholm": ("SOLVALLA",),
    "Asia/Hong_Kong": ("HAPPY VALLEY", "SHA TIN"),
    "Asia/Tokyo": ("MOMBETSU", "TOKYO", "URAWA", "NAKAYAMA", "KYOTO", "HANSHIN", "OI",
                   "FUNABASHI", "KAWASAKI", "OBIHIRO"),
    "Asia/Singapore": ("KRANJI",),
    "Asia/Seoul": ("SEOUL", "BUSAN"),
    "Asia/Dubai": ("MEYDAN", "JEBEL ALI", "ABU DHABI"),
    _JOBURG: ("DURBANVILLE", "KENILWORTH", "GREYVILLE", "TURFFONTEIN", "FAIRVIEW",
              "SCOTTSVILLE", "VAAL"),
    "Africa/Casablanca": ("CASABLANCA",),
    "Australia/Broken_Hill": ("BROKEN HILL",),
}

#: Each listed venue's IANA zone, by upper-case name.
VENUE_ZONES: dict[str, str] = {venue: zone for zone, venues in _BY_ZONE.items()
                               for venue in venues}
