"""Find the job postings an article cites: company, role, salary, evidence.

Rules and word lists only. Precision comes first: a figure becomes a posting
only when a company is named for it and nothing around it says it is another
kind of money (a valuation, a fund-raise, a course's price, a median...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from articles.importer.amounts import (
    RESPECTIVELY_RE,
    RESTATEMENT_RE,
    Money,
    default_period,
    find_money,
)
from articles.importer.companies import canonical_company_name
from articles.importer.employers import (
    ANAPHORA_RE,
    _choose_companies,
    find_companies,
)
from articles.importer.offers import is_offer
from articles.importer.places import REMOTE_RE, URL_RE, _location, _url_for
from articles.importer.roles import find_roles
from articles.importer.sentences import split_sentences


# A salary above this is some other kind of money.
@dataclass(frozen=True)
class ExtractedPosting:
    """A job offer read from an article, with where each part of it came from."""

    company: str
    title: str
    salary_min: int | None
    salary_max: int | None
    currency: str
    period: str
    location: str = ""
    remote: bool = False
    url: str = ""
    # The sentence the pay was read from (several, joined, when mentions of
    # the same offer were merged).
    evidence: str = ""
    # The sentence each part was read from: "company", "title", "pay",
    # "location", "url".
    sources: dict[str, str] = field(default_factory=dict)
    # How sure the extractor is that this is a job offer with these parts,
    # from 0 to 1.
    confidence: float = 1.0
    # The rules that merged several mentions of the offer into this one.
    merged_by: tuple[str, ...] = ()


def extract_postings(body: str, *, language: str = "fr") -> list[ExtractedPosting]:
    """Return the job postings cited in an article body, in order of appearance."""
    paragraphs = [
        paragraph.strip()
        for paragraph in re.split(r"\n\s*\n", body)
        if paragraph.strip() and not paragraph.lstrip().startswith("#")
    ]
    sentences: list[tuple[int, str]] = []
    for number, paragraph in enumerate(paragraphs):
        text = re.sub(r"\s+", " ", paragraph.replace("\\", ""))
        sentences.extend((number, sentence) for sentence in split_sentences(text))

    postings: list[ExtractedPosting] = []
    seen: set[tuple] = set()
    for index, (paragraph, sentence) in enumerate(sentences):
        moneys = find_money(sentence)
        if not moneys:
            continue
        # A second figure restating the first ("soit environ 58 000 dollars
        # par an") is not another posting.
        kept: list[Money] = []
        for money in moneys:
            if kept and RESTATEMENT_RE.search(sentence[kept[-1].end : money.start]):
                continue
            kept.append(money)
        previous = sentences[index - 1][1] if index > 0 else ""
        context = previous
        offers = [money for money in kept if is_offer(sentence, money, context)]
        if not offers:
            continue

        mentions = find_companies(sentence)
        antecedent = ""
        anaphoric = bool(ANAPHORA_RE.match(sentence))
        if anaphoric and previous and not any(m.strength >= 2 for m in mentions):
            previous_mentions = find_companies(previous)
            if previous_mentions:
                mentions = previous_mentions
                antecedent = previous
        if not mentions:
            continue
        respectively = RESPECTIVELY_RE.search(sentence)
        source = antecedent or sentence
        where = len(antecedent) if antecedent else offers[0].start
        companies = _choose_companies(mentions, where, source)
        roles = find_roles(sentence) or (find_roles(antecedent) if antecedent else [])

        # Later sentences about the same posting give its place and mode.
        follow = [sentence]
        current = paragraph
        for later_paragraph, later in sentences[index + 1 : index + 4]:
            # A new paragraph still talks about the posting when it opens
            # with "Le poste..." or "The role...".
            if find_money(later) or (
                later_paragraph != current and not ANAPHORA_RE.match(later)
            ):
                break
            current = later_paragraph
            later_mentions = [
                m for m in find_companies(later) if m.name not in companies
            ]
            if later_mentions:
                break
            follow.append(later)
        details = " ".join(([antecedent] if antecedent else []) + follow)
        location = _location(details)
        remote = bool(REMOTE_RE.search(details))
        urls = [
            url if url.lower().startswith("http") else f"https://{url}"
            for url in (url.rstrip(".,;:)»") for url in URL_RE.findall(details))
        ]
        evidence = f"{antecedent} {sentence}".strip() if antecedent else sentence

        pairs: list[tuple[str, str, Money]] = []
        if respectively and len(offers) > 1:
            # Amounts listed "respectivement": the period and the qualifier
            # written once apply to every figure of the list.
            period = next((m.period for m in reversed(offers) if m.period), None)
            up_to = offers[0].low is None
            for money in offers:
                if period and not money.period:
                    money.period = period
                if up_to and money.low == money.high:
                    money.low = None
            if len(companies) == len(offers):
                pairs = [
                    (company, roles[0] if len(roles) == 1 else "", money)
                    for company, money in zip(companies, offers, strict=True)
                ]
            elif len(roles) == len(offers):
                pairs = [
                    (companies[0], role, money)
                    for role, money in zip(roles, offers, strict=True)
                ]
            else:
                pairs = [(companies[0], roles[0] if roles else "", m) for m in offers]
        elif len(offers) == 1:
            money = offers[0]
            if len(companies) > 1:
                pairs = [
                    (company, roles[0] if roles else "", money) for company in companies
                ]
            elif len(roles) > 1:
                pairs = [(companies[0], role, money) for role in roles]
            else:
                pairs = [(companies[0], roles[0] if roles else "", money)]
        else:
            # Each figure reads the clause since the previous figure:
            # "Chez A, un X gagne 1, et B recherche un Y qui gagnera 2".
            per_money: list[tuple[list[str], list[str]]] = []
            if not antecedent:
                previous_end = 0
                for money in offers:
                    segment = sentence[previous_end : money.start]
                    local = [
                        m for m in mentions if previous_end <= m.start < money.start
                    ]
                    chosen = (
                        _choose_companies(local, money.start, sentence)
                        if local
                        else _choose_companies(mentions, money.start, sentence)
                    )
                    per_money.append((chosen, find_roles(segment)))
                    previous_end = money.end
            if len(companies) == len(offers) and len(companies) > 1:
                pairs = [
                    (company, roles[0] if len(roles) == 1 else "", money)
                    for company, money in zip(companies, offers, strict=True)
                ]
            elif per_money and len({tuple(c) for c, _r in per_money}) > 1:
                # "Uber offers X, while Lyft pays Y": each figure goes to the
                # company named before it.
                pairs = [
                    (
                        chosen[0],
                        local_roles[0]
                        if local_roles
                        else (roles[0] if len(roles) == 1 else ""),
                        money,
                    )
                    for (chosen, local_roles), money in zip(
                        per_money, offers, strict=True
                    )
                ]
            else:
                pairs = [
                    (
                        companies[0],
                        roles[i] if i < len(roles) else (roles[0] if roles else ""),
                        money,
                    )
                    for i, money in enumerate(offers)
                ]

        for company_name, role, money in pairs:
            company = canonical_company_name(company_name)
            # "responsable IA de la Société Générale": the company is not
            # part of the role.
            role = re.sub(
                rf"\s+(?:de la|de l['’]|du|des|de|d['’]|chez|at|of)\s*"
                rf"{re.escape(company_name)}$",
                "",
                role,
            )
            top = money.high if money.high is not None else money.low
            period = money.period or default_period(top)
            key = (company.lower(), role.lower(), money.low, money.high, period)
            if key in seen:
                continue
            seen.add(key)
            postings.append(
                ExtractedPosting(
                    company=company,
                    title=role,
                    salary_min=money.low,
                    salary_max=money.high,
                    currency=money.currency,
                    period=period,
                    location=location,
                    remote=remote,
                    url=_url_for(company, urls, single=len(pairs) == 1),
                    evidence=evidence,
                )
            )
    return postings
