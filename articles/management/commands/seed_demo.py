import random
from pathlib import Path

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand
from django.test.utils import override_settings
from django.utils import timezone

from articles.importer.load import import_text
from forum.models import Reply, Thread
from forum.services import cast_vote, post_reply

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
DEMO_PASSWORD = "demo-password-2024"
# Seeded so that every run writes the same conversations and votes.
SEED = 2024

READERS = [
    ("camille", "Camille R."),
    ("julien", "Julien M."),
    ("sofia", "Sofia B."),
    ("mehdi", "Mehdi K."),
    ("lea", "Léa D."),
    ("thomas", "Thomas L."),
    ("ines", "Inès F."),
    ("antoine", "Antoine P."),
    ("chloe", "Chloé V."),
    ("nadia", "Nadia S."),
]

OPENINGS_FR = [
    "Ces montants concernent une poignée de profils. Pour la plupart des "
    "ingénieurs en IA, la réalité ressemble beaucoup plus au reste du marché.",
    "Quand on regarde le coût d'un modèle raté, payer très cher la personne qui "
    "l'évite n'a rien d'absurde.",
    "J'aimerais surtout savoir combien de ces postes sont réellement pourvus. "
    "Une annonce n'est pas un contrat signé.",
    "En France, on est loin de ces chiffres, même dans les grandes entreprises du "
    "CAC 40. L'écart se creuse.",
    "Le vrai sujet, c'est la formation : on manque de gens capables de mettre un "
    "modèle en production, pas de chercheurs vedettes.",
    "Je travaille dans une start-up parisienne : on ne peut pas s'aligner, alors "
    "on mise sur l'intérêt des projets et le télétravail.",
    "Il faut comparer ce qui est comparable : salaire de base, primes et actions "
    "n'ont pas du tout le même risque.",
    "Ça rappelle la bulle des années 2000. Les salaires suivaient les "
    "valorisations, puis tout s'est arrêté d'un coup.",
    "Un salaire élevé attire aussi des profils qui viennent pour l'argent. Sur "
    "la durée, ce n'est pas forcément un bon calcul.",
    "Les entreprises européennes ont d'autres atouts : la stabilité, la "
    "protection sociale, des horaires raisonnables.",
]
ANSWERS_FR = [
    "D'accord avec toi, la médiane raconte une tout autre histoire.",
    "Pas sûr : dans ma boîte, les profils IA ont été augmentés de 20 % en un an.",
    "Tu as une source pour ça ? Ça m'intéresse.",
    "C'est exactement ce que j'observe chez nos clients.",
    "Le coût de la vie dans la Silicon Valley explique aussi une bonne partie "
    "de l'écart.",
    "Je nuance : les actions peuvent ne rien valoir au bout de quatre ans.",
    "Bonne remarque, je n'avais pas vu les choses sous cet angle.",
    "Sauf que les meilleurs partent quand même, à salaire égal ou presque.",
    "On parle de quelques centaines de personnes dans le monde, pas d'un marché.",
    "Merci pour le témoignage, c'est rare d'avoir des chiffres concrets.",
]
OPENINGS_EN = [
    "These figures describe a handful of people. Most machine learning jobs pay "
    "like any other senior engineering role.",
    "A listing is not an offer. I'd like to know how many of these roles were "
    "actually filled.",
    "If one engineer saves a company months of failed training runs, the salary "
    "pays for itself.",
    "The hourly rates at the bottom of the list say more about the market than "
    "the headline numbers.",
]
ANSWERS_EN = [
    "Agreed, the median tells a very different story.",
    "Do you have a source for that? I'd be curious.",
    "Equity is the part people forget: it can be worth nothing in four years.",
    "That matches what I see in hiring rounds this year.",
]


class Command(BaseCommand):
    help = (
        "Load the demo articles, readers, conversations and votes. "
        "Running it again changes nothing."
    )

    def handle(self, *args, **options):
        rng = random.Random(SEED)
        with override_settings(
            FORUM_RATE_LIMITS={},
            FORUM_HOLD_FIRST_REPLIES=0,
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ):
            articles = self._import_articles()
            readers = self._create_users()
            replies = votes = 0
            for article in articles:
                threads = Thread.objects.filter(article=article).order_by("position")
                for thread in threads:
                    # Threads that already have replies were seeded before, or
                    # readers have written there: leave them alone.
                    if Reply.objects.filter(thread=thread).exists():
                        continue
                    added, voted = self._converse(
                        thread, readers, rng, article.language
                    )
                    replies += added
                    votes += voted
        self.stdout.write(
            f"Demo data: {len(articles)} article(s), {len(readers)} reader(s), "
            f"{replies} new reply(ies), {votes} new vote(s). "
            f"Readers and 'admin' sign in with the password {DEMO_PASSWORD!r}."
        )

    def _import_articles(self):
        articles = []
        for path in sorted(DEMO_DIR.glob("*.txt")):
            result = import_text(
                path.read_text(encoding="utf-8"), filename=f"demo-{path.name}"
            )
            articles.append(result.article)
        return articles

    def _create_users(self):
        User = get_user_model()
        joined = timezone.now() - timezone.timedelta(days=90)
        # Hashing is slow on purpose; the demo accounts share one hash.
        password = make_password(DEMO_PASSWORD)
        if not User.objects.filter(username="admin").exists():
            User.objects.create(
                username="admin",
                email="admin@example.org",
                display_name="Admin",
                password=password,
                is_staff=True,
                is_superuser=True,
                email_on_reply=False,
                date_joined=joined,
                email_verified_at=joined,
            )
        readers = []
        for username, display_name in READERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create(
                    username=username,
                    email=f"{username}@example.org",
                    display_name=display_name,
                    password=password,
                    email_on_reply=False,
                    date_joined=joined,
                    email_verified_at=joined,
                )
            readers.append(user)
        # The demo accounts' addresses count as confirmed: they reply at once,
        # and allauth knows them (password reset, the e-mail page).
        admin = User.objects.filter(username="admin").first()
        for user in [*readers, *([admin] if admin else [])]:
            if user.email_verified_at is None:
                user.email_verified_at = joined
                User.objects.filter(pk=user.pk).update(email_verified_at=joined)
            if user.email:
                EmailAddress.objects.update_or_create(
                    user=user,
                    email=user.email,
                    defaults={"verified": True, "primary": True},
                )
        return readers

    def _converse(self, thread, readers, rng, language):
        openings = OPENINGS_EN if language == "en" else OPENINGS_FR
        answers = ANSWERS_EN if language == "en" else ANSWERS_FR
        written = []
        for opening in rng.sample(openings, k=min(len(openings), rng.randint(2, 4))):
            author = rng.choice(readers)
            root = post_reply(thread=thread, author=author, body=opening)
            written.append(root)
            parent = root
            for _depth in range(rng.randint(0, 3)):
                others = [user for user in readers if user.pk != parent.author_id]
                child = post_reply(
                    thread=thread,
                    author=rng.choice(others),
                    body=rng.choice(answers),
                    parent=parent,
                )
                written.append(child)
                # Some answers open a side discussion, others go deeper.
                parent = child if rng.random() < 0.6 else root
        votes = 0
        for reply in written:
            voters = [user for user in readers if user.pk != reply.author_id]
            for voter in rng.sample(voters, k=rng.randint(0, 5)):
                value = 1 if rng.random() < 0.8 else -1
                try:
                    cast_vote(reply=reply, voter=voter, value=value)
                except (ValidationError, PermissionDenied):
                    continue
                votes += 1
        return len(written), votes
