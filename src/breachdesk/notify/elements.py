"""Each data element in plain words, and what the person should do about it, per locale."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from breachdesk.core.element import DataElement, label, sensitivity

E = DataElement

#: Locales with shipped element texts and templates.
LOCALES: tuple[str, ...] = ("en", "es", "fr", "de")


@dataclass(frozen=True, slots=True)
class ElementText:
    """How a notice names one element and the advice it gives for it."""

    element: DataElement
    name: str
    advice: str

    @property
    def category(self) -> str:
        """The name without its leading possessive, for letters to authorities ("SSN")."""
        head, _, rest = self.name.partition(" ")
        if rest and head.lower() in _POSSESSIVES:
            return rest[:1].upper() + rest[1:]
        return self.name[:1].upper() + self.name[1:]


_POSSESSIVES = frozenset({"your", "su", "sus", "votre", "vos", "ihr", "ihre"})


_GROUP: dict[DataElement, str] = {
    E.PERSON_NAME: "identity",
    E.DATE_OF_BIRTH: "identity",
    E.GENDER: "identity",
    E.MOTHERS_MAIDEN_NAME: "security_answer",
    E.SECURITY_ANSWER: "security_answer",
    E.EMAIL: "phishing",
    E.PHONE: "phishing",
    E.POSTAL_ADDRESS: "postal",
    E.POSTAL_CODE: "postal",
    E.LOCATION: "postal",
    E.SSN: "credit",
    E.TAX_ID: "credit",
    E.NATIONAL_ID: "credit",
    E.DRIVERS_LICENSE: "document",
    E.PASSPORT: "document",
    E.PAYMENT_CARD: "card",
    E.CARD_SECURITY_CODE: "card",
    E.CARD_EXPIRY: "card",
    E.BANK_ACCOUNT: "bank",
    E.IBAN: "bank",
    E.ROUTING_NUMBER: "bank",
    E.USERNAME: "account",
    E.PASSWORD: "password",
    E.PASSWORD_HASH: "password",
    E.API_KEY: "access_key",
    E.AUTH_TOKEN: "access_key",
    E.IP_ADDRESS: "online",
    E.DEVICE_ID: "online",
    E.GEOLOCATION: "geolocation",
    E.MEDICAL: "health",
    E.HEALTH_INSURANCE: "health",
    E.BIOMETRIC: "biometric",
    E.GENETIC: "biometric",
    E.RACIAL_ETHNIC_ORIGIN: "special",
    E.POLITICAL_OPINION: "special",
    E.RELIGIOUS_BELIEF: "special",
    E.TRADE_UNION: "special",
    E.SEX_LIFE_ORIENTATION: "special",
    E.CRIMINAL_RECORD: "special",
    E.VEHICLE_ID: "vehicle",
}

_ADVICE: dict[str, dict[str, str]] = {
    "en": {
        "identity": "Be wary of calls, messages or letters from people who already know these "
        "details and use them to sound trustworthy.",
        "security_answer": "Change the security questions and answers of your accounts that use "
        "them, and prefer a second sign-in step where it is offered.",
        "phishing": "Expect fraudulent messages and calls that seem to come from us or others. We "
        "will never ask for your password: do not click links in unexpected messages.",
        "postal": "Be careful with unexpected letters or parcels asking for payment or personal "
        "details.",
        "credit": "Place a fraud alert or a free credit freeze (security freeze) with the credit "
        "bureaus, check your credit reports, and report any account you did not open.",
        "document": "Tell the authority that issued the document, ask whether it should be "
        "replaced, and watch for accounts or contracts opened in your name.",
        "card": "Check your card statements for payments you did not make, call your bank or card "
        "issuer on the number on the back of your card and ask for a new card.",
        "bank": "Check your bank statements for debits you did not authorise, tell your bank, and "
        "be wary of anyone asking you to confirm your account details.",
        "account": "Watch for sign-in alerts you do not recognise, and change your password if "
        "you use the same one elsewhere.",
        "password": "Change your password now, on our service and anywhere else you used the same "
        "password, and turn on two-step verification.",
        "access_key": "We have revoked the exposed keys and sign-ins. Sign in again, create new "
        "access keys, and review recent activity on your account.",
        "online": "This alone is low risk; be wary of messages that mention your device or your "
        "internet connection.",
        "geolocation": "Consider whether this information could affect your safety, and contact "
        "us or the police if you have concerns.",
        "health": "Check statements from your health insurer and care providers for treatment or "
        "claims you do not recognise, and report them.",
        "biometric": "This data cannot be changed. Tell any service that uses it to identify you, "
        "and prefer another sign-in method where possible.",
        "special": "Be wary of anyone who uses this information to pressure or embarrass you, and "
        "report any threat to the police.",
        "vehicle": "This alone is low risk; be wary of unexpected fines or messages about your "
        "vehicle.",
    },
    "es": {
        "identity": "Desconfíe de llamadas, mensajes o cartas de personas que ya conocen estos "
        "datos y los usan para parecer de confianza.",
        "security_answer": "Cambie las preguntas y respuestas de seguridad de las cuentas que las "
        "usan y active la verificación en dos pasos cuando sea posible.",
        "phishing": "Espere mensajes y llamadas fraudulentos que parezcan venir de nosotros o de "
        "otros. Nunca le pediremos su contraseña: no abra enlaces de mensajes inesperados.",
        "postal": "Tenga cuidado con cartas o paquetes inesperados que pidan pagos o datos "
        "personales.",
        "credit": "Solicite una alerta de fraude o un congelamiento de crédito gratuito a las "
        "agencias de crédito, revise sus informes de crédito y denuncie cuentas que no abrió.",
        "document": "Avise a la autoridad que emitió el documento, pregunte si debe sustituirse "
        "y vigile cuentas o contratos abiertos a su nombre.",
        "card": "Revise los extractos de su tarjeta por si hay cargos que no hizo, llame a su "
        "banco al número del reverso de la tarjeta y pida una tarjeta nueva.",
        "bank": "Revise sus extractos bancarios por si hay cargos no autorizados, avise a su banco "
        "y desconfíe de quien le pida confirmar los datos de su cuenta.",
        "account": "Esté atento a avisos de inicio de sesión que no reconozca y cambie su "
        "contraseña si usa la misma en otros sitios.",
        "password": "Cambie su contraseña ahora, en nuestro servicio y en cualquier otro donde "
        "use la misma, y active la verificación en dos pasos.",
        "access_key": "Hemos revocado las claves y sesiones expuestas. Inicie sesión de nuevo, "
        "cree claves nuevas y revise la actividad reciente de su cuenta.",
        "online": "Por sí solo, el riesgo es bajo; desconfíe de mensajes que mencionen su "
        "dispositivo o su conexión a internet.",
        "geolocation": "Valore si esta información puede afectar a su seguridad y contacte con "
        "nosotros o con la policía si le preocupa.",
        "health": "Revise los extractos de su seguro médico y de sus proveedores de salud por si "
        "hay tratamientos o reclamaciones que no reconozca, y denúncielos.",
        "biometric": "Estos datos no se pueden cambiar. Avise a los servicios que los usan para "
        "identificarle y prefiera otro método de acceso cuando sea posible.",
        "special": "Desconfíe de quien use esta información para presionarle o avergonzarle y "
        "denuncie cualquier amenaza a la policía.",
        "vehicle": "Por sí solo, el riesgo es bajo; desconfíe de multas o mensajes inesperados "
        "sobre su vehículo.",
    },
    "fr": {
        "identity": "Méfiez-vous des appels, messages ou courriers de personnes qui connaissent "
        "déjà ces informations et s'en servent pour paraître dignes de confiance.",
        "security_answer": "Changez les questions et réponses de sécurité des comptes qui les "
        "utilisent et activez la validation en deux étapes lorsqu'elle est proposée.",
        "phishing": "Attendez-vous à des messages et appels frauduleux qui semblent venir de nous "
        "ou d'autres. Nous ne vous demanderons jamais votre mot de passe : ne cliquez pas sur les "
        "liens de messages inattendus.",
        "postal": "Soyez prudent face aux courriers ou colis inattendus qui demandent un paiement "
        "ou des informations personnelles.",
        "credit": "Demandez une alerte à la fraude ou un gel de crédit gratuit auprès des agences "
        "d'évaluation du crédit, vérifiez vos rapports de crédit et signalez tout compte que vous "
        "n'avez pas ouvert.",
        "document": "Prévenez l'autorité qui a délivré le document, demandez s'il faut le "
        "remplacer et surveillez les comptes ou contrats ouverts à votre nom.",
        "card": "Vérifiez vos relevés de carte pour repérer les paiements que vous n'avez pas "
        "faits, appelez votre banque au numéro inscrit au dos de la carte et demandez une "
        "nouvelle carte.",
        "bank": "Vérifiez vos relevés bancaires pour repérer les prélèvements non autorisés, "
        "prévenez votre banque et méfiez-vous de quiconque vous demande de confirmer vos "
        "coordonnées bancaires.",
        "account": "Surveillez les alertes de connexion que vous ne reconnaissez pas et changez "
        "votre mot de passe si vous l'utilisez ailleurs.",
        "password": "Changez votre mot de passe dès maintenant, chez nous et partout où vous "
        "utilisez le même, et activez la validation en deux étapes.",
        "access_key": "Nous avons révoqué les clés et sessions exposées. Reconnectez-vous, créez "
        "de nouvelles clés d'accès et vérifiez l'activité récente de votre compte.",
        "online": "À elle seule, cette donnée présente un risque faible ; méfiez-vous des "
        "messages qui évoquent votre appareil ou votre connexion internet.",
        "geolocation": "Demandez-vous si cette information peut affecter votre sécurité et "
        "contactez-nous ou la police en cas d'inquiétude.",
        "health": "Vérifiez les relevés de votre assurance santé et de vos soignants pour repérer "
        "les soins ou remboursements que vous ne reconnaissez pas, et signalez-les.",
        "biometric": "Ces données ne peuvent pas être changées. Prévenez les services qui les "
        "utilisent pour vous identifier et préférez une autre méthode de connexion.",
        "special": "Méfiez-vous de quiconque utiliserait ces informations pour faire pression sur "
        "vous ou vous nuire, et signalez toute menace à la police.",
        "vehicle": "À elle seule, cette donnée présente un risque faible ; méfiez-vous des "
        "amendes ou messages inattendus concernant votre véhicule.",
    },
    "de": {
        "identity": "Seien Sie vorsichtig bei Anrufen, Nachrichten oder Briefen von Personen, die "
        "diese Angaben bereits kennen und damit vertrauenswürdig wirken wollen.",
        "security_answer": "Ändern Sie die Sicherheitsfragen und -antworten Ihrer Konten und "
        "nutzen Sie, wo möglich, die Zwei-Faktor-Anmeldung.",
        "phishing": "Rechnen Sie mit betrügerischen Nachrichten und Anrufen, die scheinbar von uns "
        "oder anderen kommen. Wir fragen Sie nie nach Ihrem Passwort: Öffnen Sie keine Links in "
        "unerwarteten Nachrichten.",
        "postal": "Seien Sie vorsichtig bei unerwarteten Briefen oder Paketen, die eine Zahlung "
        "oder persönliche Angaben verlangen.",
        "credit": "Lassen Sie bei den Auskunfteien einen Betrugswarnhinweis oder eine kostenlose "
        "Kreditsperre eintragen, prüfen Sie Ihre Bonitätsauskünfte und melden Sie Konten, die Sie "
        "nicht eröffnet haben.",
        "document": "Informieren Sie die ausstellende Behörde, fragen Sie, ob das Dokument "
        "ersetzt werden sollte, und achten Sie auf Konten oder Verträge in Ihrem Namen.",
        "card": "Prüfen Sie Ihre Kartenabrechnungen auf Zahlungen, die Sie nicht getätigt haben, "
        "rufen Sie Ihre Bank unter der Nummer auf der Kartenrückseite an und lassen Sie die "
        "Karte ersetzen.",
        "bank": "Prüfen Sie Ihre Kontoauszüge auf nicht genehmigte Abbuchungen, informieren Sie "
        "Ihre Bank und seien Sie misstrauisch, wenn jemand Ihre Kontodaten bestätigt haben will.",
        "account": "Achten Sie auf Anmeldehinweise, die Sie nicht kennen, und ändern Sie Ihr "
        "Passwort, wenn Sie es auch anderswo verwenden.",
        "password": "Ändern Sie Ihr Passwort jetzt, bei uns und überall, wo Sie dasselbe "
        "verwenden, und schalten Sie die Zwei-Faktor-Anmeldung ein.",
        "access_key": "Wir haben die betroffenen Schlüssel und Anmeldungen gesperrt. Melden Sie "
        "sich neu an, erstellen Sie neue Zugangsschlüssel und prüfen Sie die letzten Aktivitäten.",
        "online": "Für sich allein ist das Risiko gering; seien Sie vorsichtig bei Nachrichten, "
        "die Ihr Gerät oder Ihre Internetverbindung erwähnen.",
        "geolocation": "Überlegen Sie, ob diese Angabe Ihre Sicherheit berühren kann, und wenden "
        "Sie sich bei Sorgen an uns oder an die Polizei.",
        "health": "Prüfen Sie Abrechnungen Ihrer Krankenversicherung und Ihrer Behandler auf "
        "Leistungen, die Sie nicht kennen, und melden Sie diese.",
        "biometric": "Diese Daten lassen sich nicht ändern. Informieren Sie Dienste, die Sie "
        "damit erkennen, und nutzen Sie möglichst eine andere Anmeldemethode.",
        "special": "Seien Sie misstrauisch, wenn jemand diese Angaben nutzt, um Sie unter Druck "
        "zu setzen, und melden Sie jede Drohung der Polizei.",
        "vehicle": "Für sich allein ist das Risiko gering; achten Sie auf unerwartete Bußgelder "
        "oder Nachrichten zu Ihrem Fahrzeug.",
    },
}

_NAMES: dict[str, dict[DataElement, str]] = {
    "es": {
        E.PERSON_NAME: "su nombre",
        E.DATE_OF_BIRTH: "su fecha de nacimiento",
        E.MOTHERS_MAIDEN_NAME: "el apellido de soltera de su madre",
        E.GENDER: "su género",
        E.EMAIL: "su dirección de correo electrónico",
        E.PHONE: "su número de teléfono",
        E.POSTAL_ADDRESS: "su dirección postal",
        E.POSTAL_CODE: "su código postal",
        E.LOCATION: "su localidad o región",
        E.SSN: "su número de Seguro Social",
        E.NATIONAL_ID: "su número de documento nacional de identidad",
        E.DRIVERS_LICENSE: "su número de licencia de conducir",
        E.PASSPORT: "su número de pasaporte",
        E.TAX_ID: "su número de identificación fiscal",
        E.PAYMENT_CARD: "el número de su tarjeta de pago",
        E.CARD_SECURITY_CODE: "el código de seguridad de su tarjeta (CVV)",
        E.CARD_EXPIRY: "la fecha de caducidad de su tarjeta",
        E.BANK_ACCOUNT: "su número de cuenta bancaria",
        E.IBAN: "su número de cuenta bancaria (IBAN)",
        E.ROUTING_NUMBER: "el número de ruta de su banco",
        E.USERNAME: "su nombre de usuario",
        E.PASSWORD: "su contraseña",
        E.PASSWORD_HASH: "una forma cifrada de su contraseña",
        E.SECURITY_ANSWER: "las respuestas a sus preguntas de seguridad",
        E.API_KEY: "una clave de acceso a su cuenta",
        E.AUTH_TOKEN: "un token de inicio de sesión de su cuenta",
        E.IP_ADDRESS: "su dirección IP",
        E.DEVICE_ID: "un identificador de su dispositivo",
        E.GEOLOCATION: "su ubicación precisa",
        E.MEDICAL: "información sobre su salud",
        E.HEALTH_INSURANCE: "los datos de su seguro médico",
        E.BIOMETRIC: "sus datos biométricos",
        E.GENETIC: "sus datos genéticos",
        E.RACIAL_ETHNIC_ORIGIN: "su origen racial o étnico",
        E.POLITICAL_OPINION: "sus opiniones políticas",
        E.RELIGIOUS_BELIEF: "sus creencias religiosas o filosóficas",
        E.TRADE_UNION: "su afiliación sindical",
        E.SEX_LIFE_ORIENTATION: "información sobre su vida sexual u orientación sexual",
        E.CRIMINAL_RECORD: "información sobre antecedentes penales",
        E.VEHICLE_ID: "la matrícula o el número de identificación de su vehículo",
    },
    "fr": {
        E.PERSON_NAME: "votre nom",
        E.DATE_OF_BIRTH: "votre date de naissance",
        E.MOTHERS_MAIDEN_NAME: "le nom de jeune fille de votre mère",
        E.GENDER: "votre genre",
        E.EMAIL: "votre adresse électronique",
        E.PHONE: "votre numéro de téléphone",
        E.POSTAL_ADDRESS: "votre adresse postale",
        E.POSTAL_CODE: "votre code postal",
        E.LOCATION: "votre ville ou région",
        E.SSN: "votre numéro de sécurité sociale américain (SSN)",
        E.NATIONAL_ID: "votre numéro d'identité national",
        E.DRIVERS_LICENSE: "votre numéro de permis de conduire",
        E.PASSPORT: "votre numéro de passeport",
        E.TAX_ID: "votre numéro d'identification fiscale",
        E.PAYMENT_CARD: "votre numéro de carte bancaire",
        E.CARD_SECURITY_CODE: "le cryptogramme de votre carte (CVV)",
        E.CARD_EXPIRY: "la date d'expiration de votre carte",
        E.BANK_ACCOUNT: "votre numéro de compte bancaire",
        E.IBAN: "votre numéro de compte bancaire (IBAN)",
        E.ROUTING_NUMBER: "le code d'identification de votre banque",
        E.USERNAME: "votre identifiant",
        E.PASSWORD: "votre mot de passe",
        E.PASSWORD_HASH: "une forme chiffrée de votre mot de passe",
        E.SECURITY_ANSWER: "les réponses à vos questions de sécurité",
        E.API_KEY: "une clé d'accès à votre compte",
        E.AUTH_TOKEN: "un jeton de connexion à votre compte",
        E.IP_ADDRESS: "votre adresse IP",
        E.DEVICE_ID: "un identifiant de votre appareil",
        E.GEOLOCATION: "votre localisation précise",
        E.MEDICAL: "des informations sur votre santé",
        E.HEALTH_INSURANCE: "les informations de votre assurance santé",
        E.BIOMETRIC: "vos données biométriques",
        E.GENETIC: "vos données génétiques",
        E.RACIAL_ETHNIC_ORIGIN: "votre origine raciale ou ethnique",
        E.POLITICAL_OPINION: "vos opinions politiques",
        E.RELIGIOUS_BELIEF: "vos convictions religieuses ou philosophiques",
        E.TRADE_UNION: "votre appartenance syndicale",
        E.SEX_LIFE_ORIENTATION: "des informations sur votre vie sexuelle ou votre orientation "
        "sexuelle",
        E.CRIMINAL_RECORD: "des informations sur des condamnations pénales",
        E.VEHICLE_ID: "l'immatriculation ou le numéro d'identification de votre véhicule",
    },
    "de": {
        E.PERSON_NAME: "Ihr Name",
        E.DATE_OF_BIRTH: "Ihr Geburtsdatum",
        E.MOTHERS_MAIDEN_NAME: "der Geburtsname Ihrer Mutter",
        E.GENDER: "Ihr Geschlecht",
        E.EMAIL: "Ihre E-Mail-Adresse",
        E.PHONE: "Ihre Telefonnummer",
        E.POSTAL_ADDRESS: "Ihre Postanschrift",
        E.POSTAL_CODE: "Ihre Postleitzahl",
        E.LOCATION: "Ihr Wohnort oder Ihre Region",
        E.SSN: "Ihre US-Sozialversicherungsnummer (SSN)",
        E.NATIONAL_ID: "Ihre nationale Identifikationsnummer",
        E.DRIVERS_LICENSE: "Ihre Führerscheinnummer",
        E.PASSPORT: "Ihre Reisepassnummer",
        E.TAX_ID: "Ihre Steuer-Identifikationsnummer",
        E.PAYMENT_CARD: "Ihre Kartennummer",
        E.CARD_SECURITY_CODE: "die Prüfnummer Ihrer Karte (CVV)",
        E.CARD_EXPIRY: "das Ablaufdatum Ihrer Karte",
        E.BANK_ACCOUNT: "Ihre Kontonummer",
        E.IBAN: "Ihre Kontonummer (IBAN)",
        E.ROUTING_NUMBER: "die Bankleitzahl Ihrer Bank",
        E.USERNAME: "Ihr Benutzername",
        E.PASSWORD: "Ihr Passwort",
        E.PASSWORD_HASH: "eine verschlüsselte Form Ihres Passworts",
        E.SECURITY_ANSWER: "die Antworten auf Ihre Sicherheitsfragen",
        E.API_KEY: "ein Zugangsschlüssel zu Ihrem Konto",
        E.AUTH_TOKEN: "ein Anmelde-Token Ihres Kontos",
        E.IP_ADDRESS: "Ihre IP-Adresse",
        E.DEVICE_ID: "eine Kennung Ihres Geräts",
        E.GEOLOCATION: "Ihr genauer Standort",
        E.MEDICAL: "Angaben zu Ihrer Gesundheit",
        E.HEALTH_INSURANCE: "Angaben zu Ihrer Krankenversicherung",
        E.BIOMETRIC: "Ihre biometrischen Daten",
        E.GENETIC: "Ihre genetischen Daten",
        E.RACIAL_ETHNIC_ORIGIN: "Ihre rassische oder ethnische Herkunft",
        E.POLITICAL_OPINION: "Ihre politischen Meinungen",
        E.RELIGIOUS_BELIEF: "Ihre religiösen oder weltanschaulichen Überzeugungen",
        E.TRADE_UNION: "Ihre Gewerkschaftszugehörigkeit",
        E.SEX_LIFE_ORIENTATION: "Angaben zu Ihrem Sexualleben oder Ihrer sexuellen Orientierung",
        E.CRIMINAL_RECORD: "Angaben zu Vorstrafen",
        E.VEHICLE_ID: "das Kennzeichen oder die Fahrgestellnummer Ihres Fahrzeugs",
    },
}


def base_locale(locale: str) -> str:
    """The shipped locale for a tag: ``es-MX`` -> ``es``; unknown languages -> ``en``."""
    language = locale.replace("_", "-").split("-")[0].lower()
    return language if language in LOCALES else "en"


def element_name(element: DataElement, locale: str = "en") -> str:
    """Plain-words name of an element in a locale (English reuses the core label)."""
    loc = base_locale(locale)
    return label(element) if loc == "en" else _NAMES[loc][element]


def element_advice(element: DataElement, locale: str = "en") -> str:
    """What the person should do about an exposed element, in a locale."""
    return _ADVICE[base_locale(locale)][_GROUP[element]]


def element_texts(elements: Iterable[str], locale: str = "en") -> tuple[ElementText, ...]:
    """Name and advice of each element, most sensitive first, in a locale."""
    kinds = sorted({DataElement(e) for e in elements}, key=lambda e: (-sensitivity(e), e.value))
    return tuple(ElementText(e, element_name(e, locale), element_advice(e, locale)) for e in kinds)
