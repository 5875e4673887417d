"""Build a large synthetic forum quickly, for load tests and query budgets.

Rows are written with bulk inserts and ids chosen in advance, so each reply's
path, root and depth are computed here instead of read back. Replies, votes
and reports, the large tables, go in as plain rows through executemany in
batches: building a model instance per row for bulk_create costs about eight
times as much Python time, which is most of the load time at a million rows.

Counters are computed from the rows written: a thread's reply_count counts
its published, non-removed replies, its top_level_count its top-level ones
(removed or not), its score sums its replies' scores, and
each reply's votes and open flags match its counters.

One thread gets --megathread replies nested past the display depth cap and
another exactly --small-thread replies, for comparing a huge thread with a
small one in the same database.
"""

import json
import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import User
from articles.models import Article, Citation, Company, Posting
from forum.markdown import render_markdown
from forum.models import FULL_REPORT_WEIGHT, Flag, Reply, Thread, Vote, reply_path
from forum.services import wilson_lower_bound

OPENINGS = [
    "Franchement",
    "Pour avoir recruté dans une jeune pousse",
    "Vu de Lyon",
    "Après dix ans dans la donnée",
    "Je travaille dans un laboratoire public et",
    "Honnêtement",
    "Du côté des écoles d'ingénieurs",
    "En tant que développeuse",
    "Sans vouloir jouer les rabat-joie",
    "D'après les offres que je reçois",
]
CLAIMS = [
    "ces salaires ne concernent qu'une poignée de profils très recherchés",
    "les grilles des grands groupes restent loin de ces montants",
    "la part variable pèse plus lourd que le fixe annoncé",
    "le coût de la vie à San Francisco change tout le calcul",
    "les profils en apprentissage automatique partent vers l'étranger",
    "les start-up compensent avec des actions qui ne valent parfois rien",
    "le télétravail rebat les cartes pour les équipes européennes",
    "les chercheurs publics gagnent trois fois moins pour le même travail",
    "la bulle finira par se dégonfler comme en 2001",
    "les entreprises paient surtout la rareté, pas la compétence",
    "les juniors ne voient jamais la couleur de ces chiffres",
    "un bon ingénieur de données vaut autant qu'un chercheur",
]
CLOSINGS = [
    "Qu'en pensez-vous ?",
    "Je serais curieux d'avoir d'autres retours.",
    "C'est mon expérience, en tout cas.",
    "Les chiffres de l'article le montrent bien.",
    "Il faudrait des données plus fines pour trancher.",
    "",
]
QUESTIONS = [
    "Ces salaires sont-ils justifiés ?",
    "Faut-il partir à l'étranger pour être bien payé ?",
    "Les écoles préparent-elles à ces postes ?",
    "La bulle va-t-elle éclater ?",
]
COMPANY_NAMES = [
    "Mistral",
    "Hugging",
    "Criteo",
    "Dataiku",
    "Owkin",
    "Photoroom",
    "Alan",
    "Doctolib",
    "Contentsquare",
    "Qonto",
]
ROLES = [
    "Ingénieur en apprentissage automatique",
    "Chercheuse en IA",
    "Ingénieur de données",
    "Responsable de l'IA",
    "Développeur LLM",
]


@dataclass
class Plan:
    """How many rows of each kind to write."""

    replies: int
    threads: int
    megathread: int
    small_thread: int
    users: int
    seed: int
    batch_size: int
    sizes: list[int] = field(default_factory=list)


@dataclass
class Summary:
    users: int = 0
    articles: int = 0
    threads: int = 0
    replies: int = 0
    votes: int = 0
    flags: int = 0
    removed: int = 0
    megathread_id: int | None = None
    megathread_url: str = ""
    small_thread_id: int | None = None
    small_thread_url: str = ""
    max_depth: int = 0


class Ids:
    """The next free primary key of each model, handed out in order."""

    def __init__(self, *model_classes):
        self.next = {}
        for model_class in model_classes:
            top = model_class.objects.aggregate(top=models.Max("pk"))["top"]
            self.next[model_class] = (top or 0) + 1

    def take(self, model_class, count: int = 1) -> int:
        first = self.next[model_class]
        self.next[model_class] = first + count
        return first


class Command(BaseCommand):
    help = (
        "Add a large synthetic forum: articles, threads, nested replies, votes "
        "and reports, with bulk inserts. For load tests and query budgets."
    )

    def add_arguments(self, parser):
        parser.add_argument("--replies", type=int, default=1_000_000)
        parser.add_argument(
            "--threads", type=int, help="default: one per 500 replies, at most 2,000"
        )
        parser.add_argument(
            "--megathread", type=int, help="replies of the largest thread (10,000)"
        )
        parser.add_argument(
            "--small-thread",
            type=int,
            default=10,
            help="replies of one small thread, to compare with the megathread",
        )
        parser.add_argument("--users", type=int, help="default: one per 500 replies")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch-size", type=int, default=5_000)
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        plan = make_plan(
            replies=options["replies"],
            threads=options["threads"],
            megathread=options["megathread"],
            small_thread=options["small_thread"],
            users=options["users"],
            seed=options["seed"],
            batch_size=options["batch_size"],
        )
        started = timezone.now()
        summary = Loader(plan, log=self._log(options)).run()
        elapsed = (timezone.now() - started).total_seconds()
        if options["format"] == "json":
            self.stdout.write(json.dumps({**summary.__dict__, "seconds": elapsed}))
        else:
            self.stdout.write(
                f"{summary.replies} replies in {summary.threads} threads, "
                f"{summary.votes} votes, {summary.flags} reports, "
                f"{summary.users} users, in {elapsed:.0f} s.\n"
                f"Largest thread: {summary.megathread_url} "
                f"({plan.megathread} replies, depth up to {summary.max_depth}).\n"
                f"Small thread: {summary.small_thread_url} "
                f"({plan.small_thread} replies)."
            )

    def _log(self, options):
        if options["format"] == "json" or options["verbosity"] < 1:
            return lambda message: None
        return lambda message: self.stderr.write(message)


def grow_thread(*, thread: Thread, replies: int, users: int = 20, seed: int = 1):
    """Add replies to a thread as seed_load writes them (for query budgets)."""
    plan = make_plan(replies=replies, megathread=replies, users=users, seed=seed)
    return Loader(plan, log=lambda message: None).grow(thread, replies)


def make_plan(
    *,
    replies: int,
    threads: int | None = None,
    megathread: int | None = None,
    small_thread: int = 10,
    users: int | None = None,
    seed: int = 1,
    batch_size: int = 5_000,
) -> Plan:
    """Spread the replies over the threads: one megathread, one small thread."""
    if replies < 1:
        raise CommandError("--replies must be at least 1.")
    threads = threads or max(3, min(2_000, replies // 500))
    megathread = megathread if megathread is not None else min(10_000, replies // 2)
    small_thread = min(small_thread, replies - megathread)
    if threads < 3 and replies > megathread + small_thread:
        raise CommandError("--threads must be at least 3.")
    if megathread + small_thread > replies:
        raise CommandError("--megathread and --small-thread exceed --replies.")
    users = users or max(20, min(20_000, replies // 500))
    rng = random.Random(seed)
    others = threads - 2
    rest = replies - megathread - small_thread
    sizes = [megathread, small_thread]
    if others > 0:
        # Thread sizes vary between half and one and a half times the mean.
        weights = [rng.uniform(0.5, 1.5) for _ in range(others)]
        total = sum(weights)
        shares = [int(rest * weight / total) for weight in weights]
        shares[-1] += rest - sum(shares)
        sizes.extend(shares)
    return Plan(
        replies=replies,
        threads=len(sizes),
        megathread=megathread,
        small_thread=small_thread,
        users=users,
        seed=seed,
        batch_size=batch_size,
        sizes=sizes,
    )


class Loader:
    """Write the rows of a plan in batches, each batch in its own transaction."""

    def __init__(self, plan: Plan, log=print):
        self.plan = plan
        self.log = log
        self.rng = random.Random(plan.seed)
        self.now = timezone.now()
        self.summary = Summary()
        self.depth_cap = settings.FORUM_DISPLAY_DEPTH_CAP
        self.hide_at = settings.FORUM_FLAGS_TO_HIDE
        self.pending_replies: list[Reply] = []
        self.pending_votes: list[Vote] = []
        self.pending_flags: list[Flag] = []
        self.thread_updates: list[Thread] = []
        self.bodies = self._bodies()

    def run(self) -> Summary:
        self._start()
        with transaction.atomic():
            self._users()
            self._articles_and_threads()
        for index, (thread, size) in enumerate(
            zip(self.threads, self.plan.sizes, strict=True)
        ):
            self._thread_replies(thread, size, deep=index == 0)
            if len(self.pending_replies) >= self.plan.batch_size:
                self._flush()
            if index % 100 == 0 and index:
                self.log(f"{index} threads, {self.summary.replies} replies so far")
        self._flush()
        self._reset_sequences()
        self._analyze()
        mega, small = self.threads[0], self.threads[1]
        self.summary.megathread_id = mega.pk
        self.summary.megathread_url = mega.get_absolute_url()
        self.summary.small_thread_id = small.pk
        self.summary.small_thread_url = small.get_absolute_url()
        return self.summary

    def grow(self, thread: Thread, replies: int) -> Summary:
        """Add replies, with their votes and reports, to an existing thread."""
        self._start()
        with transaction.atomic():
            self._users()
        thread.refresh_from_db()
        self._thread_replies(thread, replies, deep=True)
        self._flush()
        self._reset_sequences()
        return self.summary

    def _start(self) -> None:
        self.ids = Ids(User, Article, Company, Posting, Thread, Reply, Vote, Flag)
        self.run_tag = self.ids.next[Article]

    # Text ------------------------------------------------------------------

    def _bodies(self) -> list[tuple[str, str]]:
        """A few hundred distinct messages, rendered once each."""
        rng = random.Random(self.plan.seed)
        bodies = []
        for _ in range(400):
            sentences = [
                f"{rng.choice(OPENINGS)}, {rng.choice(CLAIMS)}."
                for _ in range(rng.randint(1, 3))
            ]
            closing = rng.choice(CLOSINGS)
            text = " ".join(sentences + ([closing] if closing else []))
            if rng.random() < 0.2:
                text += f"\n\n**{rng.choice(CLAIMS).capitalize()}**, à mon avis."
            bodies.append((text, render_markdown(text)))
        return bodies

    # People, articles and threads ----------------------------------------

    def _users(self) -> None:
        first = self.ids.take(User, self.plan.users + 1)
        joined = self.now - timedelta(days=400)
        users = [
            User(
                pk=first + offset,
                username=f"lecteur-{first + offset}",
                display_name=f"Lecteur {offset}",
                password="!",
                date_joined=joined,
                email_verified_at=joined,
            )
            for offset in range(self.plan.users)
        ]
        self.moderator = User(
            pk=first + self.plan.users,
            username=f"moderation-{first + self.plan.users}",
            password="!",
            is_staff=True,
            date_joined=joined,
            email_verified_at=joined,
        )
        users.append(self.moderator)
        User.objects.bulk_create(users, batch_size=self.plan.batch_size)
        self.user_ids = [user.pk for user in users[:-1]]
        self.summary.users = len(users)

    def _articles_and_threads(self) -> None:
        rng = self.rng
        count = (self.plan.threads + len(QUESTIONS) - 1) // len(QUESTIONS)
        article_first = self.ids.take(Article, count)
        articles = []
        for offset in range(count):
            body = (
                f"Dossier n°{offset + 1} sur les salaires proposés aux talents de "
                "l'IA, des jeunes pousses parisiennes aux géants californiens."
            )
            articles.append(
                Article(
                    pk=article_first + offset,
                    title=f"Les salaires de l'IA, dossier n°{offset + 1}",
                    slug=f"charge-{self.run_tag}-dossier-{offset + 1}",
                    source="La Gazette du numérique",
                    published=(self.now - timedelta(days=count - offset)).date(),
                    body=body,
                    body_html=render_markdown(body),
                    status=Article.Status.PUBLISHED,
                )
            )
        Article.objects.bulk_create(articles, batch_size=self.plan.batch_size)
        self.summary.articles = len(articles)

        company_first = self.ids.take(Company, len(COMPANY_NAMES))
        companies = [
            Company(
                pk=company_first + offset,
                name=f"{name} {self.run_tag}",
                normalized_name=f"{name.lower()} {self.run_tag}",
                slug=f"{name.lower()}-{self.run_tag}",
            )
            for offset, name in enumerate(COMPANY_NAMES)
        ]
        Company.objects.bulk_create(companies)
        posting_count = len(companies) * len(ROLES)
        posting_first = self.ids.take(Posting, posting_count)
        postings = []
        for offset in range(posting_count):
            low = rng.randrange(60, 300) * 1_000
            postings.append(
                Posting(
                    pk=posting_first + offset,
                    company=companies[offset % len(companies)],
                    title=ROLES[offset // len(companies)],
                    location=rng.choice(["Paris", "Londres", "San Francisco"]),
                    salary_min=low,
                    salary_max=low + rng.randrange(10, 150) * 1_000,
                    currency=rng.choice(["EUR", "USD", "GBP"]),
                    period=Posting.Period.YEAR,
                )
            )
        Posting.objects.bulk_create(postings)
        citations = []
        cited: dict[int, list[Posting]] = {}
        for article in articles:
            chosen = rng.sample(postings, 3)
            cited[article.pk] = chosen
            for position, posting in enumerate(chosen):
                citations.append(
                    Citation(
                        article=article,
                        posting=posting,
                        position=position,
                        evidence=f"Le poste de {posting.title} est cité.",
                    )
                )
        Citation.objects.bulk_create(citations, batch_size=self.plan.batch_size)

        thread_first = self.ids.take(Thread, self.plan.threads)
        threads = []
        links = []
        for offset in range(self.plan.threads):
            article = articles[offset // len(QUESTIONS)]
            title = QUESTIONS[offset % len(QUESTIONS)]
            created = self.now - timedelta(days=rng.uniform(30, 120))
            thread = Thread(
                pk=thread_first + offset,
                article=article,
                title=title,
                slug=f"charge-{offset + 1}",
                position=offset % len(QUESTIONS),
                created_at=created,
                updated_at=created,
                last_activity_at=created,
            )
            threads.append(thread)
            for posting in cited[article.pk][:2]:
                links.append(
                    Thread.postings.through(thread_id=thread.pk, posting_id=posting.pk)
                )
        Thread.objects.bulk_create(threads, batch_size=self.plan.batch_size)
        Thread.postings.through.objects.bulk_create(
            links, batch_size=self.plan.batch_size
        )
        self.threads = threads
        self.summary.threads = len(threads)

    # Replies, votes and reports ------------------------------------------

    def _thread_replies(self, thread: Thread, size: int, deep: bool) -> None:
        """Replies of one thread, in creation order, with their votes and flags.

        A reply answers the thread with probability 0.3, otherwise one of the
        last 40 replies. In the deep thread, every 25th top-level reply starts
        a chain nested two levels past the display depth cap.
        """
        if size == 0:
            return
        rng = self.rng
        first = self.ids.take(Reply, size)
        start = thread.created_at
        step = (self.now - start) / (size + 1)
        recent: list[dict] = []
        chain: dict | None = None
        chain_left = 0
        counted = top_level = 0
        score = 0
        for offset in range(size):
            reply_id = first + offset
            if chain is not None and chain_left > 0:
                parent = chain
                chain_left -= 1
            elif offset == 0 or rng.random() < 0.3:
                parent = None
            else:
                parent = rng.choice(recent[-40:])
            body, body_html = rng.choice(self.bodies)
            created = start + step * (offset + 1)
            reply = {
                "id": reply_id,
                "thread_id": thread.pk,
                "parent_id": parent["id"] if parent else None,
                "root_id": (parent["root_id"] or parent["id"]) if parent else None,
                "path": reply_path(parent["path"] if parent else "", reply_id),
                "depth": parent["depth"] + 1 if parent else 0,
                "author_id": rng.choice(self.user_ids),
                "body": body,
                "body_html": body_html,
                "created_at": created,
                "updated_at": created,
            }
            self._votes_and_flags(reply)
            if reply.get("removed_at") is None:
                counted += 1
            top_level += parent is None
            score += reply["score"]
            self.summary.max_depth = max(self.summary.max_depth, reply["depth"])
            self.pending_replies.append(reply)
            recent.append(reply)
            if deep and parent is None and offset % 25 == 0:
                chain, chain_left = reply, self.depth_cap + 2
            elif chain is not None:
                chain = reply if chain_left > 0 else None
        thread.reply_count += counted
        thread.top_level_count += top_level
        thread.score += score
        thread.last_activity_at = created
        thread.updated_at = created
        self.thread_updates.append(thread)
        self.summary.replies += size

    def _votes_and_flags(self, reply: dict) -> None:
        rng = self.rng
        created = reply["created_at"]
        voters = rng.choice((0, 0, 0, 0, 1, 1, 1, 2, 3, 5))
        up = down = 0
        if voters:
            for voter_id in rng.sample(self.user_ids, voters + 1):
                if voter_id == reply["author_id"] or up + down == voters:
                    continue
                value = 1 if rng.random() < 0.75 else -1
                up += value == 1
                down += value == -1
                self.pending_votes.append(
                    {
                        "user_id": voter_id,
                        "reply_id": reply["id"],
                        "value": value,
                        "created_at": created,
                        "updated_at": created,
                    }
                )
        reply.update(upvotes=up, downvotes=down, score=up - down)
        reply["wilson"] = wilson_lower_bound(up, down)
        self.summary.votes += up + down
        roll = rng.random()
        if roll >= 0.006:
            return
        removed = roll < 0.002
        reporters = [
            user_id
            for user_id in rng.sample(self.user_ids, rng.randint(1, self.hide_at) + 1)
            if user_id != reply["author_id"]
        ][: self.hide_at]
        for reporter_id in reporters:
            self.pending_flags.append(
                {
                    "reply_id": reply["id"],
                    "reporter_id": reporter_id,
                    "reason": Flag.Reason.SPAM,
                    "status": Flag.Status.UPHELD if removed else Flag.Status.OPEN,
                    "created_at": created,
                    "decided_at": created if removed else None,
                    "decided_by_id": self.moderator.pk if removed else None,
                }
            )
        self.summary.flags += len(reporters)
        if removed:
            reply.update(
                removed_at=created,
                removed_by_id=self.moderator.pk,
                removal_reason=Reply.RemovalReason.SPAM,
            )
            self.summary.removed += 1
        else:
            reply["open_flag_count"] = len(reporters)
            reply["open_flag_weight"] = len(reporters) * FULL_REPORT_WEIGHT

    def _flush(self) -> None:
        with transaction.atomic():
            insert_rows(Reply, self.pending_replies, self.plan.batch_size)
            insert_rows(Vote, self.pending_votes, self.plan.batch_size)
            insert_rows(Flag, self.pending_flags, self.plan.batch_size)
            Thread.objects.bulk_update(
                self.thread_updates,
                [
                    "reply_count",
                    "top_level_count",
                    "score",
                    "last_activity_at",
                    "updated_at",
                ],
                batch_size=500,
            )
        self.pending_replies, self.pending_votes = [], []
        self.pending_flags, self.thread_updates = [], []

    def _analyze(self) -> None:
        """Give the query planner statistics of the new rows.

        PostgreSQL also vacuums, which marks the pages all-visible (index-only
        scans) instead of leaving it to the first readers; VACUUM cannot run
        inside a transaction, so a load inside one (a test) only analyses.
        """
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and not connection.in_atomic_block:
                cursor.execute("VACUUM ANALYZE")
            else:
                cursor.execute("ANALYZE")

    def _reset_sequences(self) -> None:
        """Move PostgreSQL's id sequences past the ids chosen here."""
        statements = connection.ops.sequence_reset_sql(
            no_style(),
            [User, Article, Company, Posting, Citation, Thread, Reply, Vote, Flag],
        )
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def insert_rows(model_class, rows: list[dict], batch_size: int) -> None:
    """Insert plain rows (column name to value) with executemany.

    Columns a row leaves out take the field's default, so a field added to the
    model later with a default needs no change here.
    """
    if not rows:
        return
    fields = [
        field
        for field in model_class._meta.concrete_fields
        if not field.generated and (field.column != "id" or "id" in rows[0])
    ]
    defaults = {
        field.column: field.get_db_prep_save(field.get_default(), connection)
        for field in fields
    }
    datetimes = {
        field.column for field in fields if isinstance(field, models.DateTimeField)
    }
    adapt = connection.ops.adapt_datetimefield_value
    columns = [field.column for field in fields]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        connection.ops.quote_name(model_class._meta.db_table),
        ", ".join(connection.ops.quote_name(column) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            values = []
            for row in rows[start : start + batch_size]:
                values.append(
                    tuple(
                        (adapt(row[column]) if column in datetimes else row[column])
                        if column in row
                        else defaults[column]
                        for column in columns
                    )
                )
            cursor.executemany(sql, values)
