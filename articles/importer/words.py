"""Helpers for the word lists the importer's rules use."""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """Return the set of whitespace-separated words in a text."""
    return frozenset(text.split())


# Capitalised words that start sentences or name things other than
# companies.
NOT_COMPANY = words(
    "le la les l un une des de du d au aux en par pour chez selon enfin "
    "ainsi après avant alors mais et ou donc or ni car ce cette ces cet il "
    "elle ils elles on nous vous je tu son sa ses leur leurs mon ma dans "
    "sur sous avec sans entre vers depuis pendant lorsque quand comme si "
    "aussi toutefois pourtant cependant néanmoins dès déjà même plus moins "
    "très tout toute tous toutes certains certaines plusieurs quelques "
    "autre autres outre côté the a an in at on for by with from to of and "
    "or but so it its this that these those they we you he she his her "
    "their our also however meanwhile moreover yet still as after before "
    "while when if like unlike since ia ai ml llm llms pdg ceo cto cfo coo "
    "vp drh rh phd mba tech janvier février mars avril mai juin juillet "
    "août septembre octobre novembre décembre january february march april "
    "may june july august september october november december lundi mardi "
    "mercredi jeudi vendredi samedi dimanche monday tuesday wednesday "
    "thursday friday saturday sunday france europe états-unis etats-unis "
    "usa us uk royaume-uni allemagne chine inde japon canada californie "
    "california silicon valley hollywood paris londres london new york san "
    "francisco los angeles seattle boston berlin chatgpt copilot gemini "
    "claude llama gpt gpt-4 m mme mr mrs ms dr selon d'après pay salary "
    "salaries compensation le salaire la rémunération "
    # Nationalities and inhabitants, capitalised as nouns in French.
    "français françaises américain américains américaine américaines "
    "britanniques britannique anglais allemand allemands allemandes "
    "canadien canadiens canadienne québécois suisse suisses belges "
    "polonais italien italiens espagnol espagnols chinois japonais "
    "indiens européens européen européenne parisiens londoniens "
    "californiens americans british germans canadians europeans "
    # Currencies written as codes, and stock indices.
    "chf usd eur gbp cad aud jpy cac ftse nasdaq dax dow "
    # Acronyms of words, not of employers.
    "nlp tjm cdi cdd mlops pdg rh hr it r&d saas api gpu cpu phd mba ht ttc pib "
    "gdp ote tc fte ir35 ue eu onu ocde ipo rsu esn ssii bts dut iut smic tva kpi "
    "roi crm erp sql aws gcp iot faq cv dsi drh dg dga cnil apec insee ons bls"
)

# Words that open sentences without naming anything.
OPENERS = words(
    "all both each every some many most few several other others such any "
    "no none one two three four five tous toutes chaque chacun chacune "
    "aucun aucune beaucoup peu nombre certaines d'autres here there why how "
    "what who which où pourquoi comment quand combien yes oui non see voir "
    "read lire note notez also aussi would should could can do does did is are "
    "will est-ce faut-il for pour ceux celles celui celle ceci cela ça petit "
    "petite grand grande nouveau nouvelle i we you they he she my our your i'm "
    "i've i'd we're you're quant reste pas non oui bien voilà voici longtemps "
    "housing outre-atlantique outre-manche outre-rhin outre-quiévrain"
)

# First names that start a person's name: "Mark Zuckerberg", "Marie Martin".
# A name starting with one of them is a person, not an employer.
FIRST_NAMES = words(
    "adam adrien agnès alain alex alexandre alexis alice amélie ana anaïs andré "
    "andrew anna anne antoine arthur aurélie baptiste ben benjamin bernard bill "
    "brian bruno camille caroline catherine cécile charles charlotte chloé chris "
    "christian christine christophe claire clara claude clément colin daniel "
    "dana david denis didier dominique éléonore elena élise elizabeth elon emily "
    "emma emmanuel éric erik étienne eva fabien fanny florence françois françoise "
    "frédéric gabriel george georges gérard grace guillaume hannah hélène henri "
    "hugo inès isabelle jack jacques james jane jean jeanne jeff jennifer jérôme "
    "jessica jim joe john jonathan joseph julia julie julien justine karen kate "
    "katherine kevin laura laurent léa léo lisa louis louise luc lucas lucie "
    "manon marc marie marion mark martin mathieu matthew maxime michael michel "
    "mike nathalie nicolas noah olivier oscar patricia patrick paul peter philippe "
    "pierre rachel raphaël richard robert romain sam samuel sandrine sarah "
    "sébastien simon sophie stéphane steve steven susan sylvie thomas tim tom "
    "valérie victor vincent virginie william yann yves zoé sundar satya jensen "
    "sam sergey larry lisa demis dario mustafa arthur yann"
)

# A capitalised name of one to six words.
NAME = r"[A-ZÀ-ÖØ-Þ][\w'’.&-]*(?:\s(?:&\s|of\s)?[A-ZÀ-ÖØ-Þ][\w'’.&-]*){0,5}"


# Words a role's "content words" leave out when two roles are compared:
# articles, prepositions and possessives in French and English.
FILLER = words(
    "de du des la le les l d un une et en au aux a pour par sur dans chez "
    "ce cette sa son ses of the and for in on at an to with its"
)
