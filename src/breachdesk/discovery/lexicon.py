"""Small lexicons written from general knowledge: given names, surnames, places, street words.

They are deliberately compact (common forms across many languages), lower-cased, and never built
from any evaluation data.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in text.split())


GIVEN_NAMES = _words("""
james john robert michael william david richard joseph thomas charles christopher daniel matthew
anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward
jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin
samuel gregory alexander frank patrick raymond jack dennis jerry tyler aaron jose adam nathan henry
douglas zachary peter kyle noah ethan jeremy walter christian keith roger terry austin sean gerald
carl harold dylan arthur lawrence jordan jesse bryan billy bruce gabriel joe logan albert willie
alan eugene russell vincent philip bobby johnny bradley roy ralph louis randy howard wayne liam
oliver lucas mason elijah leo luke owen hugo oscar max felix victor martin simon ian neil colin
mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty sandra
margaret ashley kimberly emily donna michelle carol amanda melissa deborah stephanie dorothy rebecca
sharon laura cynthia amy kathleen angela shirley brenda emma anna pamela nicole samantha katherine
christine helen debra rachel carolyn janet maria catherine heather diane olivia julie joyce
victoria ruth virginia lauren kelly christina joan evelyn judith andrea hannah megan cheryl
jacqueline
martha madison teresa gloria sara janice ann kathryn abigail sophia frances jean alice judy isabella
julia grace amber denise danielle marilyn beverly charlotte natalie theresa diana brittany doris
kayla alexis lori marie ava mia chloe ella lily zoe sophie lucy jane claire alice ellie holly
megan ingrid astrid freya sigrid solveig kari liv hanna ida elsa karin birgit
hans klaus jurgen jürgen wolfgang helmut dieter uwe stefan thorsten lukas jonas leon finn paul
matthias florian tobias sebastian andreas markus michael christoph katrin sabine petra ursula
monika heike anja silke claudia brigitte gisela renate jutta
jean pierre jacques michel alain philippe nicolas françois francois olivier laurent christophe
julien antoine mathieu guillaume thierry sébastien sebastien vincent benoit benoît yves luc
marie nathalie isabelle sylvie catherine françoise valérie valerie sandrine céline celine aurélie
camille chloé manon léa lea inès juliette élodie elodie amélie amelie margaux mathilde clémence
giuseppe giovanni antonio mario luigi francesco angelo vincenzo pietro salvatore carlo franco
domenico bruno paolo michele giorgio aldo sergio luciano marco andrea stefano alessandro matteo
lorenzo davide simone federico riccardo fabio roberto massimo maurizio giulia chiara francesca
alessandra federica valentina elena silvia paola rosa anna giovanna lucia sofia martina
josé jose juan carlos luis miguel javier manuel francisco jesús jesus pedro alejandro rafael
fernando pablo jorge alberto sergio diego andrés andres ramón ramon enrique raúl raul álvaro
alvaro iván ivan rubén ruben óscar adrián adrian mateo santiago sebastián
carmen maría josefa isabel dolores pilar teresa ana lucía lucia laura marta cristina paula sara
raquel beatriz rocío rocio alba nuria silvia patricia mercedes rosario gabriela valeria daniela
joão joao antónio fernando rui nuno tiago gonçalo gonçalves diogo afonso inês beatriz leonor
jan piet kees henk willem dirk bram daan sem thijs joost ruben niels bas sanne lotte femke
anouk fleur iris noor eva lieke lisa
lars nils erik anders johan karl per olof sven magnus björn bjorn gunnar leif ola ole knut
jens henrik søren soren mikkel rasmus kasper mads frederik emil oskar axel elias hugo
anna maja elin sara emma linnea ebba wilma alva signe mette lene pia tove inger gunhild
mikko jukka pekka matti timo antti juha kari heikki ville jari petri tuomas janne sami
aino eino väinö veikko tiina päivi sari leena anne minna satu riikka johanna kaisa
jón jon gunnar sigurður sigurdur guðmundur gudmundur ólafur olafur einar kristján helgi
guðrún gudrun sigríður sigridur kristín kristin margrét margret helga ragnheiður
piotr krzysztof andrzej tomasz paweł pawel michał michal marcin jakub adam łukasz lukasz
mateusz kamil wojciech grzegorz marek katarzyna małgorzata malgorzata agnieszka barbara ewa
magdalena joanna aleksandra zofia monika ivan dmitri dmitry sergei sergey alexei alexey andrei
andrey mikhail nikolai vladimir yuri
pavel oleg igor boris anatoly natalia natalya olga tatiana tatyana svetlana irina elena ekaterina
anastasia yulia marina galina jiří jiri jan petr josef pavel martin tomáš tomas jaroslav miroslav
zdeněk jana eva hana lenka
lászló laszlo istván istvan józsef jozsef zoltán zoltan sándor sandor gábor gabor ferenc attila
zsófia zsofia katalin erzsébet erzsebet george georgios giorgos dimitris dimitrios konstantinos
nikos nikolaos yannis ioannis kostas
christos panagiotis vasilis maria eleni katerina sofia dimitra georgia
mehmet mustafa ahmet ali hüseyin huseyin hasan ibrahim ismail yusuf murat emre fatma ayşe ayse
emine hatice zeynep elif
mohammed mohammad muhammad ahmed ahmad omar hassan hussein khalid abdullah youssef yusuf karim
fatima aisha aysha layla leila nour zainab maryam amina
wei jing li min hui ying lei jun yan hong ming xiao chen hao yu hiroshi takashi kenji yuki
haruto sota yui aoi sakura hana minjun jiho seoyeon
raj rahul amit arjun vikram sanjay anil sunil ravi vijay priya anjali pooja neha deepa sunita
kwame kofi chinedu emeka oluwaseun adebayo aisha ngozi amara zola thabo sipho
""")

SURNAMES = _words("""
smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez
gonzalez wilson anderson thomas taylor moore jackson martin lee perez thompson white harris
sanchez clark ramirez lewis robinson walker young allen king wright scott torres nguyen hill
flores green adams nelson baker hall rivera campbell mitchell carter roberts gomez phillips evans
turner diaz parker cruz edwards collins reyes stewart morris morales murphy cook rogers gutierrez
ortiz morgan cooper peterson bailey reed kelly howard ramos kim cox ward richardson watson brooks
chavez wood james bennett gray mendoza ruiz hughes price alvarez castillo sanders patel myers
long ross foster jimenez matthews müller mueller schmidt schneider fischer weber meyer wagner
becker schulz hoffmann koch richter
klein wolf schröder neumann schwarz zimmermann braun krüger hofmann hartmann lange werner
martin bernard dubois thomas robert richard petit durand leroy moreau simon laurent lefebvre
michel garcia david bertrand roux vincent fournier morel girard andré lefèvre mercier dupont
rossi russo ferrari esposito bianchi romano colombo ricci marino greco bruno gallo conti
de jong jansen de vries van den berg van dijk bakker janssen visser smit meijer de boer mulder
fernández fernandez gonzález rodríguez lópez martínez sánchez pérez gómez martín jiménez
ruiz hernández díaz moreno álvarez muñoz romero alonso gutiérrez navarro torres domínguez
silva santos ferreira pereira oliveira costa rodrigues martins jesus sousa fernandes gonçalves
andersson johansson karlsson nilsson eriksson larsson olsson persson svensson gustafsson
hansen johansen olsen larsen andersen pedersen nielsen kristiansen jensen
korhonen virtanen mäkinen nieminen mäkelä hämäläinen laine heikkinen koskinen järvinen
nowak kowalski wiśniewski wójcik kowalczyk kamiński lewandowski zieliński szymański
ivanov smirnov kuznetsov popov vasiliev petrov sokolov mikhailov novikov fedorov morozov
papadopoulos papadakis georgiou nikolaou
yilmaz kaya demir şahin sahin çelik celik yildiz aydin öztürk ozturk
wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo lin he gao luo
sato suzuki takahashi tanaka watanabe ito yamamoto nakamura kobayashi kato
kumar singh sharma gupta khan shah mehta reddy iyer
o'brien o'connor o'neill o'sullivan murphy kelly walsh byrne ryan mccarthy
""")

NAME_PARTICLES = _words("van von der den de del della di da dos das du la le bin al ben mac mc st")

HONORIFICS = _words(
    "mr mrs ms miss mx dr prof sir madam dame lord lady mme mlle herr frau sr sra srta dott "
    "rev fr capt col gen sgt"
)

# Capitalised words that start sentences or name things but are not personal names.
NOT_NAMES = _words("""
i a an the this that these those there here it its he she we they you my your our their his her
hi hello dear thanks thank please yes no ok okay sorry hey well so but and or if when while
what who whom which where why how can could would should will shall may might must do does did
is are was were be been being have has had am let lets let's just also then now today tomorrow
yesterday monday tuesday wednesday thursday friday saturday sunday january february march april
may june july august september october november december mon tue wed thu fri sat sun jan feb mar
apr jun jul aug sep sept oct nov dec street st avenue ave road rd lane ln drive dr boulevard blvd
apt apartment suite unit floor box po inc ltd llc gmbh corp co company group bank university
college school hospital church hotel restaurant club team department office ministry agency
service services technologies technology systems solutions consulting partners international
national global holdings capital financial foundation institute association society
card credit debit visa mastercard amex account number phone email mail address billing shipping
name id ssn iban zip code postcode city state country north south east west new old great big
united kingdom states america american english french german spanish italian chinese
birthday regards sincerely best kind warm cheers love yours mobile desk fax tel home work
directed written produced starring by via re fwd subject from to cc bcc date time
mister doctor professor customer client user admin manager director president ceo
god lord christmas easter internet web online app ios android windows linux google facebook
""")

STREET_SUFFIXES = _words("""
street st str avenue ave av avda road rd lane ln drive dr boulevard blvd court ct place pl way
terrace ter highway hwy parkway pkwy circle cir square sq crescent cres close grove row walk
alley mews hill gardens park trail track pike loop run path plaza plz quay wharf esplanade
rue allée allee chemin impasse quai cours place route voie
straße strasse str weg gasse platz allee ring damm ufer chaussee
via viale piazza corso vicolo largo strada
calle avenida paseo plaza camino carretera carrera ronda travesía travesia
rua travessa largo estrada alameda praça praca
straat laan weg plein gracht kade singel dijk
vej gade allé alle vænge
gatan gata vägen vägen väg gränd torget
veien vei gate gata
katu tie kuja polku
utca út ut tér ter
ulica ul aleja al plac osiedle
ulitsa prospekt
odos
""")

# Endings that mark a one-word street name in several languages (Hauptstraße, Koskikatu, ...).
STREET_ENDINGS = (
    "straße", "strasse", "str.", "weg", "gasse", "platz", "allee", "damm", "ring",
    "katu", "tie", "kuja", "vej", "gade", "gatan", "vägen", "veien", "gata", "laan", "straat",
    "gracht", "utca", "street", "road",
)  # fmt: skip

UNIT_WORDS = _words("apt apt. apartment suite ste unit flat floor fl room rm bldg building no nº #")

COUNTRIES = frozenset(
    c.lower()
    for c in """
Afghanistan|Albania|Algeria|Andorra|Angola|Argentina|Armenia|Australia|Austria|Azerbaijan|
Bahamas|Bahrain|Bangladesh|Barbados|Belarus|Belgium|Belize|Benin|Bhutan|Bolivia|Bosnia and
Herzegovina|Botswana|Brazil|Brunei|Bulgaria|Burkina Faso|Burundi|Cambodia|Cameroon|Canada|Cape
Verde|Chad|Chile|China|Colombia|Comoros|Congo|Costa Rica|Croatia|Cuba|Cyprus|Czech Republic|
Czechia|Denmark|Djibouti|Dominica|Dominican Republic|Ecuador|Egypt|El Salvador|Eritrea|Estonia|
Eswatini|Ethiopia|Fiji|Finland|France|Gabon|Gambia|Georgia|Germany|Ghana|Greece|Grenada|
Guatemala|Guinea|Guyana|Haiti|Honduras|Hong Kong|Hungary|Iceland|India|Indonesia|Iran|Iraq|
Ireland|Israel|Italy|Ivory Coast|Jamaica|Japan|Jordan|Kazakhstan|Kenya|Kiribati|Kosovo|Kuwait|
Kyrgyzstan|Laos|Latvia|Lebanon|Lesotho|Liberia|Libya|Liechtenstein|Lithuania|Luxembourg|Macau|
Madagascar|Malawi|Malaysia|Maldives|Mali|Malta|Mauritania|Mauritius|Mexico|Moldova|Monaco|
Mongolia|Montenegro|Morocco|Mozambique|Myanmar|Namibia|Nauru|Nepal|Netherlands|New Zealand|
Nicaragua|Niger|Nigeria|North Korea|North Macedonia|Norway|Oman|Pakistan|Palau|Palestine|Panama|
Papua New Guinea|Paraguay|Peru|Philippines|Poland|Portugal|Puerto Rico|Qatar|Romania|Russia|
Rwanda|Samoa|San Marino|Saudi Arabia|Senegal|Serbia|Seychelles|Sierra Leone|Singapore|Slovakia|
Slovenia|Somalia|South Africa|South Korea|South Sudan|Spain|Sri Lanka|Sudan|Suriname|Sweden|
Switzerland|Syria|Taiwan|Tajikistan|Tanzania|Thailand|Togo|Tonga|Trinidad and Tobago|Tunisia|
Turkey|Türkiye|Turkmenistan|Tuvalu|Uganda|Ukraine|United Arab Emirates|United Kingdom|
United States|USA|UK|Uruguay|Uzbekistan|Vanuatu|Vatican City|Venezuela|Vietnam|Yemen|Zambia|
Zimbabwe|England|Scotland|Wales|Northern Ireland|Greenland|Faroe Islands|Korea|Holland|
Deutschland|España|Italia|Österreich|Schweiz|Suisse|Sverige|Norge|Danmark|Suomi|Polska|Ελλάδα|
Россия|Hrvatska|Magyarország|Česko|Éire|Nederland|België|Belgique
""".replace("\n", "").split("|")
)

# Large and well-known cities; smaller places are found by context cues instead.
CITIES = frozenset(
    c.lower()
    for c in """
New York|Los Angeles|Chicago|Houston|Phoenix|Philadelphia|San Antonio|San Diego|Dallas|
San Jose|Austin|Boston|Seattle|Denver|Washington|Miami|Atlanta|Detroit|Portland|Las Vegas|
San Francisco|Baltimore|Nashville|Toronto|Montreal|Vancouver|Ottawa|Calgary|London|Manchester|
Birmingham|Glasgow|Edinburgh|Liverpool|Leeds|Bristol|Dublin|Cork|Paris|Lyon|Marseille|Toulouse|
Nice|Bordeaux|Lille|Berlin|Hamburg|Munich|München|Cologne|Köln|Frankfurt|Stuttgart|Düsseldorf|
Dresden|Leipzig|Vienna|Wien|Zurich|Zürich|Geneva|Genève|Bern|Basel|Rome|Roma|Milan|Milano|
Naples|Napoli|Turin|Torino|Florence|Firenze|Venice|Venezia|Madrid|Barcelona|Valencia|Seville|
Sevilla|Bilbao|Lisbon|Lisboa|Porto|Amsterdam|Rotterdam|The Hague|Utrecht|Brussels|Bruxelles|
Antwerp|Copenhagen|København|Stockholm|Gothenburg|Göteborg|Oslo|Bergen|Helsinki|Reykjavik|
Warsaw|Warszawa|Krakow|Kraków|Prague|Praha|Budapest|Bucharest|Sofia|Athens|Athina|Istanbul|
Ankara|Moscow|Moskva|Kyiv|Kiev|Minsk|Riga|Vilnius|Tallinn|Belgrade|Zagreb|Ljubljana|Sarajevo|
Tokyo|Osaka|Kyoto|Seoul|Beijing|Shanghai|Shenzhen|Hong Kong|Taipei|Singapore|Bangkok|Jakarta|
Manila|Hanoi|Delhi|New Delhi|Mumbai|Bangalore|Bengaluru|Chennai|Kolkata|Karachi|Lahore|Dhaka|
Dubai|Abu Dhabi|Doha|Riyadh|Tehran|Baghdad|Cairo|Lagos|Nairobi|Johannesburg|Cape Town|
Casablanca|Sydney|Melbourne|Brisbane|Perth|Adelaide|Auckland|Wellington|Mexico City|
Buenos Aires|São Paulo|Sao Paulo|Rio de Janeiro|Lima|Bogotá|Bogota|Santiago|Caracas|Montevideo
""".replace("\n", "").split("|")
)

US_STATES = _words("""
AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY
NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR
""") | frozenset(
    s.lower()
    for s in """Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|
Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|
Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|
New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|
Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|
West Virginia|Wisconsin|Wyoming""".replace("\n", "").split("|")
)

NATIONALITIES = _words("""
afghan albanian algerian american andorran angolan argentine argentinian armenian australian
austrian azerbaijani bahamian bahraini bangladeshi barbadian belarusian belgian belizean beninese
bhutanese bolivian bosnian botswanan brazilian british bruneian bulgarian burkinabe burmese
burundian cambodian cameroonian canadian chadian chilean chinese colombian congolese costa
croatian cuban cypriot czech danish djiboutian dominican dutch ecuadorian egyptian emirati english
eritrean estonian ethiopian fijian filipino finnish french gabonese gambian georgian german
ghanaian greek grenadian guatemalan guinean guyanese haitian honduran hungarian icelandic indian
indonesian iranian iraqi irish israeli italian ivorian jamaican japanese jordanian kazakh kenyan
korean kosovar kuwaiti kyrgyz laotian latvian lebanese liberian libyan lithuanian luxembourgish
macedonian malagasy malawian malaysian maldivian malian maltese mauritanian mauritian mexican
moldovan monegasque mongolian montenegrin moroccan mozambican namibian nepalese nepali
nicaraguan nigerian nigerien norwegian omani pakistani palestinian panamanian paraguayan
peruvian polish portuguese qatari romanian russian rwandan salvadoran samoan saudi scottish
senegalese serbian singaporean slovak slovenian slovene somali spanish sudanese surinamese swedish
swiss syrian taiwanese tajik tanzanian thai togolese tongan tunisian turkish turkmen ugandan
ukrainian uruguayan uzbek venezuelan vietnamese welsh yemeni zambian zimbabwean
hispanic latino latina latinx caucasian asian african arab roma romani kurdish basque catalan
""")

RELIGIONS = _words("""
christian christians catholic catholics protestant protestants orthodox evangelical baptist
methodist lutheran anglican mormon muslim muslims islamic jewish jew jews judaism hindu hindus
hinduism buddhist buddhists buddhism sikh sikhs sikhism atheist atheists agnostic agnostics
jain taoist shinto sunni shia shiite pagan wiccan
""")

POLITICAL = _words("""
democrat democrats republican republicans socialist socialists communist communists
conservative conservatives liberal liberals libertarian libertarians labour tory tories
green greens anarchist anarchists marxist marxists nationalist nationalists
""")

# Frequent English words; a capitalised run made only of words like these is a title or a heading
# rather than a name (names that are also words, such as Rose or King, come from the name lists).
COMMON_WORDS = _words("""
about above act action add after again against age ago air all almost alone along already also
always among amount animal answer any appear apply area arm army around arrive art ask attack
away baby back bad bag ball base be bear beat beautiful bed before begin behind believe best
better between beyond bird birth bit black blood blue board boat body book born both box boy
break bring brother build building burn business buy call camp car care carry case catch cause
cell center central century certain chair chance change character charge check child choice
choose church citizen civil claim class clear close coach cold collection college color come
common community computer condition consider contain continue control cost could country couple
course cover create crime cultural culture cup current cut dark data daughter dead deal death
decade decide deep defense degree design detail develop die difference different difficult
dinner direction discover discuss disease do doctor dog door down draw dream drive drop drug
during each early earth east easy eat economic economy edge education effect effort eight
either election else end energy enjoy enough enter entire environment especially even evening
event ever every evidence exactly example executive exist expect experience expert explain eye
face fact factor fail fall family far fast father fear federal feel feeling few field fight
figure file fill film final finally financial find fine finger finish fire firm first fish five
floor fly focus follow food foot force foreign forget form former forward four free friend front
full fund future game garden gas general generation get girl give glass goal gold good
government great green ground group grow growth guess gun guy hair half hand hang happen happy
hard have head health hear heart heat heavy help her here herself high him himself history hit
hold holiday home hope hospital hot hotel hour house however huge human hundred husband idea
identify image imagine impact important improve include including increase indeed indicate
individual industry information inside instead institution interest interesting international
interview into investment issue item itself job join just keep key kid kill killed kind kitchen
know knowledge land language large last late later laugh law lawyer lay lead leader learn least
leave left leg legal less letter level lie life light like likely line list listen little live
local long look lose loss lot love low machine magazine main maintain major majority make man
manage management many market marriage material matter maybe me mean measure media medical meet
meeting member memory mention message method middle might military million mind minute miss
mission model modern moment money month more morning most mother mouth move movement movie much
music must myself name nation national natural nature near nearly necessary need network never
news newspaper next nice night nine none nor north not note nothing notice number occur of off
offer office officer official often oil old once one only onto open operation opportunity option
order organization other others out outside over own owner page pain painting paper parent part
participant particular partner party pass past patient pattern pay peace people per perform
performance perhaps period person personal phone physical pick picture piece place plan plant
play player pleasure point police policy political poor popular population position positive
possible power practice prepare present president pressure pretty prevent price private probably
problem process produce product production professional professor program project property
protect prove provide public pull purpose push put quality question quickly quite race radio
raise range rate rather reach read ready real reality realize really reason receive recent
recently recognize record red reduce reflect region relate relationship religious remain remember
remove report represent republican require research resource respond response rest result return
reveal rich right rise risk road rock role room rule run safe same save say scene school science
scientist score sea season seat second section security see seek seem sell send senior sense
series serious serve service set seven several shake share shoot short shot should shoulder show
side sign significant similar simple simply since sing single sister sit site situation six size
skill skin small smile so social society soldier some somebody someone something sometimes son
song soon sort sound source south southern space speak special specific speech spend sport
spring staff stage stand standard star start state statement station stay step still stock stop
store story strategy street strong structure student study stuff style subject success successful
such suddenly suffer suggest summer support sure surface system table take talk task tax teach
teacher team technology television tell ten tend term test than thank that the their them
themselves then theory there these they thing think third this those though thought thousand
threat three through throughout throw thus time today together tonight too top total tough toward
town trade traditional training travel treat treatment tree trial trip trouble true truth try
turn tv two type under understand unit until up upon us use usually value various very victim
view violence visit voice vote wait walk wall want war watch water way we weapon wear week weight
well west western what whatever when where whether which while white who whole whom whose why
wide wife will win wind window wish with within without woman wonder word work worker world worry
would write writer wrong yard yeah year yes yet you young your yourself
award awarded business day royal info explorer union prince princess queen title
""")

ORG_WORDS = _words("""
inc ltd llc plc gmbh ag sa corp corporation company co group bank university college school
hospital church hotel restaurant club team department ministry agency services technologies
technology systems solutions consulting partners international holdings capital financial
foundation institute association society limited airlines motors labs studios media press
records pictures entertainment insurance orchestra band act tv radio news weekly magazine times
festival awards league museum gallery theatre theater airport station stadium academy council
committee court software research incorporated markets market transit movers lines investments
unlimited analytics networks network digital energy logistics pharmaceuticals pharma foods
associates ventures brothers bros sons trust fund funds realty properties communications
telecom health healthcare medical clinic industries industry manufacturing motors auto airways
express global worldwide enterprises enterprise labs laboratories data resources programming
""")
