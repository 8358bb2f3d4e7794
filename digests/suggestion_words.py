"""Word lists for the "Names to review" queue (digests/suggestions.py): kept apart so that
editors' corrections are one-line changes. All entries are lower case."""

# Lower-case words allowed inside an organisation's name ("Council of Europe", "Office of the
# Prosecutor General", "Congress of Local and Regional Authorities").
PARTICLES = frozenset("of for the and on".split())

# A capitalised sequence holding one of these is taken for an organisation, and only then may
# particles join it.
ORGANIZATION_WORDS = frozenset(
    """
    council office committee union party ministry centre center cabinet movement assembly
    parliament commission court congress agency foundation fund institute university association
    service department bureau network forum initiative government embassy organization
    organisation alliance coalition bank federation league society club chamber senate mission
    programme program management corps regiment battalion front platform team administration
    prosecutor tribunal secretariat board council's school academy radio television channel
    company corporation group guard police army forces house palace
    рада офіс камітэт міністэрства партыя саюз рух кабінет цэнтр асамблея парламент суд
    офис совет комитет министерство партия союз движение кабинет центр
    """.split()
)

# Words that open a capitalised run without belonging to the name ("The", "In", "After"):
# stripped from the front of a run.
LEADING = frozenset(
    """
    the a an in on at by for from to of and or but as if so since when while after before during
    until with without about against among between into over under this that these those there
    here his her its their our my your we they he she it i yes no not also however meanwhile
    moreover furthermore nevertheless according today yesterday tomorrow later earlier last next
    all some many most several both each every another other such what which who whom whose why
    how where then now still only even just thus hence instead finally first second third
    recently currently together once again unfortunately indeed read watch see breaking
    update updated exclusive interview opinion analysis
    у ў в на з с па по да і и а але но сёння учора заўтра таксама аднак пасля падчас перад
    сегодня вчера завтра также однако после во время перед гэта это яна ён она он
    """.split()
)

# Titles and honorifics before a name ("President", "Foreign Minister", "Mr"): a run is cut
# after the last of them when a name follows.
TITLES = frozenset(
    """
    mr mrs ms dr prof sir madam president vice prime minister deputy head chair chairman
    chairwoman chairperson leader ambassador secretary spokesperson spokesman spokeswoman
    representative adviser advisor envoy commissioner chancellor king queen pope senator judge
    colonel mp mep activist journalist blogger lawyer opposition politician speaker director
    vice-president rapporteur officer member founder coordinator
    """.split()
)

# Ordinary capitalised words never listed on their own (headline words, nationalities).
ORDINARY = frozenset(
    """
    belarusian belarusians lithuanian lithuanians polish poles ukrainian ukrainians russian
    russians european europeans american americans german french british western eastern
    democratic political international national independent free general foreign state
    statement statements news digest photo video source comments top bottom page ree
    god thank thanks please dear happy merry christmas easter
    """.split()
)

# Months and weekdays (English, Belarusian, Russian): they end a run and never stand alone.
CALENDAR = frozenset(
    """
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday jan feb mar apr jun jul aug sep sept
    oct nov dec mon tue wed thu fri sat sun
    студзень люты сакавік красавік травень чэрвень ліпень жнівень верасень кастрычнік лістапад
    снежань студзеня лютага сакавіка красавіка траўня чэрвеня ліпеня жніўня верасня кастрычніка
    лістапада снежня январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь
    декабрь января февраля марта апреля мая июня июля августа сентября октября ноября декабря
    панядзелак аўторак серада чацвер пятніца субота нядзеля понедельник вторник среда четверг
    пятница суббота воскресенье
    """.split()
)

# Places the newsroom names every day: listed last, never suggested as people.
PLACES = frozenset(
    """
    belarus lithuania poland ukraine russia europe america germany france britain england
    latvia estonia georgia moldova kazakhstan china usa uk vilnius warsaw minsk kyiv kiev
    moscow brussels strasbourg berlin paris london washington riga tallinn geneva hague vienna
    prague budapest hrodna grodno brest homel gomel mahiliou mogilev viciebsk vitebsk navapolatsk
    baranavichy babruysk pinsk barysau lida maladzechna
    беларусь літва польшча украіна расія еўропа мінск вільня варшава кіеў масква гродна брэст
    гомель магілёў віцебск беларуси литва польша украина россия европа минск вильнюс варшава
    киев москва
    """.split()
)

# First names that make a two- or three-word capitalised run a person.
FIRST_NAMES = frozenset(
    """
    alexander aliaksandr aliaksei alexei alexey alena alesia ales andrei andrey andrzej anna
    anatol anatoly antonio artsiom artem dmitry dzmitry emmanuel franak friedrich gitanas hanna
    ihar igor iryna irina joe donald kaja keir kiryl kirill larysa leanid leonid maksim maxim
    maria maryia marina maryna mikalai nikolai natallia natalia olga olaf pavel paval radoslaw
    raman roman siarhei sergei sergey sviatlana svetlana tatsiana tatiana ursula uladzimir
    vladimir valery valeria valeryia veranika viktar viktor vitaly vital volha volodymyr yury
    yuri zianon zmitser ivan yan jan aleh oleg vadzim vadim palina polina ekaterina katsiaryna
    аляксандр святлана павел марыя мікалай віктар аляксей алесь ігар сяргей вольга ганна
    александр светлана мария николай виктор алексей игорь сергей ольга анна
    """.split()
)
