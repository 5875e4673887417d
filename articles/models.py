from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

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
