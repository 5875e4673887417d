"""Every write to articles, companies, postings and citations."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from articles.importer.companies import canonical_company_name, normalize_company_name
from articles.models import Article, Citation, Company, Posting

# Words that say two role titles describe the same kind of job, whatever the
# language; titles with no word from the list are compared as they are.
ROLE_FAMILIES = (
    ("product", r"chef de produit|product manager|\bpm\b|responsable produit"),
    ("lawyer", r"avocat|lawyer|juriste|counsel"),
    ("vp", r"vice-pr[ée]sident|vice president|\bvp\b"),
    ("director", r"directeur|directrice|director|head of"),
    ("data", r"data scientist|scientifique de donn[ée]es"),
    ("research", r"chercheu|researcher|research scientist|scientifique"),
    ("consultant", r"consultant"),
    ("engineer", r"ing[ée]nieur|engineer|d[ée]veloppeu|developer"),
    ("manager", r"cadre|manager|responsable"),
)


def _unique_slug(model, text: str, *, max_length: int, exclude_pk=None) -> str:
    base = slugify(text)[: max_length - 8].strip("-") or "item"
    slug = base
    number = 2
    queryset = model.objects.all()
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    while queryset.filter(slug=slug).exists():
        slug = f"{base}-{number}"
        number += 1
    return slug


def role_family(title: str) -> str:
    """Return the kind of job a role title names, "" when no word says it."""
    lowered = title.lower()
    for family, pattern in ROLE_FAMILIES:
        if re.search(pattern, lowered):
            return family
    return ""


def _same_role(first: str, second: str) -> bool:
    if not first or not second:
        return True
    if first.strip().lower() == second.strip().lower():
        return True
    first_family, second_family = role_family(first), role_family(second)
    if first_family and second_family:
        return first_family == second_family
    return False


def _same_pay(posting: Posting, salary_min: int | None, salary_max: int | None) -> bool:
    # One article may give only the top of a range another gives in full:
    # "up to 900,000" and "300,000 to 900,000" are the same offer.
    if posting.salary_max is not None and salary_max is not None:
        if posting.salary_max != salary_max:
            return False
        return (
            posting.salary_min is None
            or salary_min is None
            or posting.salary_min == salary_min
        )
    if posting.salary_min is not None and salary_min is not None:
        return posting.salary_min == salary_min
    return False


@transaction.atomic
def get_or_create_company(*, name: str, domain: str = "") -> tuple[Company, bool]:
    """Return the company a name means, created once per normalised name."""
    display = canonical_company_name(name)
    normalized = normalize_company_name(display)
    if not normalized:
        raise ValidationError({"name": _("A company needs a name.")}, code="required")
    company = Company.objects.filter(normalized_name=normalized).first()
    if company is not None:
        if domain and not company.domain:
            company.domain = domain
            company.save(update_fields=["domain"])
        return company, False
    company = Company(
        name=display[:200],
        normalized_name=normalized[:200],
        slug=_unique_slug(Company, display, max_length=220),
        domain=domain,
    )
    company.full_clean()
    company.save()
    return company, True


def find_posting(
    *,
    company: Company,
    title: str,
    salary_min: int | None,
    salary_max: int | None,
    currency: str,
    period: str,
    url: str = "",
) -> Posting | None:
    """Return the stored posting these details describe, if there is one."""
    if url:
        posting = Posting.objects.filter(url=url).first()
        if posting is not None:
            return posting
    candidates = Posting.objects.filter(
        company=company, currency=currency, period=period
    ).order_by("pk")
    for posting in candidates:
        if url and posting.url and posting.url != url:
            continue
        if _same_pay(posting, salary_min, salary_max) and _same_role(
            posting.title, title
        ):
            return posting
    return None


def _fill(posting: Posting, **fields) -> list[str]:
    """Copy into a posting the details it lacks; return the fields changed."""
    changed = []
    for name in ("title", "location", "url"):
        value = fields.get(name) or ""
        if value and not getattr(posting, name):
            setattr(posting, name, value)
            changed.append(name)
    if fields.get("remote") and not posting.remote:
        posting.remote = True
        changed.append("remote")
    salary_min, salary_max = fields.get("salary_min"), fields.get("salary_max")
    if (
        posting.salary_max is None
        and salary_max is not None
        and (posting.salary_min is None or posting.salary_min <= salary_max)
    ):
        posting.salary_max = salary_max
        changed.append("salary_max")
    if (
        posting.salary_min is None
        and salary_min is not None
        and (posting.salary_max is None or salary_min <= posting.salary_max)
    ):
        posting.salary_min = salary_min
        changed.append("salary_min")
    return changed


@transaction.atomic
def upsert_posting(
    *,
    company: Company,
    title: str,
    salary_min: int | None = None,
    salary_max: int | None = None,
    currency: str = "USD",
    period: str = Posting.Period.YEAR,
    location: str = "",
    remote: bool = False,
    url: str = "",
) -> tuple[Posting, str]:
    """Store a posting or merge it field by field into the one it matches.

    Returns the posting and "created", "updated" or "unchanged".
    """
    if salary_min is not None and salary_max is not None and salary_min > salary_max:
        salary_min, salary_max = salary_max, salary_min
    fields = {
        "title": title[:300],
        "salary_min": salary_min or None,
        "salary_max": salary_max or None,
        "location": location[:200],
        "remote": remote,
        "url": url[:500],
    }
    posting = find_posting(
        company=company,
        title=title,
        salary_min=fields["salary_min"],
        salary_max=fields["salary_max"],
        currency=currency,
        period=period,
        url=url,
    )
    if posting is None:
        posting = Posting(company=company, currency=currency, period=period, **fields)
        posting.full_clean()
        posting.save()
        return posting, "created"
    changed = _fill(posting, **fields)
    if not changed:
        return posting, "unchanged"
    posting.full_clean()
    posting.save()
    return posting, "updated"


@transaction.atomic
def cite_posting(
    *, article: Article, posting: Posting, evidence: str = "", position: int = 0
) -> Citation:
    """Record that an article cites a posting, with the sentence that says so."""
    citation, created = Citation.objects.get_or_create(
        article=article,
        posting=posting,
        defaults={"evidence": evidence, "position": position},
    )
    if not created and (citation.evidence, citation.position) != (evidence, position):
        citation.evidence = evidence
        citation.position = position
        citation.save(update_fields=["evidence", "position"])
    return citation


@transaction.atomic
def publish_article(*, article: Article, published: bool = True) -> Article:
    """Show an article to readers, or take it back to draft."""
    status = Article.Status.PUBLISHED if published else Article.Status.DRAFT
    if article.status != status:
        article.status = status
        article.save(update_fields=["status", "updated_at"])
    return article


def _move_thread_links(*, source: Posting, target: Posting) -> None:
    # Thread rows belong to the forum app: links change through its service.
    from forum.services import set_thread_postings

    for thread in source.threads.all():
        linked = [p for p in thread.postings.all() if p.pk != source.pk]
        if all(p.pk != target.pk for p in linked):
            linked.append(target)
        set_thread_postings(thread=thread, postings=linked)


@transaction.atomic
def merge_postings(*, keep: Posting, duplicate: Posting) -> Posting:
    """Move a duplicate's citations and thread links to `keep`, then delete it."""
    if keep.pk == duplicate.pk:
        raise ValidationError(_("A posting cannot be merged into itself."))
    keep = Posting.objects.select_for_update().get(pk=keep.pk)
    duplicate = Posting.objects.select_for_update().get(pk=duplicate.pk)
    for citation in Citation.objects.filter(posting=duplicate):
        existing = Citation.objects.filter(
            article_id=citation.article_id, posting=keep
        ).first()
        if existing is None:
            citation.posting = keep
            citation.save(update_fields=["posting"])
        else:
            if not existing.evidence and citation.evidence:
                existing.evidence = citation.evidence
                existing.save(update_fields=["evidence"])
            citation.delete()
    _move_thread_links(source=duplicate, target=keep)
    details = {
        "title": duplicate.title,
        "salary_min": duplicate.salary_min,
        "salary_max": duplicate.salary_max,
        "location": duplicate.location,
        "remote": duplicate.remote,
        "url": duplicate.url,
    }
    duplicate.delete()
    if _fill(keep, **details):
        keep.full_clean()
        keep.save()
    return keep


@transaction.atomic
def merge_companies(*, keep: Company, duplicate: Company) -> Company:
    """Move a duplicate's postings to `keep`, merging equal ones, then delete it."""
    if keep.pk == duplicate.pk:
        raise ValidationError(_("A company cannot be merged into itself."))
    keep = Company.objects.select_for_update().get(pk=keep.pk)
    duplicate = Company.objects.select_for_update().get(pk=duplicate.pk)
    for posting in Posting.objects.filter(company=duplicate).order_by("pk"):
        same = find_posting(
            company=keep,
            title=posting.title,
            salary_min=posting.salary_min,
            salary_max=posting.salary_max,
            currency=posting.currency,
            period=posting.period,
            url=posting.url,
        )
        if same is not None and same.pk != posting.pk:
            merge_postings(keep=same, duplicate=posting)
        else:
            posting.company = keep
            posting.save(update_fields=["company", "updated_at"])
    if duplicate.domain and not keep.domain:
        keep.domain = duplicate.domain
        keep.save(update_fields=["domain"])
    duplicate.delete()
    return keep


@transaction.atomic
def save_article(*, article: Article, **fields) -> Article:
    """Create or change an article, giving it a unique slug from its title."""
    from forum.markdown import render_markdown

    for name, value in fields.items():
        setattr(article, name, value)
    if "body" in fields or not article.body_html:
        article.body_html = render_markdown(article.body)
    if not article.slug:
        article.slug = _unique_slug(
            Article, article.title, max_length=220, exclude_pk=article.pk
        )
    article.full_clean()
    article.save()
    return article
