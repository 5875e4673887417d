from django.shortcuts import render

from forum.search.engine import clean_query, search


def search_page(request):
    query = clean_query(request.GET.get("q", ""))
    results = search(query=query, viewer=request.user) if query else None
    return render(request, "forum/search.html", {"query": query, "results": results})
