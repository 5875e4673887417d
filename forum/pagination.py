from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.http import Http404


def page_or_404(paginator: Paginator, number) -> Page:
    """The page asked for; a missing, negative or huge number is a 404."""
    try:
        return paginator.page(number or 1)
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404(str(error)) from error
