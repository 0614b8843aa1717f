"""The raw material of the demo estate: real towns with their postcode districts, and made-up names."""

# Approximate population of each probation region in millions: APs are spread in proportion to it.
REGION_POPULATION_MILLIONS = {
    "East Midlands": 4.9,
    "East of England": 6.3,
    "Greater Manchester": 2.9,
    "Kent, Surrey and Sussex": 5.0,
    "London": 8.8,
    "North East": 2.7,
    "North West": 4.5,
    "South Central": 4.4,
    "South West": 5.7,
    "Wales": 3.1,
    "West Midlands": 6.0,
    "Yorkshire and the Humber": 5.5,
}

REGION_CODES = {
    "East Midlands": "EM",
    "East of England": "EE",
    "Greater Manchester": "GM",
    "Kent, Surrey and Sussex": "KSS",
    "London": "LDN",
    "North East": "NE",
    "North West": "NW",
    "South Central": "SC",
    "South West": "SW",
    "Wales": "WAL",
    "West Midlands": "WM",
    "Yorkshire and the Humber": "YH",
}

# Real towns of each region (as the gazetteer names them) with a postcode district in each, in the order
# they receive APs; a region with more APs than towns starts again at the top.
TOWNS = {
    "East Midlands": (
        ("Nottingham", "NG7"), ("Leicester", "LE2"), ("Derby", "DE22"), ("Lincoln", "LN1"), ("Northampton", "NN1"),
        ("Mansfield", "NG18"), ("Chesterfield", "S40"), ("Loughborough", "LE11"), ("Kettering", "NN16"),
        ("Boston", "PE21"),
    ),
    "East of England": (
        ("Norwich", "NR2"), ("Ipswich", "IP4"), ("Peterborough", "PE1"), ("Cambridge", "CB4"), ("Luton", "LU1"),
        ("Bedford", "MK40"), ("Chelmsford", "CM1"), ("Colchester", "CO1"), ("Southend-on-Sea", "SS1"),
        ("Basildon", "SS14"), ("Watford", "WD17"), ("Stevenage", "SG1"), ("King's Lynn", "PE30"),
        ("Great Yarmouth", "NR30"),
    ),
    "Greater Manchester": (
        ("Manchester", "M13"), ("Salford", "M6"), ("Bolton", "BL1"), ("Wigan", "WN1"), ("Oldham", "OL8"),
        ("Stockport", "SK1"), ("Rochdale", "OL16"), ("Bury", "BL9"), ("Ashton-under-Lyne", "OL6"),
    ),
    "Kent, Surrey and Sussex": (
        ("Maidstone", "ME14"), ("Brighton", "BN2"), ("Canterbury", "CT1"), ("Crawley", "RH10"), ("Guildford", "GU1"),
        ("Hastings", "TN34"), ("Margate", "CT9"), ("Folkestone", "CT20"), ("Dover", "CT17"), ("Woking", "GU21"),
        ("Eastbourne", "BN21"), ("Worthing", "BN11"), ("Chatham", "ME4"), ("Gravesend", "DA11"),
    ),
    "London": (
        ("Brixton", "SW2"), ("Peckham", "SE15"), ("Islington", "N1"), ("Tottenham", "N17"), ("Walthamstow", "E17"),
        ("Ilford", "IG1"), ("Croydon", "CR0"), ("Wembley", "HA9"), ("Hounslow", "TW3"), ("Catford", "SE6"),
        ("Stratford", "E15"), ("Camden Town", "NW1"), ("Streatham", "SW16"), ("Harrow", "HA1"), ("Romford", "RM1"),
        ("Kilburn", "NW6"), ("Shepherds Bush", "W12"),
    ),
    "North East": (
        ("Newcastle upon Tyne", "NE4"), ("Sunderland", "SR2"), ("Middlesbrough", "TS1"), ("Durham", "DH1"),
        ("Gateshead", "NE8"), ("Darlington", "DL1"), ("Hartlepool", "TS24"), ("Stockton-on-Tees", "TS18"),
        ("South Shields", "NE33"), ("Blyth", "NE24"),
    ),
    "North West": (
        ("Preston", "PR1"), ("Liverpool", "L8"), ("Blackburn", "BB2"), ("Blackpool", "FY1"), ("Lancaster", "LA1"),
        ("Carlisle", "CA1"), ("Chester", "CH2"), ("Warrington", "WA2"), ("Birkenhead", "CH41"), ("St Helens", "WA10"),
        ("Crewe", "CW1"), ("Burnley", "BB11"), ("Barrow in Furness", "LA14"),
    ),
    "South Central": (
        ("Southampton", "SO15"), ("Portsmouth", "PO1"), ("Reading", "RG1"), ("Oxford", "OX4"),
        ("Milton Keynes", "MK9"), ("Slough", "SL1"), ("High Wycombe", "HP11"), ("Basingstoke", "RG21"),
        ("Winchester", "SO23"), ("Aylesbury", "HP20"), ("Banbury", "OX16"), ("Maidenhead", "SL6"),
    ),
    "South West": (
        ("Bristol", "BS2"), ("Plymouth", "PL4"), ("Exeter", "EX4"), ("Gloucester", "GL1"), ("Swindon", "SN1"),
        ("Bournemouth", "BH1"), ("Bath", "BA2"), ("Cheltenham", "GL50"), ("Taunton", "TA1"), ("Torquay", "TQ2"),
        ("Weymouth", "DT4"), ("Salisbury", "SP1"), ("Truro", "TR1"), ("Barnstaple", "EX32"),
    ),
    "Wales": (
        ("Cardiff", "CF24"), ("Swansea", "SA1"), ("Newport", "NP20"), ("Wrexham", "LL11"), ("Bangor", "LL57"),
        ("Merthyr Tydfil", "CF47"), ("Llanelli", "SA15"), ("Bridgend", "CF31"), ("Rhyl", "LL18"),
        ("Pontypridd", "CF37"),
    ),
    "West Midlands": (
        ("Birmingham", "B12"), ("Coventry", "CV1"), ("Wolverhampton", "WV3"), ("Stoke-on-Trent", "ST4"),
        ("Dudley", "DY1"), ("Walsall", "WS1"), ("West Bromwich", "B70"), ("Telford", "TF1"), ("Worcester", "WR1"),
        ("Hereford", "HR4"), ("Shrewsbury", "SY1"), ("Stafford", "ST16"), ("Nuneaton", "CV11"),
    ),
    "Yorkshire and the Humber": (
        ("Leeds", "LS6"), ("Sheffield", "S3"), ("Bradford", "BD8"), ("Kingston upon Hull", "HU3"), ("York", "YO10"),
        ("Huddersfield", "HD1"), ("Wakefield", "WF1"), ("Doncaster", "DN1"), ("Rotherham", "S65"),
        ("Barnsley", "S70"), ("Halifax", "HX1"), ("Scarborough", "YO12"), ("Grimsby", "DN31"),
    ),
}

# The AP that the demo AP staff account works at: named here so that the README can name it too.
STAFF_PREMISES_NAME = "Ribble House"
STAFF_PREMISES_REGION = "North West"

HOUSE_NAME_STEMS = (
    "Alder", "Ash", "Aspen", "Beech", "Birch", "Bramble", "Cedar", "Chestnut", "Elm", "Hawthorn", "Hazel",
    "Heather", "Holly", "Hornbeam", "Juniper", "Larch", "Laurel", "Linden", "Maple", "Oak", "Poplar", "Rowan",
    "Spruce", "Sycamore", "Willow", "Yew", "Kingfisher", "Heron", "Kestrel", "Meadow", "Orchard", "Riverside",
    "Brook", "Fern", "Clover", "Foxglove", "Thistle", "Primrose", "Bluebell", "Whitethorn",
)
HOUSE_NAME_SUFFIXES = ("House", "Lodge", "Court", "Hall")
STREETS = (
    "Station Road", "Church Street", "Park Road", "Victoria Road", "Albert Road", "Grange Road", "Manor Road",
    "Mill Lane", "Queens Road", "Chapel Street", "Springfield Road", "North Road", "Stanley Road", "Green Lane",
)
POSTCODE_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

# Made-up surnames so that no resident can be mistaken for a real person.
FIRST_NAMES = {
    "male": (
        "Aaron", "Adam", "Ben", "Callum", "Craig", "Daniel", "Darren", "Dean", "Gary", "Jamal", "Jamie", "Jason",
        "Kieran", "Lee", "Liam", "Marcus", "Mark", "Mohammed", "Nathan", "Paul", "Ryan", "Scott", "Shane", "Stuart",
        "Terry", "Tom", "Tyrone", "Wayne",
    ),
    "female": (
        "Amy", "Carly", "Chantelle", "Danielle", "Emma", "Gemma", "Hayley", "Jade", "Kelly", "Kerry", "Laura",
        "Leanne", "Lisa", "Nicola", "Rachel", "Sarah", "Stacey", "Zoe",
    ),
}
SURNAMES = (
    "Ashwhistle", "Brindlecombe", "Cobbleford", "Dewberry", "Elderwick", "Fernsby", "Gorsewick", "Hollowell",
    "Inglemoor", "Juniperton", "Kettlewick", "Larkhollow", "Mossgrove", "Nettlefold", "Oakhollow", "Pebbleton",
    "Quillfeather", "Rushmere", "Sorrelby", "Thistlecombe", "Umberfield", "Vetchley", "Willowmere", "Yarrowby",
    "Brackenridge", "Cloverdale", "Driftmoor", "Emberton", "Foxwhistle", "Gladwick", "Heatherby", "Ivystone",
    "Kestrelton", "Lindenhall", "Marshbrook", "Nightwold", "Ormsmere", "Puddleby", "Rookhaven", "Tansywell",
)

# Local restrictions, each with the premises characteristics it rules out.
LOCAL_RESTRICTIONS = {
    "Primary school opposite: no one with offences against children.": (
        "accepts_child_sex_offenders",
        "accepts_non_sexual_child_offenders",
    ),
    "Shares a car park with a women's refuge: no one with offences against known adult women.": (),
    "Known gang activity in the area: no one affiliated to local groups.": (),
    "Neighbours' agreement: residents do not use the rear gate onto the canal path after 7pm.": (),
    "Next to a children's play area: no one with sexual offences against children.": ("accepts_child_sex_offenders",),
}

OUT_OF_SERVICE_NOTES = {
    "planned_works": "Window replacement booked with the estates contractor.",
    "refurbishment": "Room redecoration and new furniture.",
    "unplanned_works": "Leak from the bathroom above; ceiling being repaired.",
    "flood_fire_repair": "Smoke damage after a kitchen fire; awaiting fire safety sign-off.",
    "damage_by_resident": "Door and window damaged; repair ordered.",
    "incident": "Held empty while the police investigate an incident.",
    "double_room_kept_single": "Room kept single while the current occupant's risk is reviewed.",
    "staff_shortage": "Night cover short; occupancy reduced until recruitment completes.",
    "bed_on_hold": "Held for a transfer from another AP.",
}
