"""Every write to articles, companies, postings and citations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from articles.importer.companies import canonical_company_name, normalize_company_name
from articles.models import (
    UNSPECIFIED_ROLES,
    Article,
    Citation,
    Company,
    Posting,
    PostingMerge,
)

if TYPE_CHECKING:
    from accounts.models import User


# The posting fields an import may fill or widen, in the order shown.
POSTING_FIELDS = (
    "title",
    "salary_min",
    "salary_max",
    "currency",
    "period",
    "location",
    "remote",
    "url",
)

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


def is_unspecified_role(title: str) -> bool:
    """Say whether a role title is empty or the importer's placeholder."""
    cleaned = title.strip().casefold()
    return not cleaned or cleaned in {
        role.casefold() for role in UNSPECIFIED_ROLES.values()
    }


def _same_role(first: str, second: str) -> bool:
    if is_unspecified_role(first) or is_unspecified_role(second):
        return True
    if first.strip().lower() == second.strip().lower():
        return True
    first_family, second_family = role_family(first), role_family(second)
    if first_family and second_family:
        return first_family == second_family
    return False


def _inside(inner: tuple, outer: tuple) -> bool:
    # Only ranges whose bounds are both known sit inside one another: an "up
    # to X" says nothing of its bottom, so it matches only the same maximum.
    # Otherwise "up to 398,000" would fall inside "310,000 to 460,000" and two
    # engineers' offers of one employer would become one.
    if None in inner or None in outer:
        return False
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def pay_compatible(
    first: tuple[int | None, int | None], second: tuple[int | None, int | None]
) -> bool:
    """Say whether two (minimum, maximum) pairs can be the same offer's pay.

    Same maximum (an unknown minimum fits any), or one range inside the
    other; "up to X" is (None, X). One article may give only the top of a
    range another gives in full: "up to 900,000" and "300,000 to 900,000"
    are the same offer.
    """
    (first_min, first_max), (second_min, second_max) = first, second
    if first_max is None or second_max is None:
        # "From X" alone: only the same minimum says it is the same offer.
        return (
            first_max is None
            and second_max is None
            and first_min is not None
            and first_min == second_min
        )
    if first_max == second_max:
        return True
    return _inside(first, second) or _inside(second, first)


def _same_pay(posting: Posting, salary_min: int | None, salary_max: int | None) -> bool:
    return pay_compatible(
        (posting.salary_min, posting.salary_max), (salary_min, salary_max)
    )


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


@dataclass(frozen=True)
class PostingMatch:
    """A stored posting some details describe, and the rule that says so."""

    posting: Posting
    rule: str


def _match_rank(match: PostingMatch, salary_max: int | None, title: str) -> tuple:
    posting = match.posting
    return (
        match.rule != PostingMerge.Rule.SAME_URL,
        posting.salary_max != salary_max,
        posting.title.strip().casefold() != title.strip().casefold(),
        posting.pk,
    )


def suggest_postings(
    *,
    company_name: str,
    title: str,
    salary_min: int | None,
    salary_max: int | None,
    currency: str,
    period: str,
    url: str = "",
    exclude: tuple[int, ...] = (),
    limit: int = 5,
) -> list[PostingMatch]:
    """Return the stored postings these details may describe, likeliest first.

    The rules, each named as a PostingMerge records it: the same link
    (same_url); or the same employer, currency and period, compatible pay
    (same maximum, or one range inside the other) and a similar role
    (same_pay_and_role).
    """
    matches: list[PostingMatch] = []
    if url:
        for posting in Posting.objects.filter(url=url).exclude(pk__in=exclude):
            matches.append(PostingMatch(posting, PostingMerge.Rule.SAME_URL))
    normalized = normalize_company_name(canonical_company_name(company_name))
    if normalized:
        candidates = (
            Posting.objects.filter(
                company__normalized_name=normalized, currency=currency, period=period
            )
            .exclude(pk__in=[*exclude, *(m.posting.pk for m in matches)])
            .select_related("company")
            .order_by("pk")
        )
        for posting in candidates:
            if url and posting.url and posting.url != url:
                continue
            if _same_pay(posting, salary_min, salary_max) and _same_role(
                posting.title, title
            ):
                matches.append(
                    PostingMatch(posting, PostingMerge.Rule.SAME_PAY_AND_ROLE)
                )
    matches.sort(key=lambda match: _match_rank(match, salary_max, title))
    return matches[:limit]


def find_posting(
    *,
    company: Company,
    title: str,
    salary_min: int | None,
    salary_max: int | None,
    currency: str,
    period: str,
    url: str = "",
    exclude: tuple[int, ...] = (),
) -> Posting | None:
    """Return the stored posting these details describe, if there is one."""
    matches = suggest_postings(
        company_name=company.name,
        title=title,
        salary_min=salary_min,
        salary_max=salary_max,
        currency=currency,
        period=period,
        url=url,
        exclude=exclude,
        limit=1,
    )
    return matches[0].posting if matches else None


def posting_values(posting: Posting) -> dict:
    """Return the posting's details as JSON-ready values."""
    return {name: getattr(posting, name) for name in POSTING_FIELDS}


def _fill(posting: Posting, **fields) -> list[str]:
    """Complete a posting with the details it lacks; return the fields changed.

    The pay widens to the widest range; a link, a location, remote work and
    a role are added when missing. Fields an editor set by hand stay.
    """
    changed = []
    edited = set(posting.edited_fields or ())

    def put(name, value):
        if name in edited or getattr(posting, name) == value:
            return
        setattr(posting, name, value)
        changed.append(name)

    for name in ("location", "url"):
        value = fields.get(name) or ""
        if value and not getattr(posting, name):
            put(name, value)
    title = fields.get("title") or ""
    if title and is_unspecified_role(posting.title) and not is_unspecified_role(title):
        put("title", title)
    if fields.get("remote") and not posting.remote:
        put("remote", True)
    salary_min, salary_max = fields.get("salary_min"), fields.get("salary_max")
    known_max = [v for v in (posting.salary_max, salary_max) if v is not None]
    known_min = [v for v in (posting.salary_min, salary_min) if v is not None]
    new_max = max(known_max) if known_max else None
    new_min = min(known_min) if known_min else None
    if new_min is not None and new_max is not None and new_min > new_max:
        new_min = posting.salary_min
    if "salary_max" not in edited and "salary_min" not in edited:
        put("salary_max", new_max)
        put("salary_min", new_min)
    return changed


def _extracted_values(company: Company, fields: dict, currency: str, period: str):
    return {"company": company.name, **fields, "currency": currency, "period": period}


@transaction.atomic
def store_posting(
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
    article: Article | None = None,
    into: Posting | None = None,
) -> tuple[Posting, str, PostingMerge | None]:
    """Store a posting, or merge it into the stored one it matches.

    With an `article`, a merge into a posting the article did not cite yet is
    recorded as a PostingMerge naming its rule, so it can be undone; postings
    split off that article by an undone merge are never matched again.
    `into` is a posting an editor chose: the merge's rule is "editor".
    Returns the posting, "created", "updated" or "unchanged", and the merge.
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
    exclude: tuple[int, ...] = ()
    if article is not None and article.pk:
        exclude = tuple(
            PostingMerge.objects.filter(
                article=article, undone_at__isnull=False
            ).values_list("posting_id", flat=True)
        )
    match: PostingMatch | None = None
    if into is not None and into.pk in exclude:
        # An undone merge stays undone, even one an editor had chosen.
        into = None
    if into is not None:
        match = PostingMatch(into, PostingMerge.Rule.EDITOR)
    else:
        matches = suggest_postings(
            company_name=company.name,
            title=title,
            salary_min=fields["salary_min"],
            salary_max=fields["salary_max"],
            currency=currency,
            period=period,
            url=url,
            exclude=exclude,
            limit=1,
        )
        match = matches[0] if matches else None
    if match is None:
        posting = Posting(company=company, currency=currency, period=period, **fields)
        posting.full_clean()
        posting.save()
        return posting, "created", None
    posting = Posting.objects.select_for_update().get(pk=match.posting.pk)
    before = posting_values(posting)
    if url and Posting.objects.filter(url=url).exclude(pk=posting.pk).exists():
        # A link another posting owns stays with it; the merge records it.
        fields["url"] = ""
    changed = _fill(posting, **fields)
    if changed:
        posting.full_clean()
        posting.save()
    merge = None
    already_cited = (
        article is not None
        and article.pk
        and (
            Citation.objects.filter(article=article, posting=posting).exists()
            or PostingMerge.objects.filter(
                article=article, posting=posting, undone_at__isnull=True
            ).exists()
        )
    )
    if article is not None and not already_cited:
        merge = PostingMerge.objects.create(
            posting=posting,
            article=article,
            rule=match.rule,
            extracted=_extracted_values(
                company, {**fields, "url": url[:500]}, currency, period
            ),
            before=before,
            after=posting_values(posting),
        )
    return posting, ("updated" if changed else "unchanged"), merge


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
    posting, status, _merge = store_posting(
        company=company,
        title=title,
        salary_min=salary_min,
        salary_max=salary_max,
        currency=currency,
        period=period,
        location=location,
        remote=remote,
        url=url,
    )
    return posting, status


@transaction.atomic
def edit_posting(*, posting: Posting, by: User | None = None, **fields) -> Posting:
    """Change a posting by hand; later imports leave the changed fields alone."""
    edited = list(posting.edited_fields or [])
    for name, value in fields.items():
        setattr(posting, name, value)
        if name not in edited:
            edited.append(name)
    posting.edited_fields = edited
    posting.full_clean()
    posting.save()
    return posting


@transaction.atomic
def undo_posting_merge(*, merge: PostingMerge, by: User) -> Posting:
    """Split an article's posting back off the one it was merged into.

    A new posting is made from what the article said; the article's citation
    and its threads' links move to it; the kept posting gets back the values
    it had before the merge wherever nothing changed them since. Returns the
    new posting.
    """
    merge = PostingMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise ValidationError(_("This merge was already undone."), code="undone")
    kept = Posting.objects.select_for_update().get(pk=merge.posting_id)
    citation = Citation.objects.filter(article=merge.article, posting=kept).first()
    if citation is None:
        raise ValidationError(
            _("The article no longer cites this posting: nothing to split."),
            code="not_cited",
        )
    restored = []
    for name, old in merge.before.items():
        current = getattr(kept, name)
        if name in merge.after and current == merge.after[name] and current != old:
            setattr(kept, name, old)
            restored.append(name)
    if restored:
        kept.full_clean()
        kept.save()
    values = merge.extracted
    company, _created = get_or_create_company(name=values["company"])
    url = values.get("url") or ""
    if url and Posting.objects.filter(url=url).exists():
        url = ""
    split = Posting(
        company=company,
        title=(values.get("title") or "")[:300] or kept.title,
        salary_min=values.get("salary_min"),
        salary_max=values.get("salary_max"),
        currency=values.get("currency") or kept.currency,
        period=values.get("period") or kept.period,
        location=values.get("location") or "",
        remote=bool(values.get("remote")),
        url=url,
    )
    split.full_clean()
    split.save()
    citation.posting = split
    citation.save(update_fields=["posting"])
    _move_thread_links(source=kept, target=split, threads=merge.article.threads.all())
    merge.undone_at = timezone.now()
    merge.undone_by = by
    merge.split_posting = split
    merge.save(update_fields=["undone_at", "undone_by", "split_posting"])
    return split


@transaction.atomic
def cite_posting(
    *,
    article: Article,
    posting: Posting,
    evidence: str = "",
    position: int = 0,
    sources: dict[str, str] | None = None,
    confidence: float | None = None,
) -> Citation:
    """Record that an article cites a posting, with the sentences that say so."""
    values = {
        "evidence": evidence,
        "position": position,
        "sources": dict(sources or {}),
        "confidence": confidence,
    }
    citation, created = Citation.objects.get_or_create(
        article=article, posting=posting, defaults=values
    )
    changed = [
        name for name, value in values.items() if getattr(citation, name) != value
    ]
    if not created and changed:
        for name in changed:
            setattr(citation, name, values[name])
        citation.save(update_fields=changed)
    return citation


@transaction.atomic
def publish_article(*, article: Article, published: bool = True) -> Article:
    """Show an article to readers, or take it back to draft."""
    status = Article.Status.PUBLISHED if published else Article.Status.DRAFT
    if article.status != status:
        article.status = status
        article.save(update_fields=["status", "updated_at"])
    return article


def _move_thread_links(*, source: Posting, target: Posting, threads=None) -> None:
    # Thread rows belong to the forum app: links change through its service.
    from forum.services import set_thread_postings

    threads = source.threads.all() if threads is None else threads
    for thread in threads.filter(postings=source):
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
    # The duplicate's recorded merges now concern the kept posting; an active
    # one for an article that already has one on `keep` is closed.
    for merge in PostingMerge.objects.filter(posting=duplicate):
        clash = PostingMerge.objects.filter(
            posting=keep, article_id=merge.article_id, undone_at__isnull=True
        ).exists()
        if clash and merge.undone_at is None:
            merge.delete()
            continue
        merge.posting = keep
        merge.save(update_fields=["posting"])
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
