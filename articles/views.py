from django.shortcuts import render

from articles.selectors import (
    article_page,
    company_page,
    latest_articles,
    posting_directory,
    posting_page,
)
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
    context = posting_directory(
        viewer=request.user, params=request.GET, page=request.GET.get("page", 1)
    )
    return render(request, "articles/posting_list.html", context)


def posting_detail(request, pk):
    return render(
        request,
        "articles/posting_detail.html",
        posting_page(pk=pk, viewer=request.user),
    )


def company_detail(request, slug):
    return render(
        request,
        "articles/company_detail.html",
        company_page(slug=slug, viewer=request.user),
    )
