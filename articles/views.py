from django.shortcuts import get_object_or_404, render

from articles.models import Company, Posting
from articles.selectors import article_page, latest_articles
from forum import pagecache


@pagecache.anonymous_page("home")
def home(request):
    page = latest_articles(viewer=request.user, page=request.GET.get("page", 1))
    return render(request, "articles/home.html", {"page": page, "articles": page})


@pagecache.anonymous_page("article", ident=pagecache.article_ident)
def article_detail(request, slug):
    return render(
        request,
        "articles/article_detail.html",
        article_page(slug=slug, viewer=request.user),
    )


def posting_list(request):
    postings = Posting.objects.select_related("company").order_by(
        "company__name", "title"
    )
    return render(request, "articles/posting_list.html", {"postings": postings})


def posting_detail(request, pk):
    posting = get_object_or_404(Posting.objects.select_related("company"), pk=pk)
    citations = posting.citations.filter(article__status="published").select_related(
        "article"
    )
    return render(
        request,
        "articles/posting_detail.html",
        {"posting": posting, "citations": citations},
    )


def company_detail(request, slug):
    company = get_object_or_404(Company, slug=slug)
    postings = company.postings.order_by("title")
    return render(
        request,
        "articles/company_detail.html",
        {"company": company, "postings": postings},
    )
