from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

# What the importer writes when an article names no role, in the article's
# language: compared as no role, and shown in the reader's language.
UNSPECIFIED_ROLES = {"fr": "Poste non précisé", "en": "Unspecified role"}

# Factors that turn a salary into a yearly figure: 2,080 working hours,
# 220 working days or 12 months a year.
ANNUAL_FACTORS = {"hour": 2080, "day": 220, "month": 12, "year": 1}


def _annualised(field: str) -> Case:
    return Case(
        *[
            When(period=period, then=Cast(F(field), models.BigIntegerField()) * factor)
            for period, factor in ANNUAL_FACTORS.items()
        ],
        default=Value(None),
        output_field=models.BigIntegerField(),
    )


def sees_drafts(user) -> bool:
    """Whether a user may open unpublished articles and their threads: staff
    (editors preview their drafts; moderators are staff too)."""
    return bool(user is not None and user.is_staff)


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Article.Status.PUBLISHED)

    def visible_to(self, user):
        if sees_drafts(user):
            return self.all()
        return self.published()

    def latest(self):
        return self.order_by(F("published").desc(nulls_last=True), "-created_at")


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class Precision(models.TextChoices):
        YEAR = "year", _("Year")
        MONTH = "month", _("Month")
        DAY = "day", _("Day")

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    translator = models.CharField(_("translator"), max_length=200, blank=True)
    sources = models.CharField(_("sources cited"), max_length=500, blank=True)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    published = models.DateField(_("published"), null=True, blank=True)
    published_precision = models.CharField(
        _("precision of the date"),
        max_length=5,
        choices=Precision.choices,
        default=Precision.DAY,
    )
    language = models.CharField(_("language"), max_length=8, default="fr")
    body = models.TextField(_("body (Markdown)"), blank=True)
    body_html = models.TextField(_("body (HTML)"), blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    import_key = models.CharField(
        _("import key"), max_length=200, blank=True, db_index=True
    )
    fingerprint = models.CharField(_("import fingerprint"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = [F("published").desc(nulls_last=True), "-created_at"]
        indexes = [
            models.Index(
                fields=["status", "-published", "-created_at"],
                name="articles_article_listing",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:article-detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def published_iso(self) -> str | None:
        """The publication date as YYYY, YYYY-MM or YYYY-MM-DD: only as
        precise as the article (the API, JSON-LD)."""
        if self.published is None:
            return None
        lengths = {self.Precision.YEAR: 4, self.Precision.MONTH: 7}
        return self.published.isoformat()[: lengths.get(self.published_precision, 10)]

    @property
    def published_label(self) -> str:
        """The publication date in the active language, only as precise as
        the article: "2026", "septembre 2026" or "14 septembre 2026"."""
        if self.published is None:
            return ""
        formats = {self.Precision.YEAR: "Y", self.Precision.MONTH: "F Y"}
        return date_format(
            self.published, formats.get(self.published_precision, "DATE_FORMAT")
        )


class Company(models.Model):
    name = models.CharField(_("name"), max_length=200)
    normalized_name = models.CharField(
        _("normalised name"), max_length=200, unique=True, editable=False
    )
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    domain = models.CharField(_("domain"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:company-detail", kwargs={"slug": self.slug})


class Posting(models.Model):
    class Period(models.TextChoices):
        HOUR = "hour", _("per hour")
        DAY = "day", _("per day")
        MONTH = "month", _("per month")
        YEAR = "year", _("per year")

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="postings",
    )
    title = models.CharField(_("role"), max_length=300)
    location = models.CharField(_("location"), max_length=200, blank=True)
    remote = models.BooleanField(_("remote"), default=False)
    salary_min = models.PositiveIntegerField(_("minimum salary"), null=True, blank=True)
    salary_max = models.PositiveIntegerField(_("maximum salary"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    period = models.CharField(
        _("period"), max_length=5, choices=Period.choices, default=Period.YEAR
    )
    annual_min = models.GeneratedField(
        expression=_annualised("salary_min"),
        output_field=models.BigIntegerField(null=True),
        db_persist=True,
        verbose_name=_("annualised minimum"),
    )
    annual_max = models.GeneratedField(
        expression=_annualised("salary_max"),
        output_field=models.BigIntegerField(null=True),
        db_persist=True,
        verbose_name=_("annualised maximum"),
    )
    url = models.URLField(_("posting URL"), max_length=500, blank=True)
    # The fields an editor set by hand in the admin: imports leave them alone.
    edited_fields = models.JSONField(
        _("fields edited by hand"), default=list, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("job posting")
        verbose_name_plural = _("job postings")
        ordering = ["company__name", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True) | Q(salary_min__gt=0),
                name="articles_posting_salary_min_positive",
            ),
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True)
                | Q(salary_max__isnull=True)
                | Q(salary_min__lte=F("salary_max")),
                name="articles_posting_salary_min_lte_max",
            ),
            models.CheckConstraint(
                condition=Q(salary_max__isnull=True) | Q(salary_max__gt=0),
                name="articles_posting_salary_max_positive",
            ),
            models.CheckConstraint(
                condition=Q(period__in=["hour", "day", "month", "year"]),
                name="articles_posting_period_known",
            ),
            models.UniqueConstraint(
                fields=["url"],
                condition=~Q(url=""),
                name="articles_posting_url_unique_when_known",
            ),
        ]
        indexes = [
            models.Index(
                fields=["currency", "annual_max"], name="articles_posting_pay"
            ),
            models.Index(fields=["annual_min"], name="articles_posting_annual_min"),
        ]

    def __str__(self):
        return f"{self.company} — {self.title}"

    def get_absolute_url(self):
        return reverse("articles:posting-detail", kwargs={"pk": self.pk})

    @property
    def role(self) -> str:
        """The role title to show: the importer's placeholder for "no role"
        reads in the reader's language."""
        cleaned = self.title.strip().casefold()
        if not cleaned or cleaned in {
            role.casefold() for role in UNSPECIFIED_ROLES.values()
        }:
            return pgettext("job posting", "Unspecified role")
        return self.title

    @property
    def is_estimate(self) -> bool:
        """Hourly and daily pay annualised with fixed factors is an estimate."""
        return self.period in {self.Period.HOUR, self.Period.DAY}


class Citation(models.Model):
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="citations",
    )
    posting = models.ForeignKey(
        Posting,
        verbose_name=_("posting"),
        on_delete=models.PROTECT,
        related_name="citations",
    )
    evidence = models.TextField(_("evidence"), blank=True)
    # The sentence each part of the posting was read from: "company",
    # "title", "pay", "location", "url".
    sources = models.JSONField(_("sources"), default=dict, blank=True)
    # How sure the extractor was, from 0 to 1; empty when an editor added it.
    confidence = models.FloatField(_("confidence"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "posting"], name="articles_citation_once_per_article"
            ),
        ]

    def __str__(self):
        return f"{self.article} → {self.posting}"


class PostingMerge(models.Model):
    """An article's posting stored as an existing one, and how to split it back."""

    class Rule(models.TextChoices):
        SAME_URL = "same_url", _("same link")
        SAME_PAY_AND_ROLE = "same_pay_and_role", _("same employer, pay and role")
        EDITOR = "editor", _("chosen by an editor")

    posting = models.ForeignKey(
        Posting,
        verbose_name=_("kept posting"),
        on_delete=models.CASCADE,
        related_name="merges",
    )
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="posting_merges",
    )
    rule = models.CharField(_("rule"), max_length=20, choices=Rule.choices)
    # What the article said about the posting, enough to store it apart again.
    extracted = models.JSONField(_("values read from the article"), default=dict)
    # The kept posting's values before and right after the merge: undoing
    # restores a field only if nothing changed it since.
    before = models.JSONField(_("posting before the merge"), default=dict)
    after = models.JSONField(_("posting after the merge"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    split_posting = models.ForeignKey(
        Posting,
        verbose_name=_("posting split off"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("posting merge")
        verbose_name_plural = _("posting merges")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["posting", "article"],
                condition=Q(undone_at__isnull=True),
                name="articles_postingmerge_one_active_per_citation",
            ),
            models.CheckConstraint(
                condition=Q(rule__in=["same_url", "same_pay_and_role", "editor"]),
                name="articles_postingmerge_rule_known",
            ),
        ]
        indexes = [
            models.Index(
                fields=["article", "undone_at"], name="articles_postingmerge_article"
            ),
        ]

    def __str__(self):
        return f"{self.article} → {self.posting} ({self.get_rule_display()})"

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None


class ImportCorrection(models.Model):
    """A difference between what the importer read and what an editor confirmed."""

    class Action(models.TextChoices):
        CHANGED = "changed", _("changed")
        DROPPED = "dropped", _("dropped")
        ADDED = "added", _("added")
        MERGED = "merged", _("merged")

    # Corrections follow the file: a re-imported file finds them by its key.
    import_key = models.CharField(_("import key"), max_length=200)
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_corrections",
    )
    # Which extracted posting the correction is about (see
    # articles.importer.review.posting_key).
    posting_key = models.CharField(_("posting key"), max_length=400)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    field = models.CharField(_("field"), max_length=20, blank=True)
    extracted_value = models.JSONField(_("extracted value"), null=True, blank=True)
    corrected_value = models.JSONField(_("corrected value"), null=True, blank=True)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("editor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("import correction")
        verbose_name_plural = _("import corrections")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["changed", "dropped", "added", "merged"]),
                name="articles_importcorrection_action_known",
            ),
            models.CheckConstraint(
                condition=Q(action="changed", field__gt="")
                | (~Q(action="changed") & Q(field="")),
                name="articles_importcorrection_field_only_when_changed",
            ),
        ]
        indexes = [
            models.Index(
                fields=["import_key", "created_at"],
                name="articles_importcorr_key",
            ),
            models.Index(fields=["action", "field"], name="articles_importcorr_kind"),
        ]

    def __str__(self):
        return f"{self.import_key}: {self.kind}"

    @property
    def kind(self) -> str:
        """The correction in a word or two: "changed salary_max", "dropped"."""
        if self.action == self.Action.CHANGED:
            return f"changed {self.field}"
        return self.action
