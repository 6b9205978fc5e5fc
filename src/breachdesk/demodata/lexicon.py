"""Small built-in tables of names, streets and places per country for the demo data."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Place:
    """A town with its region and a postal-code prefix typical of it."""

    city: str
    region: str
    postal_prefix: str


@dataclass(frozen=True, slots=True)
class Country:
    """What the generator needs to invent a plausible resident of one country."""

    code: str
    name: str
    given_female: tuple[str, ...]
    given_male: tuple[str, ...]
    surnames: tuple[str, ...]
    streets: tuple[str, ...]
    places: tuple[Place, ...]
    street_first: bool  # "12 Main St" (False: "Hauptstraße 12")


def _p(spec: str) -> tuple[Place, ...]:
    """Parse ``"City|Region|prefix; ..."`` into places."""
    out = []
    for item in spec.split(";"):
        city, region, prefix = (part.strip() for part in item.split("|"))
        out.append(Place(city, region, prefix))
    return tuple(out)


def _w(words: str) -> tuple[str, ...]:
    return tuple(words.split())


_EN_F = _w("Emily Olivia Sarah Jessica Hannah Grace Chloe Megan Laura Rachel Emma Sophie Amy Lucy")
_EN_M = _w("James John Michael David Daniel Matthew Andrew Ryan Thomas Joshua Robert William Liam")
_EN_S = _w(
    "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Martin "
    "Jackson Thompson White Harris Clark Lewis Walker Hall Young King Wright Scott Green Baker"
)
_US_STREETS = _w("Maple Oak Pine Cedar Elm Washington Lake Hill Park Sunset Lincoln Highland")

US = Country(
    "US",
    "United States",
    _EN_F + _w("Ashley Brittany Madison Kayla Destiny"),
    _EN_M + _w("Tyler Brandon Austin Cody Hunter"),
    _EN_S + _w("Garcia Rodriguez Martinez Hernandez Lopez Nguyen Kim Patel"),
    tuple(f"{s} {t}" for s in _US_STREETS for t in ("St", "Ave", "Rd", "Blvd", "Dr", "Ln")),
    _p(
        "Los Angeles|CA|900; San Diego|CA|921; Sacramento|CA|958; Houston|TX|770; Austin|TX|787; "
        "Dallas|TX|752; Miami|FL|331; Orlando|FL|328; Tampa|FL|336; New York|NY|100; "
        "Buffalo|NY|142; Chicago|IL|606; Springfield|IL|627; Philadelphia|PA|191; "
        "Pittsburgh|PA|152; Columbus|OH|432; Cleveland|OH|441; Atlanta|GA|303; Charlotte|NC|282; "
        "Raleigh|NC|276; Detroit|MI|482; Seattle|WA|981; Spokane|WA|992; Boston|MA|021; "
        "Phoenix|AZ|850; Denver|CO|802; Nashville|TN|372; Portland|OR|972; Las Vegas|NV|891; "
        "Minneapolis|MN|554; Baltimore|MD|212; Newark|NJ|071; Richmond|VA|232; Madison|WI|537; "
        "Salt Lake City|UT|841; New Orleans|LA|701; Louisville|KY|402; Hartford|CT|061; "
        "Des Moines|IA|503; Omaha|NE|681"
    ),
    True,
)
GB = Country(
    "GB",
    "United Kingdom",
    _EN_F + _w("Charlotte Amelia Isla Poppy"),
    _EN_M + _w("Oliver George Harry Jack Alfie"),
    _EN_S + _w("Evans Roberts Wood Hughes Edwards Patel Khan"),
    tuple(
        f"{s} {t}"
        for s in _w("High Church Station Victoria Mill Queen")
        for t in ("Street", "Road")
    ),
    _p(
        "London|England|SW1; London|England|E14; Manchester|England|M1; Birmingham|England|B2; "
        "Leeds|England|LS1; Bristol|England|BS1; Glasgow|Scotland|G2; Edinburgh|Scotland|EH1; "
        "Cardiff|Wales|CF10; Belfast|Northern Ireland|BT1"
    ),
    True,
)
CA = Country(
    "CA",
    "Canada",
    _EN_F + _w("Chloé Gabrielle Léa"),
    _EN_M + _w("Étienne Mathieu Olivier"),
    _EN_S + _w("Tremblay Gagnon Roy Côté Bouchard Gauthier"),
    tuple(f"{s} {t}" for s in _w("King Queen Yonge Bloor Maple Wellington") for t in ("St", "Ave")),
    _p(
        "Toronto|ON|M5V; Ottawa|ON|K1P; Montréal|QC|H2X; Québec|QC|G1R; Vancouver|BC|V6B; "
        "Victoria|BC|V8W; Calgary|AB|T2P; Edmonton|AB|T5J; Winnipeg|MB|R3C; Halifax|NS|B3H"
    ),
    True,
)
AU = Country(
    "AU",
    "Australia",
    _EN_F + _w("Matilda Ruby Zoe Isabella"),
    _EN_M + _w("Jack Noah Cooper Lachlan"),
    _EN_S + _w("Murphy Kelly Mitchell Campbell Stewart"),
    tuple(
        f"{s} {t}" for s in _w("George Pitt Collins Flinders Queen Albert") for t in ("St", "Rd")
    ),
    _p(
        "Sydney|NSW|2000; Newcastle|NSW|2300; Melbourne|VIC|3000; Geelong|VIC|3220; "
        "Brisbane|QLD|4000; Perth|WA|6000; Adelaide|SA|5000; Hobart|TAS|7000; Canberra|ACT|2600"
    ),
    True,
)
DE = Country(
    "DE",
    "Germany",
    _w("Anna Lena Julia Laura Katharina Sophie Marie Lea Hannah Sabine Claudia Jürgen"),
    _w("Lukas Jonas Felix Maximilian Paul Leon Stefan Thomas Michael Andreas Jörg Uwe"),
    _w("Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch Krüger"),
    _w("Hauptstraße Bahnhofstraße Gartenweg Lindenstraße Schillerstraße Goethestraße Ringstraße"),
    _p(
        "Berlin|Berlin|10; München|Bayern|80; Hamburg|Hamburg|20; Köln|Nordrhein-Westfalen|50; "
        "Frankfurt am Main|Hessen|60; Stuttgart|Baden-Württemberg|70; Leipzig|Sachsen|04; "
        "Düsseldorf|Nordrhein-Westfalen|40"
    ),
    False,
)
FR = Country(
    "FR",
    "France",
    _w("Camille Léa Manon Chloé Inès Sarah Juliette Élodie Margaux Céline"),
    _w("Lucas Hugo Louis Gabriel Arthur Jules Théo Nicolas Julien François"),
    _w("Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Lefèvre Girard"),
    _w("rue_de_la_Paix rue_Victor_Hugo avenue_Jean_Jaurès boulevard_Voltaire rue_Pasteur"),
    _p(
        "Paris|Île-de-France|75; Lyon|Auvergne-Rhône-Alpes|69; Marseille|Provence-Alpes-Côte "
        "d'Azur|13; Toulouse|Occitanie|31; Nantes|Pays de la Loire|44; Lille|Hauts-de-France|59; "
        "Bordeaux|Nouvelle-Aquitaine|33; Strasbourg|Grand Est|67"
    ),
    True,
)
ES = Country(
    "ES",
    "Spain",
    _w("María Lucía Paula Laura Marta Carmen Sofía Elena Alba Nuria"),
    _w("Javier Alejandro Daniel Pablo David Sergio Jorge Álvaro Manuel Carlos"),
    _w("García Fernández González Rodríguez López Martínez Sánchez Pérez Gómez Martín Ruiz"),
    _w("Calle_Mayor Calle_del_Sol Avenida_de_la_Constitución Calle_Real Paseo_de_Gracia"),
    _p(
        "Madrid|Madrid|28; Barcelona|Cataluña|08; Valencia|Comunidad Valenciana|46; "
        "Sevilla|Andalucía|41; Zaragoza|Aragón|50; Málaga|Andalucía|29; Bilbao|País Vasco|48"
    ),
    False,
)
IT = Country(
    "IT",
    "Italy",
    _w("Giulia Francesca Chiara Sara Martina Alessia Valentina Federica"),
    _w("Marco Alessandro Luca Giuseppe Matteo Lorenzo Davide Francesco"),
    _w("Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno"),
    _w("Via_Roma Via_Garibaldi Corso_Italia Via_Mazzini Via_Dante Piazza_Verdi"),
    _p(
        "Roma|Lazio|001; Milano|Lombardia|201; Napoli|Campania|801; Torino|Piemonte|101; "
        "Bologna|Emilia-Romagna|401; Firenze|Toscana|501; Palermo|Sicilia|901"
    ),
    False,
)
NL = Country(
    "NL",
    "Netherlands",
    _w("Emma Sophie Julia Anna Fleur Sanne Lotte Femke"),
    _w("Daan Sem Lucas Bram Thijs Jesse Ruben Pieter"),
    _w("de_Jong Jansen de_Vries van_den_Berg van_Dijk Bakker Visser Smit Meijer de_Boer Mulder"),
    _w("Kerkstraat Dorpsstraat Schoolstraat Molenweg Stationsweg Julianalaan"),
    _p(
        "Amsterdam|Noord-Holland|10; Rotterdam|Zuid-Holland|30; Den Haag|Zuid-Holland|25; "
        "Utrecht|Utrecht|35; Eindhoven|Noord-Brabant|56; Groningen|Groningen|97"
    ),
    False,
)
BE = Country(
    "BE",
    "Belgium",
    _w("Louise Marie Emma Elise Julie Lotte"),
    _w("Arthur Louis Noah Lucas Wout Maxime"),
    _w("Peeters Janssens Maes Jacobs Mertens Willems Claes Goossens Dubois Lambert"),
    _w("Stationsstraat Kerkstraat Rue_Royale Nieuwstraat Chaussée_de_Wavre"),
    _p(
        "Brussel|Brussels|10; Antwerpen|Antwerpen|20; Gent|Oost-Vlaanderen|90; "
        "Liège|Liège|40; Brugge|West-Vlaanderen|80; Leuven|Vlaams-Brabant|30"
    ),
    False,
)
SE = Country(
    "SE",
    "Sweden",
    _w("Elsa Alice Maja Ebba Wilma Astrid Ingrid Karin"),
    _w("Erik Lars Karl Anders Johan Oskar Nils Björn"),
    _w("Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Lindqvist"),
    _w("Storgatan Drottninggatan Kungsgatan Skolgatan Järnvägsgatan"),
    _p(
        "Stockholm|Stockholms län|11; Göteborg|Västra Götaland|41; Malmö|Skåne|21; "
        "Uppsala|Uppsala län|75; Västerås|Västmanland|72"
    ),
    False,
)
PL = Country(
    "PL",
    "Poland",
    _w("Anna Katarzyna Małgorzata Agnieszka Zofia Magdalena Joanna"),
    _w("Piotr Krzysztof Tomasz Paweł Michał Jakub Łukasz"),
    _w("Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański"),
    _w("ul._Polna ul._Leśna ul._Słoneczna ul._Krótka ul._Szkolna ul._Ogrodowa"),
    _p(
        "Warszawa|Mazowieckie|0; Kraków|Małopolskie|3; Łódź|Łódzkie|9; Wrocław|Dolnośląskie|5; "
        "Poznań|Wielkopolskie|6; Gdańsk|Pomorskie|8"
    ),
    False,
)
IE = Country(
    "IE",
    "Ireland",
    _EN_F + _w("Aoife Siobhán Niamh Ciara"),
    _EN_M + _w("Seán Cian Oisín Conor"),
    _w("Murphy Kelly O'Sullivan Walsh O'Brien Byrne Ryan O'Connor O'Neill Doyle McCarthy"),
    tuple(
        f"{s} {t}" for s in _w("Main Church Bridge Patrick O'Connell") for t in ("Street", "Road")
    ),
    _p("Dublin|Leinster|D02; Cork|Munster|T12; Galway|Connacht|H91; Limerick|Munster|V94"),
    True,
)
FI = Country(
    "FI",
    "Finland",
    _w("Aino Helmi Sofia Emilia Ella Venla"),
    _w("Eino Väinö Juhani Mikko Matti Antti"),
    _w("Korhonen Virtanen Mäkinen Nieminen Mäkelä Hämäläinen Laine Heikkinen"),
    _w("Mannerheimintie Hämeenkatu Rantatie Koulukatu"),
    _p("Helsinki|Uusimaa|00; Espoo|Uusimaa|02; Tampere|Pirkanmaa|33; Turku|Varsinais-Suomi|20"),
    False,
)
DK = Country(
    "DK",
    "Denmark",
    _w("Freja Ida Clara Karen Mette Sofie"),
    _w("William Noah Oscar Mads Rasmus Søren"),
    _w("Jensen Nielsen Hansen Pedersen Andersen Christensen Larsen Sørensen Rasmussen"),
    _w("Østergade Vestergade Nørregade Algade Strandvejen"),
    _p("København|Hovedstaden|1; Aarhus|Midtjylland|8; Odense|Syddanmark|5; Aalborg|Nordjylland|9"),
    False,
)

# Weighted so that about half of the customers are US residents spread over many states.
COUNTRIES: tuple[tuple[Country, int], ...] = (
    (US, 50),
    (GB, 8),
    (CA, 5),
    (AU, 4),
    (DE, 6),
    (FR, 5),
    (ES, 4),
    (IT, 3),
    (NL, 3),
    (BE, 2),
    (SE, 2),
    (PL, 3),
    (IE, 2),
    (FI, 1),
    (DK, 2),
)

EMAIL_DOMAINS = (
    "example.com",
    "example.net",
    "example.org",
    "mail.example.com",
    "inbox.example.net",
)

PRODUCTS = (
    "Wireless Mouse",
    "USB-C Cable 2m",
    "Noise-Cancelling Headphones",
    "Mechanical Keyboard",
    "27in Monitor",
    "Laptop Stand",
    "Webcam HD",
    "Phone Case",
    "Gift Card 50",
    "Annual Subscription",
    "Espresso Beans 1kg",
    "Yoga Mat",
    "Running Shoes",
    "Backpack 30L",
)

SECURITY_QUESTIONS = (
    "What was the name of your first pet?",
    "In what city were you born?",
    "What is your favourite book?",
)
